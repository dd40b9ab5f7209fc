"""UpSampling3D: enlarges volumes by repeating each voxel."""

from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import standardize_tuple
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.reshaping.up_sampling2d import repeat_spatial, upsampled_shape


@keras_export("keras.layers.UpSampling3D")
class UpSampling3D(Layer):
    """Upsampling layer for 3D inputs: repeats each voxel `size[i]` times along each axis.

    Args:
        size: int, or tuple of 3 ints, the upsampling factors for dim1, dim2 and dim3.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        5D tensor `(batch_size, dim1 * size[0], dim2 * size[1], dim3 * size[2], channels)` (or
        channels first).

    Example:

    >>> UpSampling3D(size=2)(np.ones((2, 1, 2, 1, 3))).shape
    (2, 2, 4, 2, 3)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        return repeat_spatial(inputs, self.size, self.data_format)

    def compute_output_shape(self, input_shape):
        return upsampled_shape(input_shape, self.size, self.data_format)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
