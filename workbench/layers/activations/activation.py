"""Activation: applies an activation function to its input."""

from workbench import activations
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


@keras_export("keras.layers.Activation")
class Activation(Layer):
    """Applies an activation function to the output of the previous layer.

    Args:
        activation: an activation function, or the name of a built-in one (`"relu"`, ...).

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> layer = Activation("relu")
    >>> layer(np.array([-3.0, -1.0, 0.0, 2.0]))
    Array([0., 0., 0., 2.], dtype=float32)
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self._build_at_init()

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
