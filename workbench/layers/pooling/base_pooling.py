"""BasePooling: the shared body of the MaxPooling and AveragePooling layers."""

from workbench import ops
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import (
    spatial_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


def pooled_length(length, pool_size, padding, stride):
    """The output length of one spatial axis; None stays None."""
    if length is None:
        return None
    if padding == "valid":
        return (length - pool_size) // stride + 1
    return (length - 1) // stride + 1


class BasePooling(Layer):
    """Max or average over windows of `pool_size`, moved by `strides` (default: `pool_size`).

    Args:
        pool_size: an int or `pool_dimensions` ints, the window size.
        strides: an int, `pool_dimensions` ints, or None for `pool_size`.
        pool_dimensions: the number of spatial dimensions (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"`; with `"same"`, average pooling counts only real values.
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
    """

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid",
                 data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if pool_mode not in ("max", "average"):
            raise ValueError(
                f"`pool_mode` must be 'max' or 'average'. Received: pool_mode={pool_mode!r}"
            )
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        self.strides = standardize_tuple(pool_size if strides is None else strides, pool_dimensions,
                                         "strides")
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._build_at_init()

    def call(self, inputs):
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(inputs, pool_size=self.pool_size, strides=self.strides, padding=self.padding,
                    data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        spatial = [
            pooled_length(length, p, self.padding, s)
            for length, p, s in zip(spatial_shape(input_shape, self.data_format), self.pool_size,
                                    self.strides)
        ]
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        return with_channels(input_shape[0], spatial, channels, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
