"""BatchNormalization: normalizes with batch statistics in training, moving ones in inference."""

import numbers

from workbench import constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.backend import config, dtypes
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.normalization.layer_normalization import check_axes_in_range

_RENORM_CLIPPING_KEYS = ("rmax", "rmin", "dmax")


@keras_export("keras.layers.BatchNormalization")
class BatchNormalization(Layer):
    """Normalizes its inputs to zero mean and unit variance per feature, then scales and shifts.

    In training (`fit`, or a call with `training=True`) the layer uses the mean and variance of
    the current batch, and updates its moving statistics:
    `moving_mean = moving_mean * momentum + mean(batch) * (1 - momentum)` (the same for the
    variance). In inference (`predict`, `evaluate`, or a plain call) it uses the moving
    statistics instead. The output is `gamma * (x - mean) / sqrt(variance + epsilon) + beta`.

    A frozen layer (`layer.trainable = False`) always runs in inference mode, even when called
    with `training=True`: this is what fine-tuning a pretrained model needs, and what Keras does.

    Args:
        axis: the features axis, normalized on its own (e.g. `1` after a channels-first conv).
        momentum: momentum of the moving averages.
        epsilon: small float added to the variance to avoid dividing by zero.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned scale `gamma`.
        beta_initializer / gamma_initializer: initializers of `beta` and `gamma`.
        moving_mean_initializer / moving_variance_initializer: initializers of the statistics.
        beta_regularizer / gamma_regularizer: optional regularizers of `beta` and `gamma`.
        beta_constraint / gamma_constraint: optional constraints of `beta` and `gamma`.
        synchronized: whether statistics span all replicas. Under `jit` over a sharded batch
            (workbench's data parallelism) the statistics are global already, so this changes
            nothing on JAX; it is accepted for compatibility.
        renorm: whether to use batch renormalization (Ioffe, 2017), which corrects the batch
            statistics towards moving ones during training. Adds `moving_stddev`,
            `renorm_mean` and `renorm_stddev` variables.
        renorm_clipping: with `renorm`, a dict with optional keys `"rmax"`, `"rmin"`, `"dmax"`
            bounding the corrections `r` (to `[rmin, rmax]`) and `d` (to `[-dmax, dmax]`).
        renorm_momentum: with `renorm`, the momentum of the renorm statistics.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to normalize with batch statistics (and update the moving ones).
        mask: booleans of the inputs' shape without the features axis (e.g. from
            `Embedding(mask_zero=True)`); masked positions are left out of the batch statistics.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> layer = BatchNormalization()
    >>> layer(np.random.normal(size=(8, 3)), training=True).shape
    (8, 3)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                 synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(
                "BatchNormalization normalizes a single features axis; `axis` must be an int. "
                f"Received: axis={axis!r}. For several axes use LayerNormalization."
            )
        for name, value in (("momentum", momentum), ("epsilon", epsilon)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"`{name}` must be a float. Received: {name}={value!r}")
        if renorm:
            renorm_clipping = _check_renorm_clipping(renorm_clipping or {})
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.synchronized = synchronized
        self.supports_masking = True
        self.gamma = None
        self.beta = None

    def build(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f'BatchNormalization "{self.name}" needs a known size for axis {self.axis}. '
                f"Received input_shape={tuple(input_shape)}"
            )
        shape = (dim,)
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)
        self.moving_mean = self.add_weight(name="moving_mean", shape=shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, autocast=False)
        if self.renorm:
            # Renorm tracks standard deviations; they start at the root of the initial variance.
            def initial_stddev(shape, dtype=None):
                return ops.sqrt(self.moving_variance_initializer(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(name="moving_stddev", shape=shape,
                                                 initializer=initial_stddev, trainable=False,
                                                 autocast=False)
            self.renorm_mean = self.add_weight(name="renorm_mean", shape=shape,
                                               initializer=self.moving_mean_initializer,
                                               trainable=False, autocast=False)
            self.renorm_stddev = self.add_weight(name="renorm_stddev", shape=shape,
                                                 initializer=initial_stddev, trainable=False,
                                                 autocast=False)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        axis = self.axis % len(input_shape)
        self._reduction_axes = [i for i in range(len(input_shape)) if i != axis]

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(
                "BatchNormalization expects a mask with one dimension less than the inputs. "
                f"Received: mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        # Statistics of half-precision inputs overflow easily, so compute in at least float32.
        inputs = ops.cast(inputs, dtypes.result_type(inputs.dtype, "float32"))
        dtype = inputs.dtype
        gamma = None if self.gamma is None else ops.cast(self.gamma, dtype)
        beta = None if self.beta is None else ops.cast(self.beta, dtype)
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            if self.renorm:
                gamma, beta = self._renorm_transform(mean, variance, gamma, beta, dtype)
                self._update_renorm_statistics(mean, variance)
            else:
                self._update_moving_average(self.moving_mean, mean, self.momentum)
                self._update_moving_average(self.moving_variance, variance, self.momentum)
        else:
            mean = ops.cast(self.moving_mean, dtype)
            variance = ops.cast(self.moving_variance, dtype)
        outputs = ops.batch_normalization(inputs, mean, variance, axis=self.axis, offset=beta,
                                          scale=gamma, epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype)

    def _moments(self, inputs, mask):
        if mask is None:
            return ops.moments(inputs, axes=self._reduction_axes)
        # Masked positions get zero weight; the epsilon keeps an all-masked batch finite.
        weights = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), ops.shape(inputs))
        count = ops.sum(ops.cast(weights, inputs.dtype), self._reduction_axes, keepdims=True)
        count = count + config.epsilon()
        mean = ops.sum(ops.where(weights, inputs, 0), self._reduction_axes, keepdims=True) / count
        deviation = ops.where(weights, inputs - mean, 0)
        variance = ops.sum(ops.square(deviation), self._reduction_axes, keepdims=True) / count
        return ops.squeeze(mean), ops.squeeze(variance)

    @staticmethod
    def _update_moving_average(variable, value, momentum):
        new_value = ops.cast(variable, value.dtype) * momentum + value * (1.0 - momentum)
        variable.assign(new_value)
        return new_value

    def _renorm_transform(self, mean, variance, gamma, beta, dtype):
        """Folds the renorm correction `x * r + d` into the scale and offset."""
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_stddev = ops.maximum(ops.cast(self.renorm_stddev, dtype), self.epsilon ** 0.5)
        r = stddev / renorm_stddev
        d = (mean - ops.cast(self.renorm_mean, dtype)) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        new_gamma = r if gamma is None else r * gamma
        new_beta = d if gamma is None else d * gamma
        if beta is not None:
            new_beta = new_beta + beta
        return ops.cast(new_gamma, dtype), ops.cast(new_beta, dtype)

    def _update_renorm_statistics(self, mean, variance):
        stddev = ops.sqrt(variance + self.epsilon)
        self._update_moving_average(self.renorm_mean, mean, self.renorm_momentum)
        self._update_moving_average(self.renorm_stddev, stddev, self.renorm_momentum)
        self._update_moving_average(self.moving_mean, mean, self.momentum)
        new_stddev = self._update_moving_average(self.moving_stddev, stddev, self.momentum)
        # Inference reads the variance; rounding may push stddev**2 - epsilon below zero.
        self.moving_variance.assign(ops.relu(new_stddev * new_stddev - self.epsilon))

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self.axis, input_shape)
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _check_renorm_clipping(clipping):
    unknown = set(clipping) - set(_RENORM_CLIPPING_KEYS)
    if unknown:
        raise ValueError(
            f"`renorm_clipping` accepts the keys {list(_RENORM_CLIPPING_KEYS)}. "
            f"Received: renorm_clipping={clipping}"
        )
    rmin, rmax, dmax = clipping.get("rmin"), clipping.get("rmax"), clipping.get("dmax")
    if rmin is not None and rmax is not None and rmax < rmin:
        raise ValueError(
            f"`renorm_clipping` needs rmax >= rmin. Received: rmax={rmax}, rmin={rmin}"
        )
    if dmax is not None and dmax < 0:
        raise ValueError(f"`renorm_clipping` needs dmax >= 0. Received: dmax={dmax}")
    return dict(clipping)
