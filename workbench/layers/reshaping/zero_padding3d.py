"""ZeroPadding3D: adds zero slices around volumes."""

from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import standardize_pairs
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.reshaping.zero_padding2d import pad_spatial, padded_shape


@keras_export("keras.layers.ZeroPadding3D")
class ZeroPadding3D(Layer):
    """Zero-padding layer for 3D data (spatial or spatio-temporal volumes).

    Args:
        padding: int, tuple of 3 ints, or tuple of 3 tuples of 2 ints.
            - an int: the same padding at all six borders.
            - `(symmetric_dim1_pad, symmetric_dim2_pad, symmetric_dim3_pad)`.
            - `((left_dim1_pad, right_dim1_pad), (left_dim2_pad, right_dim2_pad),
              (left_dim3_pad, right_dim3_pad))`.
            Default `((1, 1), (1, 1), (1, 1))`.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        5D tensor `(batch_size, padded_dim1, padded_dim2, padded_dim3, channels)` (or channels
        first).

    Example:

    >>> ZeroPadding3D(padding=2)(np.ones((1, 1, 2, 3, 3))).shape
    (1, 5, 6, 7, 3)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_pairs(padding, 3, "padding")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        return pad_spatial(inputs, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        return padded_shape(input_shape, self.padding, self.data_format)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
