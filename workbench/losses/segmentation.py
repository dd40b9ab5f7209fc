"""Overlap losses for segmentation masks: Dice and Tversky."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper, float_pair


def _standardize_axis(axis):
    # A config read back from JSON holds a list where a tuple was given.
    return tuple(axis) if isinstance(axis, list) else axis


@keras_export("keras.losses.dice")
def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`, summed over `axis`.

    Args:
        axis: the axes to sum over; None (the default) sums over everything and gives a scalar.

    Example:

    >>> round(float(dice([[1.0, 0.0]], [[1.0, 0.0]])), 4)
    0.0
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    axis = _standardize_axis(axis)
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    total = jnp.sum(y_true, axis=axis) + jnp.sum(y_pred, axis=axis) + config.epsilon()
    return 1 - 2.0 * intersection / total


@keras_export("keras.losses.tversky")
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * FP + beta * FN)`, with soft counts summed over `axis`.

    Args:
        alpha: the weight of false positives.
        beta: the weight of false negatives. `alpha = beta = 0.5` gives the Dice loss.
        axis: the axes to sum over; None (the default) sums over everything.
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    axis = _standardize_axis(axis)
    true_positives = jnp.sum(y_true * y_pred, axis=axis)
    false_positives = jnp.sum((1 - y_pred) * y_true, axis=axis)
    false_negatives = jnp.sum(y_pred * (1 - y_true), axis=axis)
    denominator = (
        true_positives + false_positives * alpha + false_negatives * beta + config.epsilon()
    )
    return 1 - true_positives / denominator


@keras_export("keras.losses.Dice")
class Dice(LossFunctionWrapper):
    """The Dice loss, `1 - 2|A∩B| / (|A| + |B|)` on soft masks.

    Args:
        axis: the axes to sum over; None sums over everything (one loss for the batch). For
            per-image losses on `(batch, height, width, channels)` masks use `axis=(1, 2, 3)`.
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> round(float(Dice()(jnp.array([[1.0, 1.0]]), jnp.array([[1.0, 0.0]]))), 4)
    0.3333
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


@keras_export("keras.losses.Tversky")
class Tversky(LossFunctionWrapper):
    """The Tversky loss, a Dice loss that weighs false positives by `alpha` and false negatives
    by `beta`.

    Args:
        alpha: the weight of false positives.
        beta: the weight of false negatives.
        axis: the axes to sum over; None sums over everything.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}
