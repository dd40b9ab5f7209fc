"""Cropping1D: removes steps from the start and end of sequences."""

from workbench.api_export import keras_export
from workbench.layers.convolutional.base_conv import standardize_tuple
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.Cropping1D")
class Cropping1D(Layer):
    """Cropping layer for 1D input (e.g. temporal sequence): crops along the time axis (axis 1).

    Args:
        cropping: int, or tuple of 2 ints: how many steps to remove at the start and at the
            end. An int removes that many at both ends. Default `(1, 1)`.

    Input shape:
        3D tensor `(batch_size, axis_to_crop, features)`.

    Output shape:
        3D tensor `(batch_size, cropped_axis, features)`.

    Example:

    >>> Cropping1D(cropping=(1, 2))(np.ones((2, 6, 3))).shape
    (2, 3, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        start, end = self.cropping
        check_cropping(self, inputs.shape, [inputs.shape[1]], [self.cropping])
        return inputs[:, start:inputs.shape[1] - end, :]

    def compute_output_shape(self, input_shape):
        check_cropping(self, input_shape, [input_shape[1]], [self.cropping])
        length = input_shape[1]
        if length is not None:
            length -= sum(self.cropping)
        return (input_shape[0], length, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}


def check_cropping(layer, input_shape, sizes, cropping):
    """Raises if a known spatial size would be cropped to nothing."""
    for size, (before, after) in zip(sizes, cropping):
        if size is not None and before + after >= size:
            raise ValueError(
                f'Layer "{layer.name}": cropping={layer.cropping} removes all of an axis of size '
                f"{size}. Received input_shape={tuple(input_shape)}; crop less or pass a larger "
                "input."
            )
