"""RMSNormalization: divides by the root mean square over the feature axes, then scales."""

import numbers

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.normalization.layer_normalization import check_axes_in_range, standardize_axis


@keras_export("keras.layers.RMSNormalization")
class RMSNormalization(Layer):
    """Root-mean-square normalization: `x / sqrt(mean(x ** 2) + epsilon) * scale` over `axis`.

    It rescales without centering, as in Zhang and Sennrich (2019) and most current language
    models; `scale` is a learned weight of the shape of the normalized axes, initialized to ones.

    Args:
        axis: the axis or list of axes to normalize over.
        epsilon: small float added to the mean square to avoid dividing by zero.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> layer = RMSNormalization()
    >>> layer(np.random.normal(size=(2, 5, 8))).shape
    (2, 5, 8)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis(axis)
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real):
            raise ValueError(f"`epsilon` must be a float. Received: epsilon={epsilon!r}")
        self.epsilon = epsilon

    def build(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        self._parameter_shape = [1] * len(input_shape)
        for a in self.axis:
            self._parameter_shape[a] = input_shape[a]
        self.scale = self.add_weight(name="scale", shape=tuple(input_shape[a] for a in self.axis),
                                     initializer="ones")

    def call(self, x):
        scale = self.scale
        if len(self.axis) > 1 or self.axis[0] % x.ndim != x.ndim - 1:
            # The scale has the normalized axes' shape; put them where they are in `x`.
            scale = ops.reshape(scale, self._parameter_shape)
        return ops.rms_normalization(x, scale=scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
