"""ELU: the exponential linear unit."""

from workbench import activations
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


@keras_export("keras.layers.ELU")
class ELU(Layer):
    """Exponential linear unit: `f(x) = x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: the scale of the negative part (default 1.0).

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> ELU(alpha=1.0)(np.array([-1.0, 0.0, 1.0])).shape
    (3,)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
