"""Regression losses: squared, absolute, percentage and logarithmic errors, cosine similarity, Huber
and log-cosh. Each function reduces over the last axis (cosine similarity over `axis`)."""

import math

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.losses.loss import Loss, squeeze_or_expand_to_same_rank
from workbench.losses.losses import LossFunctionWrapper, float_pair


def _aligned(y_true, y_pred):
    return squeeze_or_expand_to_same_rank(*float_pair(y_true, y_pred))


@keras_export("keras.metrics.mean_squared_error", "keras.losses.mean_squared_error")
def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`.

    Example:

    >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])
    Array([0.5], dtype=float32)
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    return jnp.mean(jnp.square(y_true - y_pred), axis=-1)


@keras_export("keras.metrics.mean_absolute_error", "keras.losses.mean_absolute_error")
def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return jnp.mean(jnp.abs(y_true - y_pred), axis=-1)


@keras_export(
    "keras.metrics.mean_absolute_percentage_error", "keras.losses.mean_absolute_percentage_error"
)
def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    epsilon = jnp.asarray(config.epsilon(), y_pred.dtype)
    difference = jnp.abs((y_true - y_pred) / jnp.maximum(jnp.abs(y_true), epsilon))
    return 100.0 * jnp.mean(difference, axis=-1)


@keras_export(
    "keras.metrics.mean_squared_logarithmic_error", "keras.losses.mean_squared_logarithmic_error"
)
def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`, values floored at epsilon."""
    y_true, y_pred = _aligned(y_true, y_pred)
    epsilon = config.epsilon()
    first_log = jnp.log(jnp.maximum(y_pred, epsilon) + 1.0)
    second_log = jnp.log(jnp.maximum(y_true, epsilon) + 1.0)
    return jnp.mean(jnp.square(first_log - second_log), axis=-1)


def l2_normalize(x, axis=-1):
    """`x / norm(x)` along `axis`, with the inverse norm capped at `1 / epsilon`."""
    inverse_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
    return x * jnp.minimum(inverse_norm, 1.0 / config.epsilon())


@keras_export("keras.losses.cosine_similarity")
def cosine_similarity(y_true, y_pred, axis=-1):
    """The negated cosine similarity: -1 for vectors that point the same way, 1 for opposite ones.

    Args:
        axis: the axis along which the similarity is computed.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    return -jnp.sum(l2_normalize(y_true, axis=axis) * l2_normalize(y_pred, axis=axis), axis=axis)


@keras_export("keras.losses.huber", "keras.metrics.huber")
def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to `delta`, linear beyond: `0.5 * e**2` or `delta * (|e| - delta/2)`.

    Args:
        delta: where the loss changes from quadratic to linear.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    delta = jnp.asarray(delta, y_pred.dtype)
    error = y_pred - y_true
    absolute = jnp.abs(error)
    half = jnp.asarray(0.5, y_pred.dtype)
    per_value = jnp.where(
        absolute <= delta, half * jnp.square(error), delta * absolute - half * jnp.square(delta)
    )
    return jnp.mean(per_value, axis=-1)


@keras_export("keras.losses.log_cosh", "keras.metrics.log_cosh")
def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed as `x + softplus(-2x) - log 2`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    error = y_pred - y_true
    log_2 = jnp.asarray(math.log(2.0), y_pred.dtype)
    return jnp.mean(error + jax.nn.softplus(error * -2.0) - log_2, axis=-1)


@keras_export("keras.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """The mean of the squared errors: `mean(square(y_true - y_pred))`.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> float(MeanSquaredError()(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]])))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config


@keras_export("keras.losses.MeanAbsoluteError")
class MeanAbsoluteError(LossFunctionWrapper):
    """The mean of the absolute errors: `mean(abs(y_true - y_pred))`.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config


@keras_export("keras.losses.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(LossFunctionWrapper):
    """The mean absolute error relative to `y_true`, in percent.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )

    get_config = Loss.get_config


@keras_export("keras.losses.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """The mean squared error of logarithms: `mean(square(log(y_true + 1) - log(y_pred + 1)))`.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )

    get_config = Loss.get_config


@keras_export("keras.losses.CosineSimilarity")
class CosineSimilarity(LossFunctionWrapper):
    """The negated cosine similarity of `y_true` and `y_pred`, between -1 (aligned) and 1.

    Args:
        axis: the axis along which the similarity is computed. As in Keras, it is not part of
            `get_config()`.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)

    get_config = Loss.get_config


@keras_export("keras.losses.Huber")
class Huber(LossFunctionWrapper):
    """The Huber loss: quadratic for errors up to `delta`, linear beyond.

    Args:
        delta: where the loss changes from quadratic to linear. As in Keras, it is not part of
            `get_config()`, so a revived loss uses the default of 1.0.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)

    get_config = Loss.get_config


@keras_export("keras.losses.LogCosh")
class LogCosh(LossFunctionWrapper):
    """The mean of `log(cosh(y_pred - y_true))`: about `x**2 / 2` for small errors, `|x| - log 2`
    for large ones.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config
