"""Pure helpers shared by the metrics: rank alignment, masks, thresholds and confusion counts.

Every function here maps arrays to arrays; the metric classes own the state.
"""

import jax
import jax.numpy as jnp
import numpy as np

from workbench.backend import config
from workbench.backend.tensor_attributes import get_mask
from workbench.backend.variables import Variable

# The threshold that `Precision`/`Recall` with `top_k` use: every kept score is above it.
NEG_INF = -1e10


def as_array(x, dtype=None):
    """`x` (a Variable, array or nested list) as a `jax.Array`, optionally cast to `dtype`."""
    if isinstance(x, Variable):
        x = x.value
    return jnp.asarray(x, dtype=dtype)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Aligns ranks that differ by one through a trailing axis of size 1, as Keras losses do."""
    rank1, rank2 = x1.ndim, x2.ndim
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, -1)
        else:
            x1 = jnp.squeeze(x1, -1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, -1)
        else:
            x2 = jnp.squeeze(x2, -1)
    return x1, x2


def apply_mask(sample_weight, mask, dtype):
    """Folds a Keras mask into the sample weights (masked entries weigh 0)."""
    if mask is None:
        return sample_weight
    float_mask = jnp.asarray(mask, dtype=dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = jnp.asarray(sample_weight, dtype=dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def divide_no_nan(x, y):
    """`x / y`, with 0 where `y == 0`."""
    x, y = as_array(x), as_array(y)
    return jnp.where(y == 0, 0, x / jnp.where(y == 0, 1, y))


def keras_mask(x):
    return None if x is None else get_mask(x)


def loss_function(name):
    """The function form of a loss (`"mean_squared_error"`) from `workbench.losses`.

    Imported on use: the metrics that wrap losses must not make `workbench.losses` a
    dependency of importing `workbench.metrics`.
    """
    from workbench import losses

    return getattr(losses, name)


# ---------------------------------------------------------------------------------------------
# thresholds
# ---------------------------------------------------------------------------------------------
def to_list(x):
    if isinstance(x, list):
        return x
    if isinstance(x, tuple):
        return list(x)
    return [x]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The list of thresholds a confusion metric evaluates; each must lie in [0, 1]."""
    if thresholds is None:
        return [default_threshold]
    thresholds = to_list(thresholds)
    invalid = [t for t in thresholds if t is None or t < 0 or t > 1]
    if invalid:
        raise ValueError(
            "Argument `thresholds` must hold values in [0, 1]. "
            f"Received: thresholds={thresholds} (invalid: {invalid})"
        )
    return thresholds


