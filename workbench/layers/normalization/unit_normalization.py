"""UnitNormalization: scales each example to unit L2 norm over the given axes."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.normalization.layer_normalization import check_axes_in_range, standardize_axis


@keras_export("keras.layers.UnitNormalization")
class UnitNormalization(Layer):
    """Normalizes each example to unit L2 norm over `axis`: `x / sqrt(sum(x ** 2))`.

    The layer has no weights.

    Args:
        axis: the axis or list of axes over which the norm is taken.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> outputs = UnitNormalization()(np.array([[3.0, 4.0]]))
    >>> np.asarray(outputs, dtype="float64").round(2).tolist()
    [[0.6, 0.8]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis(axis)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        return ops.normalize(inputs, axis=axis, order=2, epsilon=1e-12)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
