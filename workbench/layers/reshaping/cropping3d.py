"""Cropping3D: removes slices at the borders of volumes."""

from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import spatial_shape, standardize_pairs
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.reshaping.cropping1d import check_cropping
from workbench.layers.reshaping.cropping2d import crop_spatial, cropped_shape


@keras_export("keras.layers.Cropping3D")
class Cropping3D(Layer):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal volumes).

    Args:
        cropping: int, tuple of 3 ints, or tuple of 3 tuples of 2 ints.
            - an int: the same cropping at all six borders.
            - `(symmetric_dim1_crop, symmetric_dim2_crop, symmetric_dim3_crop)`.
            - `((left_dim1_crop, right_dim1_crop), (left_dim2_crop, right_dim2_crop),
              (left_dim3_crop, right_dim3_crop))`.
            Default `((1, 1), (1, 1), (1, 1))`.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        5D tensor `(batch_size, cropped_dim1, cropped_dim2, cropped_dim3, channels)` (or
        channels first).

    Example:

    >>> Cropping3D(cropping=(2, 4, 2))(np.ones((2, 28, 28, 10, 3))).shape
    (2, 24, 20, 6, 3)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = standardize_pairs(cropping, 3, "cropping")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        check_cropping(self, inputs.shape, spatial_shape(inputs.shape, self.data_format),
                       self.cropping)
        return crop_spatial(inputs, self.cropping, self.data_format)

    def compute_output_shape(self, input_shape):
        check_cropping(self, input_shape, spatial_shape(input_shape, self.data_format),
                       self.cropping)
        return cropped_shape(input_shape, self.cropping, self.data_format)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
