"""GroupNormalization: normalizes each example over groups of channels."""

import numbers

from workbench import constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.normalization.layer_normalization import check_axes_in_range


@keras_export("keras.layers.GroupNormalization")
class GroupNormalization(Layer):
    """Splits the channels into `groups` and normalizes each group of each example on its own.

    The statistics are taken over the group's channels and all the other non-batch axes, so the
    layer does not depend on the batch size. `groups=1` is layer normalization over all
    non-batch axes; `groups=-1` (one group per channel) is instance normalization.

    Args:
        groups: the number of groups; must divide the number of channels. `-1` means one group
            per channel.
        axis: the channels axis.
        epsilon: small float added to the variance to avoid dividing by zero.
        center: whether to add the learned per-channel offset `beta`.
        scale: whether to multiply by the learned per-channel scale `gamma`.
        beta_initializer / gamma_initializer: initializers of `beta` and `gamma`.
        beta_regularizer / gamma_regularizer: optional regularizers of `beta` and `gamma`.
        beta_constraint / gamma_constraint: optional constraints of `beta` and `gamma`.

    Input shape:
        Any tensor with at least the batch and channels axes.

    Output shape:
        The same as the input.

    Example:

    >>> layer = GroupNormalization(groups=2)
    >>> layer(np.random.normal(size=(2, 5, 8))).shape
    (2, 5, 8)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or groups == 0 or groups < -1:
            raise ValueError(
                "`groups` must be a positive integer, or -1 for one group per channel (instance "
                f"normalization). Received: groups={groups!r}"
            )
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(f"`axis` must be an int (the channels axis). Received: axis={axis!r}")
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = int(axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f'GroupNormalization "{self.name}" needs a known number of channels on axis '
                f"{self.axis}. Received input_shape={tuple(input_shape)}"
            )
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups:
            raise ValueError(
                f"GroupNormalization: the number of groups ({self.groups}) must divide the number "
                f"of channels ({channels}). Received input_shape={tuple(input_shape)}"
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = None
        self.beta = None
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=(channels,),
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=(channels,),
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)

    def call(self, inputs):
        input_dtype = inputs.dtype
        # Statistics of half-precision inputs overflow easily, so compute in at least float32.
        x = ops.cast(inputs, dtypes.result_type(input_dtype, "float32"))
        axis = self.axis % x.ndim
        shape = tuple(x.shape)
        # (..., channels, ...) -> (..., groups, channels // groups, ...)
        grouped_shape = (*shape[:axis], self.groups, shape[axis] // self.groups, *shape[axis + 1:])
        grouped = ops.reshape(x, grouped_shape)
        reduction_axes = [i for i in range(1, grouped.ndim) if i != axis]
        mean, variance = ops.moments(grouped, axes=reduction_axes, keepdims=True)
        parameter_shape = [1] * grouped.ndim
        parameter_shape[axis:axis + 2] = [self.groups, shape[axis] // self.groups]
        inverse = ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inverse = inverse * ops.reshape(ops.cast(self.gamma, x.dtype), parameter_shape)
        shift = -mean * inverse
        if self.beta is not None:
            shift = shift + ops.reshape(ops.cast(self.beta, x.dtype), parameter_shape)
        outputs = ops.cast(grouped * inverse + shift, input_dtype)
        return ops.cast(ops.reshape(outputs, shape), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
