"""ZeroPadding2D: adds rows and columns of zeros around images."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import spatial_shape, standardize_pairs, with_channels
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


def pad_spatial(inputs, padding, data_format):
    """`inputs` with `(before, after)` zeros added to each spatial axis."""
    if data_format == "channels_last":
        return ops.pad(inputs, ((0, 0), *padding, (0, 0)))
    return ops.pad(inputs, ((0, 0), (0, 0), *padding))


def padded_shape(input_shape, padding, data_format):
    spatial = [None if size is None else size + before + after
               for size, (before, after) in zip(spatial_shape(input_shape, data_format), padding)]
    channels = input_shape[-1] if data_format == "channels_last" else input_shape[1]
    return with_channels(input_shape[0], spatial, channels, data_format)


@keras_export("keras.layers.ZeroPadding2D")
class ZeroPadding2D(Layer):
    """Zero-padding layer for 2D input (e.g. pictures): adds rows and columns of zeros.

    Args:
        padding: int, tuple of 2 ints, or tuple of 2 tuples of 2 ints.
            - an int: the same padding at all four borders.
            - `(symmetric_height_pad, symmetric_width_pad)`.
            - `((top_pad, bottom_pad), (left_pad, right_pad))`.
            Default `(1, 1)`.
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, padded_height, padded_width, channels)` (or channels first).

    Example:

    >>> ZeroPadding2D(padding=((1, 0), (2, 2)))(np.ones((1, 3, 3, 2))).shape
    (1, 4, 7, 2)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_pairs(padding, 2, "padding")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return pad_spatial(inputs, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        return padded_shape(input_shape, self.padding, self.data_format)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
