"""RepeatVector: repeats a vector `n` times along a new time axis."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.RepeatVector")
class RepeatVector(Layer):
    """Repeats the input `n` times: `(batch_size, features)` becomes `(batch_size, n, features)`.

    Args:
        n: the positive number of repetitions.

    Input shape:
        2D tensor `(batch_size, features)`.

    Output shape:
        3D tensor `(batch_size, n, features)`.

    Example:

    >>> RepeatVector(3)(np.ones((2, 32))).shape
    (2, 3, 32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(
                f"RepeatVector: `n` must be an integer. Received: n={n!r} (of type {type(n).__name__})"
            )
        if n <= 0:
            raise ValueError(f"RepeatVector: `n` must be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
