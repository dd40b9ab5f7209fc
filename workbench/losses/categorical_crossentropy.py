"""Multi-class cross-entropies: categorical (one-hot labels), sparse categorical (class ids), the
focal variant, and the generalized cross-entropy that is robust to noisy labels."""

import numbers
import warnings

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.backend.tensor_attributes import set_mask
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper, float_pair, validate_label_smoothing
from workbench.ops import nn_losses
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float


def _check_axis(axis):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise ValueError(f"Argument `axis` must be an int. Received: axis={axis!r}")


def _prepare_one_hot(loss_name, y_true, y_pred, label_smoothing):
    y_true, y_pred = float_pair(y_true, y_pred)
    if y_pred.shape and y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {loss_name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={y_pred.shape}. With two classes, use "
            "'binary_crossentropy' instead.",
            stacklevel=3,
        )
    if label_smoothing:
        # As in Keras, the class count is the size of the last axis, whatever `axis` is.
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    return y_true, y_pred


@keras_export("keras.metrics.categorical_crossentropy", "keras.losses.categorical_crossentropy")
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """`-sum(y_true * log(y_pred), axis)` for one-hot (or soft) labels.

    Args:
        y_true: one-hot or soft labels, with the shape of `y_pred`.
        y_pred: probabilities (renormalized to sum to 1, then clipped to `[epsilon, 1 - epsilon]`),
            or logits.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; labels become `y_true * (1 - s) + s / num_classes`.
        axis: the class axis.

    Example:

    >>> categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    Array([0.6931472], dtype=float32)
    """
    _check_axis(axis)
    y_true, y_pred = _prepare_one_hot("categorical_crossentropy", y_true, y_pred, label_smoothing)
    return nn_losses.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_export(
    "keras.metrics.categorical_focal_crossentropy", "keras.losses.categorical_focal_crossentropy"
)
def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """The categorical cross-entropy with each class term scaled by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: a weight on every term.
        gamma: the focusing exponent; 0 gives `alpha` times the categorical cross-entropy.
        from_logits, label_smoothing, axis: as for `categorical_crossentropy`.
    """
    _check_axis(axis)
    y_true, y_pred = _prepare_one_hot(
        "categorical_focal_crossentropy", y_true, y_pred, label_smoothing
    )
    if from_logits:
        y_pred = jax.nn.softmax(y_pred, axis=axis)
    epsilon = config.epsilon()
    output = jnp.clip(y_pred / jnp.sum(y_pred, axis=axis, keepdims=True), epsilon, 1.0 - epsilon)
    crossentropy = -y_true * jnp.log(output)
    focal = jnp.power(1.0 - output, gamma) * alpha * crossentropy
    return jnp.sum(focal, axis=axis)


@keras_export(
    "keras.metrics.sparse_categorical_crossentropy", "keras.losses.sparse_categorical_crossentropy"
)
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """The categorical cross-entropy for integer class ids.

    Args:
        y_true: class ids, with the shape of `y_pred` minus its class axis (or with size 1 there).
        y_pred: probabilities or logits over the classes.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a class id whose entries get zero loss and are masked out of the reduction
            (e.g. the padding label in segmentation). The result then carries that mask.
        axis: the class axis.

    Example:

    >>> sparse_categorical_crossentropy([1], [[0.5, 0.5]])
    Array([0.6931472], dtype=float32)
    """
    y_pred = to_float(y_pred)
    y_true = convert_to_tensor(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = jnp.squeeze(y_true, axis=axis)
    if ignore_class is None:
        return nn_losses.sparse_categorical_crossentropy(
            y_true, y_pred, from_logits=from_logits, axis=axis
        )
    class_axis = axis % y_pred.ndim
    result_shape = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
    valid = y_true != jnp.asarray(ignore_class, y_pred.dtype)
    y_true = jnp.where(valid, y_true, 0)
    y_pred = jnp.where(jnp.expand_dims(valid, axis), y_pred, 0)
    losses = nn_losses.sparse_categorical_crossentropy(
        y_true, y_pred, from_logits=from_logits, axis=axis
    )
    valid = jnp.reshape(valid, result_shape)
    losses = jnp.where(valid, losses, 0.0)
    set_mask(losses, valid)
    return losses


@keras_export("keras.losses.categorical_generalized_cross_entropy")
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """The generalized cross-entropy `(1 - p ** q) / q`, where `p` is the true class probability.

    It goes from the cross-entropy (`q` near 0) to the mean absolute error (`q = 1`); values in
    between are robust to noisy labels (Zhang and Sabuncu, 2018).

    Args:
        y_true: integer class ids, `(batch,)`. Unlike Keras, `(batch, 1)` is accepted too.
        y_pred: class probabilities, `(batch, num_classes)`.
        q: in (0, 1).
    """
    y_pred = to_float(y_pred)
    y_true = convert_to_tensor(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = jnp.squeeze(y_true, axis=-1)
    one_hot = jax.nn.one_hot(y_true.astype("int32"), y_pred.shape[-1], dtype=y_pred.dtype)
    probability = jnp.sum(y_pred * one_hot, axis=-1)
    return (1 - jnp.power(probability, q)) / q


@keras_export("keras.losses.CategoricalCrossentropy")
class CategoricalCrossentropy(LossFunctionWrapper):
    """The cross-entropy between one-hot labels and predicted class probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; labels become `y_true * (1 - s) + s / num_classes`.
        axis: the class axis.
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> loss = CategoricalCrossentropy()
    >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]]))), 4)
    0.6931
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        validate_label_smoothing(label_smoothing)
        _check_axis(axis)
        super().__init__(
            categorical_crossentropy,
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


@keras_export("keras.losses.CategoricalFocalCrossentropy")
class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """The focal categorical cross-entropy: each class term scaled by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: a weight on every term.
        gamma: the focusing exponent.
        from_logits, label_smoothing, axis: as for `CategoricalCrossentropy`.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        validate_label_smoothing(label_smoothing)
        _check_axis(axis)
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }


@keras_export("keras.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """The cross-entropy between integer class ids and predicted class probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a class id to leave out of the loss and of the averaging (e.g. padding).
        axis: the class axis. As in Keras, it is not part of `get_config()`.
        reduction, name, dtype: as for `workbench.losses.Loss`.

    Example:

    >>> loss = SparseCategoricalCrossentropy(ignore_class=-1)
    >>> round(float(loss(jnp.array([1, -1]), jnp.array([[0.5, 0.5], [0.9, 0.1]]))), 4)
    0.6931
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        if isinstance(ignore_class, bool) or not isinstance(
            ignore_class, (numbers.Integral, type(None))
        ):
            raise ValueError(
                "Argument `ignore_class` must be an int or None. "
                f"Received: ignore_class={ignore_class!r}"
            )
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
        }


@keras_export("keras.losses.CategoricalGeneralizedCrossEntropy")
class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """The generalized cross-entropy `(1 - p ** q) / q` of integer labels, robust to label noise.

    Args:
        q: in (0, 1); near 0 it behaves like the cross-entropy, at 1 like the mean absolute error.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 < q < 1:
            raise ValueError(f"Argument `q` must be in the interval (0, 1). Received: q={q!r}")
        super().__init__(
            categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q
        )
        self.q = q

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}
