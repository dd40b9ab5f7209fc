"""Intersection-over-union metrics, from a confusion matrix accumulated over batches."""

import warnings

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.metrics.metric import Metric
from workbench.metrics.metrics_utils import as_array, confusion_matrix


class _IoUBase(Metric):
    """Accumulates the `(num_classes, num_classes)` confusion matrix `total_confusion_matrix`."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes), initializer="zeros", dtype=self.dtype,
            name="total_confusion_matrix",
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.sparse_y_true:
            y_true = jnp.argmax(as_array(y_true), axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = jnp.argmax(as_array(y_pred), axis=self.axis)
        y_true = as_array(y_true, self.dtype).reshape(-1)
        y_pred = as_array(y_pred, self.dtype).reshape(-1)
        if sample_weight is None:
            sample_weight = 1
        elif "float" in str(getattr(sample_weight, "dtype", "")) and "int" in self.dtype:
            warnings.warn(
                f"{type(self).__name__} has dtype {self.dtype}, so the float `sample_weight` is "
                "truncated to integers. Pass integer weights, or a float `dtype`.",
                stacklevel=2,
            )
        sample_weight = as_array(sample_weight, self.dtype)
        if sample_weight.ndim > 1:
            sample_weight = sample_weight.reshape(-1)
        sample_weight = jnp.broadcast_to(sample_weight, y_true.shape)
        # Labels or predictions outside [0, num_classes), and the ignored class, add nothing.
        valid = ((y_true >= 0) & (y_true < self.num_classes)
                 & (y_pred >= 0) & (y_pred < self.num_classes))
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        current = confusion_matrix(
            jnp.where(valid, y_true, 0), jnp.where(valid, y_pred, 0), self.num_classes,
            weights=jnp.where(valid, sample_weight, 0), dtype=self.dtype,
        )
        return self.total_cm.assign(self.total_cm.value + current)


@keras_export("keras.metrics.IoU")
class IoU(_IoUBase):
    """The mean over `target_class_ids` of `true_positives / (true_positives + false_positives +
    false_negatives)`; classes that never occur are left out of the mean.

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: the metric name.
        dtype: the dtype of the confusion matrix (default int32).
        ignore_class: a label value whose entries are left out (e.g. padding).
        sparse_y_true: whether labels are class ids (True) or one-hot / scores (False).
        sparse_y_pred: whether predictions are class ids (True) or scores (False).
        axis: the class axis of non-sparse inputs.

    Example:

    >>> m = workbench.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> float(m([0, 0, 1, 1], [0, 1, 0, 1]))
    0.33333...
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Argument `target_class_ids` holds class id {max(target_class_ids)}, outside the "
                f"range [0, {num_classes}) set by num_classes={num_classes}. "
                f"Received: target_class_ids={list(target_class_ids)}"
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        matrix = self.total_cm.value
        true_positives = jnp.diag(matrix).astype(self.dtype)
        sum_over_rows = jnp.sum(matrix, axis=0).astype(self.dtype)
        sum_over_columns = jnp.sum(matrix, axis=1).astype(self.dtype)
        denominator = sum_over_rows + sum_over_columns - true_positives
        targets = jnp.asarray(self.target_class_ids, "int32")
        true_positives = true_positives[targets].astype("float32")
        denominator = denominator[targets].astype("float32")
        valid = denominator > 1e-9
        iou = jnp.where(valid, true_positives / (denominator + config.epsilon()), 0.0)
        return jnp.sum(iou, axis=self.axis) / (jnp.sum(valid.astype("float32")) + config.epsilon())

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


@keras_export("keras.metrics.BinaryIoU")
class BinaryIoU(IoU):
    """IoU for binary labels, with predictions `y_pred >= threshold` counting as class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 to average over.
        threshold: the score at or above which a prediction is class 1.
        name: the metric name.
        dtype: the dtype of the confusion matrix (default int32).

    Example:

    >>> m = workbench.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> float(m([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]))
    0.33333...
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = (as_array(y_pred, "float32") >= self.threshold).astype(self.dtype)
        return super().update_state(as_array(y_true, self.dtype), y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


@keras_export("keras.metrics.MeanIoU")
class MeanIoU(IoU):
    """The IoU averaged over all `num_classes` classes (those that occur).

    Args:
        num_classes: the number of classes.
        name: the metric name.
        dtype: the dtype of the confusion matrix (default int32).
        ignore_class: a label value whose entries are left out (e.g. padding).
        sparse_y_true: whether labels are class ids (True) or one-hot / scores (False).
        sparse_y_pred: whether predictions are class ids (True) or scores (False).
        axis: the class axis of non-sparse inputs.

    Example:

    >>> m = workbench.metrics.MeanIoU(num_classes=2)
    >>> float(m([0, 0, 1, 1], [0, 1, 0, 1]))
    0.33333...
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=list(range(num_classes)),
                         name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@keras_export("keras.metrics.OneHotIoU")
class OneHotIoU(IoU):
    """IoU for one-hot labels and class scores (both reduced with argmax over `axis`).

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: the metric name.
        dtype: the dtype of the confusion matrix (default int32).
        ignore_class: a class id whose entries are left out.
        sparse_y_pred: whether predictions are already class ids.
        axis: the class axis.

    Example:

    >>> m = workbench.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> float(m([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...         [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]]))
    0.16666...
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@keras_export("keras.metrics.OneHotMeanIoU")
class OneHotMeanIoU(MeanIoU):
    """The mean IoU over all classes, for one-hot labels and class scores.

    Args:
        num_classes: the number of classes.
        name: the metric name.
        dtype: the dtype of the confusion matrix (default int32).
        ignore_class: a class id whose entries are left out.
        sparse_y_pred: whether predictions are already class ids.
        axis: the class axis.

    Example:

    >>> m = workbench.metrics.OneHotMeanIoU(num_classes=3)
    >>> float(m([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...         [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]]))
    0.11111...
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
