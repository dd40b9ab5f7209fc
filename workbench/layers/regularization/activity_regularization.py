"""ActivityRegularization: adds an L1/L2 penalty on its input to the losses, and passes it on."""

from workbench import regularizers
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


@keras_export("keras.layers.ActivityRegularization")
class ActivityRegularization(Layer):
    """Returns its input unchanged and adds `l1 * sum(|x|) + l2 * sum(x**2)` to `layer.losses`.

    The penalty is divided by the batch size, like every activity regularizer.

    Args:
        l1: the L1 factor (non-negative).
        l2: the L2 factor (non-negative).

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> layer = ActivityRegularization(l1=0.01)
    >>> outputs = layer(np.ones((2, 3)))
    >>> round(float(layer.losses[0]), 6)   # 0.01 * 6 / 2
    0.03
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self._build_at_init()

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
