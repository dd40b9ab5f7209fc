"""LeakyReLU: a ReLU with a small slope for negative inputs."""

from workbench import activations
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


@keras_export("keras.layers.LeakyReLU")
class LeakyReLU(Layer):
    """Leaky rectified linear unit: `f(x) = x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        negative_slope: the non-negative slope for negative inputs (default 0.3). Keras 2's
            `alpha` is accepted as an alias.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> LeakyReLU(negative_slope=0.5)(np.array([-2.0, 0.0, 2.0]))
    Array([-1.,  0.,  2.], dtype=float32)
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "LeakyReLU: `negative_slope` must be a non-negative number. "
                f"Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
