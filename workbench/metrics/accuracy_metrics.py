"""Accuracy metrics: how often predictions match labels, exactly, by threshold, argmax or top-k."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.metrics.metrics_utils import as_array, squeeze_or_expand_to_same_rank
from workbench.metrics.reduction_metrics import MeanMetricWrapper


def _matches(a, b):
    return jnp.equal(a, b).astype(config.floatx())


def accuracy(y_true, y_pred):
    y_pred = as_array(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(as_array(y_true, y_pred.dtype), y_pred)
    return _matches(y_true, y_pred)


@keras_export("keras.metrics.binary_accuracy")
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `y_pred > threshold` agrees with the binary label `y_true`, else 0.0."""
    y_pred, y_true = as_array(y_pred), as_array(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, (y_pred > threshold).astype(y_true.dtype))


def _argmax_matches(y_true, y_pred, squeeze_any_last_axis):
    """Compares class ids `y_true` with `argmax(y_pred)`, keeping `y_true`'s shape."""
    shape = y_true.shape
    reshaped = False
    if y_true.ndim == y_pred.ndim and (squeeze_any_last_axis or y_true.shape[-1] == 1):
        y_true = jnp.squeeze(y_true, -1)
        reshaped = True
    predicted = jnp.argmax(y_pred, axis=-1).astype(y_true.dtype)
    matches = _matches(y_true, predicted)
    return matches.reshape(shape) if reshaped else matches


@keras_export("keras.metrics.categorical_accuracy")
def categorical_accuracy(y_true, y_pred):
    """1.0 where `argmax(y_pred)` equals `argmax(y_true)` (one-hot labels), else 0.0."""
    y_pred = as_array(y_pred)
    y_true = jnp.argmax(as_array(y_true), axis=-1).astype(y_pred.dtype)
    return _argmax_matches(y_true, y_pred, squeeze_any_last_axis=True)


@keras_export("keras.metrics.sparse_categorical_accuracy")
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where `argmax(y_pred)` equals the integer label `y_true`, else 0.0."""
    y_pred = as_array(y_pred)
    matches = _argmax_matches(as_array(y_true, y_pred.dtype), y_pred, squeeze_any_last_axis=False)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = jnp.squeeze(matches, -1)
    return matches


def _in_top_k(targets, predictions, k):
    """Whether each target's score ranks within the top `k` (ties count in its favour)."""
    at_target = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    # A NaN score is never among the largest.
    at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    return 1 + jnp.sum(predictions > at_target, axis=-1) <= k


def _top_k_matches(y_true, y_pred, k, from_sorted_ids=False):
    shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    y_true = y_true.reshape(-1) if y_true.ndim > 1 else y_true
    if from_sorted_ids:
        # `y_pred` holds class ids sorted by score; count a repeated id once.
        found = jnp.any(y_true[:, None] == y_pred[:, :k], axis=1)
    else:
        found = _in_top_k(y_true.astype("int32"), y_pred, k)
    return found.astype(config.floatx()).reshape(shape)


@keras_export("keras.metrics.top_k_categorical_accuracy")
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label's class is among the `k` highest scores, else 0.0."""
    y_pred = as_array(y_pred)
    y_true = jnp.argmax(as_array(y_true, y_pred.dtype), axis=-1)
    return _top_k_matches(y_true, y_pred, k)


@keras_export("keras.metrics.sparse_top_k_categorical_accuracy")
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest scores, else 0.0.

    With `from_sorted_ids=True`, `y_pred` holds class ids already sorted by score (as
    `top_k` returns them), and only its first `k` columns are read.
    """
    y_pred = as_array(y_pred)
    y_true = as_array(y_true, y_pred.dtype if from_sorted_ids else "int32")
    return _top_k_matches(y_true, y_pred, k, from_sorted_ids)


@keras_export("keras.metrics.Accuracy")
class Accuracy(MeanMetricWrapper):
    """How often `y_pred` equals `y_true` exactly.

    Example:

    >>> m = workbench.metrics.Accuracy()
    >>> float(m([[1], [2], [3], [4]], [[0], [2], [3], [4]]))
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export("keras.metrics.BinaryAccuracy")
class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` matches the binary labels.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        threshold: the probability above which a prediction counts as 1.

    Example:

    >>> m = workbench.metrics.BinaryAccuracy()
    >>> float(m([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


@keras_export("keras.metrics.CategoricalAccuracy")
class CategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` equals `argmax(y_true)`, for one-hot labels.

    Example:

    >>> m = workbench.metrics.CategoricalAccuracy()
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export("keras.metrics.SparseCategoricalAccuracy")
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` equals the integer labels.

    Example:

    >>> m = workbench.metrics.SparseCategoricalAccuracy()
    >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export("keras.metrics.TopKCategoricalAccuracy")
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the `k` highest scores.

    Args:
        k: how many of the highest scores count as a hit.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.TopKCategoricalAccuracy(k=1)
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


@keras_export("keras.metrics.SparseTopKCategoricalAccuracy")
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` highest scores.

    Args:
        k: how many of the highest scores count as a hit.
        name: the metric name.
        dtype: the dtype of the result.
        from_sorted_ids: `y_pred` holds class ids sorted by score instead of scores.

    Example:

    >>> m = workbench.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> float(m([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
