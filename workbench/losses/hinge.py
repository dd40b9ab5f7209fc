"""Hinge losses, for maximum-margin classifiers: hinge, squared hinge and categorical hinge."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper, float_pair


def binary_labels_to_signs(y_true):
    """Maps labels in {0, 1} to {-1, 1}; labels already in {-1, 1} (or any other) are kept."""
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


@keras_export("keras.metrics.hinge", "keras.losses.hinge")
def hinge(y_true, y_pred):
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`, with labels in {-1, 1} (or {0, 1}).

    Example:

    >>> hinge([[0.0, 1.0]], [[0.5, 2.0]])
    Array([0.75], dtype=float32)
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    y_true = binary_labels_to_signs(y_true)
    return jnp.mean(jnp.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@keras_export("keras.metrics.squared_hinge", "keras.losses.squared_hinge")
def squared_hinge(y_true, y_pred):
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`, labels in {-1, 1} (or {0, 1})."""
    y_true, y_pred = float_pair(y_true, y_pred)
    y_true = binary_labels_to_signs(y_true)
    return jnp.mean(jnp.square(jnp.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@keras_export("keras.metrics.categorical_hinge", "keras.losses.categorical_hinge")
def categorical_hinge(y_true, y_pred):
    """`maximum(max_wrong_score - true_score + 1, 0)` for one-hot `y_true`, over the last axis."""
    y_true, y_pred = float_pair(y_true, y_pred)
    positive = jnp.sum(y_true * y_pred, axis=-1)
    negative = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    return jnp.maximum(negative - positive + 1.0, jnp.zeros((), y_pred.dtype))


@keras_export("keras.losses.Hinge")
class Hinge(LossFunctionWrapper):
    """The hinge loss `maximum(1 - y_true * y_pred, 0)`; labels in {0, 1} are mapped to {-1, 1}.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> float(Hinge()(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 2.0]])))
    0.75
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config


@keras_export("keras.losses.SquaredHinge")
class SquaredHinge(LossFunctionWrapper):
    """The squared hinge loss `square(maximum(1 - y_true * y_pred, 0))`.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config


@keras_export("keras.losses.CategoricalHinge")
class CategoricalHinge(LossFunctionWrapper):
    """The categorical hinge loss: the best wrong score should trail the true one by at least 1.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config
