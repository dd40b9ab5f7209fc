"""BaseGlobalPooling: the shared body of the GlobalMaxPooling and GlobalAveragePooling layers."""

from workbench.backend.config import standardize_data_format
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis to one value per channel.

    Args:
        pool_dimensions: the number of spatial dimensions (1, 2 or 3).
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
        keepdims: whether the spatial axes are kept, with size 1.
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._build_at_init()

    def spatial_axes(self, rank):
        """The spatial axes of an input of rank `rank`."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + rank - 2))

    def compute_output_shape(self, input_shape):
        batch, spatial_rank = input_shape[0], len(input_shape) - 2
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        if not self.keepdims:
            return (batch, channels)
        if self.data_format == "channels_last":
            return (batch, *(1,) * spatial_rank, channels)
        return (batch, channels, *(1,) * spatial_rank)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
