"""BaseAdaptivePooling: pooling to a fixed output size, whatever the input size (as in PyTorch)."""

from workbench import ops
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import standardize_tuple
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


class BaseAdaptivePooling(Layer):
    """Pools each spatial axis of length `n` into `m = output_size` cells; cell `i` covers
    `[floor(i * n / m), ceil((i + 1) * n / m))`, so neighbouring cells may overlap by one.

    Args:
        output_size: an int or `pool_dimensions` ints, the output spatial size.
        pool_dimensions: the number of spatial dimensions (1, 2 or 3).
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
    """

    def __init__(self, output_size, pool_dimensions, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = standardize_tuple(output_size, pool_dimensions, "output_size")
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._build_at_init()

    def pool(self, inputs, output_size, data_format):
        raise NotImplementedError

    def call(self, inputs):
        return self.pool(inputs, output_size=self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}


class BaseAdaptiveMaxPooling(BaseAdaptivePooling):
    """Adaptive pooling that takes the maximum of each cell."""

    def pool(self, inputs, output_size, data_format):
        return ops.adaptive_max_pool(inputs, output_size=output_size, data_format=data_format)


class BaseAdaptiveAveragePooling(BaseAdaptivePooling):
    """Adaptive pooling that takes the mean of each cell."""

    def pool(self, inputs, output_size, data_format):
        return ops.adaptive_average_pool(inputs, output_size=output_size, data_format=data_format)
