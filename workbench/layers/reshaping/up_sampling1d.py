"""UpSampling1D: repeats each step of a sequence."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.convolutional.base_conv import check_positive_int
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.UpSampling1D")
class UpSampling1D(Layer):
    """Upsampling layer for 1D inputs: repeats each step `size` times along the time axis.

    Args:
        size: positive int, the upsampling factor (default 2).

    Input shape:
        3D tensor `(batch_size, steps, features)`.

    Output shape:
        3D tensor `(batch_size, steps * size, features)`.

    Example:

    >>> UpSampling1D(size=2)(np.ones((2, 3, 4))).shape
    (2, 6, 4)
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = check_positive_int(self.__class__.__name__, "size", size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return ops.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "size": self.size}