def is_evenly_distributed_thresholds(thresholds):
    """Whether `thresholds` are `linspace(0, 1, n)` (n >= 3), which allows bucketed counting."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def filter_top_k(x, k):
    """Keeps the `k` largest scores of the last axis and pushes the others to `NEG_INF`."""
    _, indices = jax.lax.top_k(x, k)
    keep = jnp.sum(jax.nn.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * keep + NEG_INF * (1 - keep)


# ---------------------------------------------------------------------------------------------
# confusion counts
# ---------------------------------------------------------------------------------------------
def confusion_counts(
    y_true,
    y_pred,
    thresholds,
    *,
    dtype,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    thresholds_distributed_evenly=False,
):
    """Weighted true/false positive/negative counts of `y_pred > t` for each threshold `t`.

    Returns a dict with keys `"tp"`, `"fp"`, `"tn"`, `"fn"`, each of shape `(num_thresholds,)`,
    or `(num_thresholds, num_labels)` with `multi_label=True`. Under `jax.jit`, the counts a
    metric does not use are never computed.

    Args:
        y_true: labels, cast to bool.
        y_pred: scores in [0, 1].
        thresholds: a list of floats.
        dtype: the dtype of the counts.
        top_k: keep only the `top_k` largest scores of each row (the rest count as negative).
        class_id: restrict the labels and scores to this column.
        sample_weight: weights broadcastable to `y_true`.
        multi_label: count each label column separately instead of flattening.
        label_weights: per-label weights, applied when the labels are flattened.
        thresholds_distributed_evenly: the thresholds are evenly spaced, so each score can be
            assigned to a bucket in one pass (O(T + N) instead of O(T * N)).
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` with `multi_label=True` must be applied to the per-label result, "
            f"not to the counts. Received: label_weights={label_weights}"
        )
    y_true = as_array(y_true, dtype)
    y_pred = as_array(y_pred, dtype)
    thresholds_with_epsilon = bool(thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = jnp.expand_dims(as_array(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When `class_id` is set, `y_pred` must have shape (num_samples, num_classes). "
                f"Received: y_pred.shape={y_pred.shape}, class_id={class_id}"
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if label_weights is not None:
        label_weights = jnp.broadcast_to(as_array(label_weights, dtype)[None], y_pred.shape)
    if sample_weight is not None:
        sample_weight = jnp.broadcast_to(sample_weight, y_pred.shape)
    thresholds = jnp.asarray(thresholds, dtype=dtype)
    if thresholds_distributed_evenly:
        return _bucketed_counts(
            y_true, y_pred, thresholds.shape[0], sample_weight, label_weights, multi_label,
            thresholds_with_epsilon,
        )
    return _compared_counts(y_true, y_pred, thresholds, sample_weight, label_weights, multi_label)


def _compared_counts(y_true, y_pred, thresholds, sample_weight, label_weights, multi_label):
    """Counts by comparing every score with every threshold: a (T, N) boolean grid."""
    dtype = y_pred.dtype
    if multi_label:
        # (T, N, L), summed over the samples only.
        predicted = y_pred[None] > thresholds[:, None, None]
        labels = jnp.broadcast_to(y_true.astype(bool)[None], predicted.shape)
    else:
        predicted = y_pred.reshape(1, -1) > thresholds[:, None]
        labels = jnp.broadcast_to(y_true.astype(bool).reshape(1, -1), predicted.shape)
    weights = sample_weight
    if label_weights is not None:
        weights = label_weights if weights is None else weights * label_weights
    if weights is not None:
        weights = weights[None] if multi_label else weights.reshape(1, -1)

    def count(label, prediction):
        hit = jnp.logical_and(label, prediction)
        values = hit.astype(dtype) if weights is None else jnp.where(hit, weights.astype(dtype), 0)
        return jnp.sum(values, axis=1)

    negatives, not_predicted = ~labels, ~predicted
    return {
        "tp": count(labels, predicted),
        "fp": count(negatives, predicted),
        "tn": count(negatives, not_predicted),
        "fn": count(labels, not_predicted),
    }


def _bucketed_counts(y_true, y_pred, num_thresholds, sample_weight, label_weights, multi_label,
                     thresholds_with_epsilon):
    """Counts for evenly spaced thresholds: each score lands in one bucket, then a reverse cumsum.

    Score `p` is above threshold `i` exactly when its bucket `ceil(p * (T - 1)) - 1` is >= i.
    """
    dtype = y_true.dtype
    weights = jnp.asarray(1.0, dtype)
    if sample_weight is not None:
        weights = weights * sample_weight
    if label_weights is not None:
        weights = weights * label_weights
    weights = weights.astype(dtype)
    y_pred = jnp.clip(y_pred, 0.0, 1.0)
    y_true = y_true.astype(bool).astype(dtype)
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weights = weights.reshape(-1) if weights.ndim else weights
    true_labels = y_true * weights
    false_labels = (1.0 - y_true) * weights
    buckets = jnp.ceil(y_pred * jnp.asarray(num_thresholds - 1, dtype)) - 1
    if thresholds_with_epsilon:
        # The first threshold is just below 0, so every score is above it.
        buckets = jnp.maximum(buckets, 0)
    buckets = buckets.astype("int32")

    def above(values, bucket_ids):
        # Scores in bucket -1 (exactly 0 without the epsilon) fall outside and are dropped.
        per_bucket = jax.ops.segment_sum(values, bucket_ids, num_segments=num_thresholds)
        return jnp.flip(jnp.cumsum(jnp.flip(per_bucket)))

    if multi_label:
        # One bucketing per label column; the results stack into (T, L).
        above = jax.vmap(above, in_axes=1, out_axes=1)
        total_true, total_false = jnp.sum(true_labels, axis=0), jnp.sum(false_labels, axis=0)
    else:
        total_true, total_false = jnp.sum(true_labels), jnp.sum(false_labels)
    tp, fp = above(true_labels, buckets), above(false_labels, buckets)
    return {"tp": tp, "fp": fp, "tn": total_false - fp, "fn": total_true - tp}


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """The `(num_classes, num_classes)` matrix of (weighted) counts; rows are the true labels."""
    labels = as_array(labels, dtype)
    predictions = as_array(predictions, dtype)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    values = jnp.ones_like(predictions) if weights is None else as_array(weights, dtype)
    matrix = jnp.zeros((num_classes, num_classes), dtype=dtype)
    return matrix.at[labels.astype("int32"), predictions.astype("int32")].add(values.astype(dtype))
