"""Losses between distributions and counts: Kullback-Leibler divergence and Poisson."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper, float_pair


@keras_export("keras.metrics.kl_divergence", "keras.losses.kl_divergence")
def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`.

    Example:

    >>> kl_divergence([[0.5, 0.5]], [[0.5, 0.5]])
    Array([0.], dtype=float32)
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    epsilon = config.epsilon()
    y_true = jnp.clip(y_true, epsilon, 1)
    y_pred = jnp.clip(y_pred, epsilon, 1)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


@keras_export("keras.metrics.poisson", "keras.losses.poisson")
def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`: the Poisson negative
    log-likelihood of counts `y_true` with rates `y_pred`, up to a constant."""
    y_true, y_pred = float_pair(y_true, y_pred)
    epsilon = jnp.asarray(config.epsilon(), y_pred.dtype)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + epsilon), axis=-1)


@keras_export("keras.losses.KLDivergence")
class KLDivergence(LossFunctionWrapper):
    """The Kullback-Leibler divergence from `y_pred` to `y_true` (both probabilities).

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> round(float(KLDivergence()(jnp.array([[1.0, 0.0]]), jnp.array([[0.5, 0.5]]))), 4)
    0.6931
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config


@keras_export("keras.losses.Poisson")
class Poisson(LossFunctionWrapper):
    """The Poisson loss `y_pred - y_true * log(y_pred)`, for count data.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config
