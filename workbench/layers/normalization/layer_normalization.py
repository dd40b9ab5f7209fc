"""LayerNormalization: normalizes each example over its feature axes, independently of the batch."""

import numbers
import warnings

from workbench import constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


def check_axes_in_range(axis, input_shape):
    """Raises unless every axis in `axis` (an int or a list) indexes `input_shape`."""
    rank = len(input_shape)
    for single in axis if isinstance(axis, (list, tuple)) else [axis]:
        if not -rank <= single < rank:
            raise ValueError(
                f"Axis {single} is out of bounds for input shape {tuple(input_shape)} "
                f"(rank {rank}). Received: axis={axis}"
            )


def standardize_axis(axis):
    """Returns `axis` as an int or a list of ints, or raises with the value received."""
    if isinstance(axis, (list, tuple)) and all(
            isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axis):
        return [int(a) for a in axis]
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return int(axis)
    raise ValueError(f"`axis` must be an int or a list/tuple of ints. Received: axis={axis!r}")


@keras_export("keras.layers.LayerNormalization")
class LayerNormalization(Layer):
    """Normalizes each example to zero mean and unit variance over `axis`, then scales and shifts.

    Unlike `BatchNormalization`, the statistics come from each example alone, so training and
    inference behave the same. The output is
    `gamma * (x - mean(x)) / sqrt(variance(x) + epsilon) + beta`, with `gamma` and `beta` of the
    shape of the normalized axes.

    Args:
        axis: the axis or list of axes to normalize over (typically the features axis, `-1`).
        epsilon: small float added to the variance to avoid dividing by zero.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned scale `gamma`.
        beta_initializer / gamma_initializer: initializers of `beta` and `gamma`.
        beta_regularizer / gamma_regularizer: optional regularizers of `beta` and `gamma`.
        beta_constraint / gamma_constraint: optional constraints of `beta` and `gamma`.
        rms_scaling: deprecated (as in Keras): divides by the standard deviation without
            centering, and uses `gamma` only. Use `RMSNormalization` for RMS normalization.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> layer = LayerNormalization(axis=-1)
    >>> layer(np.random.normal(size=(2, 5, 8))).shape
    (2, 5, 8)
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "`rms_scaling=True` is deprecated: it divides by the standard deviation, not the "
                "root mean square. Use `workbench.layers.RMSNormalization` instead.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = standardize_axis(axis)
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real):
            raise ValueError(f"`epsilon` must be a float. Received: epsilon={epsilon!r}")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        # Normalization runs in at least float32 whatever the input; the op casts back.
        self.autocast = False

    def build(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        self.gamma = None
        self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)

    def call(self, inputs):
        outputs = ops.layer_normalization(inputs, self.gamma, self.beta, self.axis, self.epsilon,
                                          rms_scaling=self.rms_scaling)
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
