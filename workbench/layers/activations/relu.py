"""ReLU: the rectified linear unit, with optional cap, leak and threshold."""

from workbench import activations
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


@keras_export("keras.layers.ReLU")
class ReLU(Layer):
    """Rectified linear unit: `max_value` caps it, `negative_slope` leaks below `threshold`.

    ```
    f(x) = max_value                          if x >= max_value
    f(x) = x                                  if threshold <= x < max_value
    f(x) = negative_slope * (x - threshold)   otherwise
    ```

    Args:
        max_value: the maximum output value (non-negative), or None for no cap.
        negative_slope: the slope below the threshold (non-negative).
        threshold: the value below which the output leaks (non-negative).

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> ReLU(max_value=1.0)(np.array([-3.0, 0.5, 2.0]))
    Array([0. , 0.5, 1. ], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"ReLU: `max_value` cannot be negative. Received: max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "ReLU: `negative_slope` must be a non-negative number. "
                f"Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                f"ReLU: `threshold` must be a non-negative number. Received: threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
