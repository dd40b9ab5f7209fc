"""F-scores: `FBetaScore` and `F1Score`, the weighted harmonic mean of precision and recall."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.metrics.metric import Metric
from workbench.metrics.metrics_utils import as_array


@keras_export("keras.metrics.FBetaScore")
class FBetaScore(Metric):
    """The F-beta score `(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`.

    Inputs have shape `(batch_size, num_classes)`. The state (`true_positives`,
    `false_positives`, `false_negatives`, `intermediate_weights`; one per class, or scalars
    with `average="micro"`) is created on the first batch.

    Args:
        average: None (one score per class), `"micro"` (pool all classes), `"macro"` (mean of
            the class scores) or `"weighted"` (mean weighted by each class's label count).
        beta: the weight of recall relative to precision, a float > 0.
        threshold: a float in (0, 1]: scores above it count as positive. None marks the
            highest score of each row positive.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], "int32"),
    ...                np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], "float32"))
    >>> np.asarray(m.result()).round(4)
    array([0.3846, 0.9091, 0.8333], dtype=float32)
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid value for argument `average`. Expected one of None, 'micro', 'macro', "
                f"'weighted'. Received: average={average!r}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid value for argument `beta`: it must be a Python float. "
                f"Received: beta={beta!r} of type {type(beta).__name__}"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid value for argument `beta`: it must be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid value for argument `threshold`: it must be a Python float. "
                    f"Received: threshold={threshold!r} of type {type(threshold).__name__}"
                )
            if not 0.0 < threshold <= 1.0:
                raise ValueError(
                    "Invalid value for argument `threshold`: it must satisfy 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        # Per-class counts sum over the batch only; "micro" pools everything.
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim), "
                f"output_dim known. Received: y_pred.shape={y_pred_shape}, "
                f"y_true.shape={y_true_shape}"
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            variable = self.add_variable(
                shape=shape, initializer="zeros", dtype=self.dtype, name=name
            )
            setattr(self, name, variable)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = as_array(y_true, self.dtype)
        y_pred = as_array(y_pred, self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            # The top score of each row is the prediction (unless the row is all zeros).
            top = jnp.max(y_pred, axis=-1, keepdims=True)
            y_pred = jnp.logical_and(y_pred >= top, jnp.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.astype(self.dtype)
        weights = None if sample_weight is None else as_array(sample_weight, self.dtype)[:, None]

        def weighted_sum(values):
            return jnp.sum(values if weights is None else values * weights, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        epsilon = config.epsilon()
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + epsilon)
        recall = tp / (tp + self.false_negatives.value + epsilon)
        beta_squared = self.beta**2
        mean = precision * recall / (beta_squared * precision + recall + epsilon)
        score = mean * (1 + beta_squared)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            return jnp.sum(score * (weights / (jnp.sum(weights) + epsilon)))
        if self.average is not None:
            return jnp.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


@keras_export("keras.metrics.F1Score")
class F1Score(FBetaScore):
    """The F1 score `2 * precision * recall / (precision + recall)`; `FBetaScore` with beta=1.

    Args:
        average: None (one score per class), `"micro"`, `"macro"` or `"weighted"`.
        threshold: a float in (0, 1]: scores above it count as positive. None marks the
            highest score of each row positive.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.F1Score(threshold=0.5)
    >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], "int32"),
    ...                np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], "float32"))
    >>> np.asarray(m.result()).round(4)
    array([0.5   , 0.8   , 0.6667], dtype=float32)
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
