"""Binary cross-entropy, and its focal variant that down-weights well-classified examples."""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper, float_pair, validate_label_smoothing
from workbench.ops import nn_losses


def _smooth(y_true, label_smoothing):
    # Squeezes labels towards 0.5: 0 becomes label_smoothing / 2, 1 becomes 1 - label_smoothing / 2.
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing


@keras_export("keras.metrics.binary_crossentropy", "keras.losses.binary_crossentropy")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The binary cross-entropy of each value, averaged over `axis`.

    Args:
        y_true: labels in [0, 1], with the shape of `y_pred`.
        y_pred: probabilities (clipped to `[epsilon, 1 - epsilon]`), or logits.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; labels become `y_true * (1 - s) + 0.5 * s`.
        axis: the axis to average over.

    Example:

    >>> binary_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    Array([0.6931472], dtype=float32)
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    if label_smoothing:
        y_true = _smooth(y_true, label_smoothing)
    return jnp.mean(
        nn_losses.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis
    )


@keras_export("keras.metrics.binary_focal_crossentropy", "keras.losses.binary_focal_crossentropy")
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """The binary cross-entropy scaled by `(1 - p_t) ** gamma`, averaged over `axis`.

    `p_t` is the probability given to the true class, so confident right answers count little.

    Args:
        apply_class_balancing: weigh positives by `alpha` and negatives by `1 - alpha`.
        alpha: the positive-class weight, used with `apply_class_balancing`.
        gamma: the focusing exponent; 0 gives the plain binary cross-entropy.
        from_logits, label_smoothing, axis: as for `binary_crossentropy`.
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    if label_smoothing:
        y_true = _smooth(y_true, label_smoothing)
    if from_logits:
        y_pred = jax.nn.sigmoid(y_pred)
    crossentropy = nn_losses.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = jnp.power(1.0 - p_t, gamma) * crossentropy
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return jnp.mean(focal, axis=axis)


@keras_export("keras.losses.BinaryCrossentropy")
class BinaryCrossentropy(LossFunctionWrapper):
    """The cross-entropy between binary labels and predicted probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; labels are squeezed towards 0.5 by this much.
        axis: the axis to average over.
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> loss = BinaryCrossentropy(from_logits=True)
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.0, 0.0]]))), 4)
    0.6931
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        validate_label_smoothing(label_smoothing)
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


@keras_export("keras.losses.BinaryFocalCrossentropy")
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """The focal binary cross-entropy: each term scaled by `(1 - p_t) ** gamma` (Lin et al., 2017).

    Args:
        apply_class_balancing: weigh positives by `alpha` and negatives by `1 - alpha`.
        alpha: the positive-class weight, used with `apply_class_balancing`.
        gamma: the focusing exponent; 0 gives the plain binary cross-entropy.
        from_logits, label_smoothing, axis: as for `BinaryCrossentropy`.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        validate_label_smoothing(label_smoothing)
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }
