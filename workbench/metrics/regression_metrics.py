"""Regression metrics: mean errors, cosine similarity, log-cosh, and the R2 score."""

import warnings

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.metrics.metric import Metric
from workbench.metrics.metrics_utils import as_array, squeeze_or_expand_to_same_rank
from workbench.metrics.reduction_metrics import LossMetric, Mean, MeanMetricWrapper

_EXAMPLE = """
    Example:

    >>> m = workbench.metrics.{cls}()
    >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
    {value}
    """


@keras_export("keras.metrics.MeanSquaredError")
class MeanSquaredError(LossMetric):
    __doc__ = "The mean of `square(y_true - y_pred)`." + _EXAMPLE.format(
        cls="MeanSquaredError", value="0.25")
    loss_name = "mean_squared_error"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.MeanAbsoluteError")
class MeanAbsoluteError(LossMetric):
    __doc__ = "The mean of `abs(y_true - y_pred)`." + _EXAMPLE.format(
        cls="MeanAbsoluteError", value="0.25")
    loss_name = "mean_absolute_error"

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(LossMetric):
    __doc__ = "The mean of `100 * abs((y_true - y_pred) / max(abs(y_true), epsilon))`." + (
        _EXAMPLE.format(cls="MeanAbsolutePercentageError", value="250000000.0"))
    loss_name = "mean_absolute_percentage_error"

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(LossMetric):
    __doc__ = "The mean of `square(log(y_true + 1) - log(y_pred + 1))`." + _EXAMPLE.format(
        cls="MeanSquaredLogarithmicError", value="0.12011...")
    loss_name = "mean_squared_logarithmic_error"

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.LogCoshError")
class LogCoshError(LossMetric):
    __doc__ = "The mean of `log(cosh(y_pred - y_true))`." + _EXAMPLE.format(
        cls="LogCoshError", value="0.10844...")
    loss_name = "log_cosh"

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.RootMeanSquaredError")
class RootMeanSquaredError(Mean):
    __doc__ = "The square root of the mean of `square(y_true - y_pred)`." + _EXAMPLE.format(
        cls="RootMeanSquaredError", value="0.5")

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = squeeze_or_expand_to_same_rank(
            as_array(y_true, self.dtype), as_array(y_pred, self.dtype)
        )
        return super().update_state(jnp.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return jnp.sqrt(super().result())


def _l2_normalize(x, axis):
    squared_norm = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jnp.minimum(jax.lax.rsqrt(squared_norm), 1.0 / config.epsilon())


def cosine_similarity(y_true, y_pred, axis=-1):
    y_pred = as_array(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(as_array(y_true, y_pred.dtype), y_pred)
    return jnp.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


@keras_export("keras.metrics.CosineSimilarity")
class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between `y_true` and `y_pred` along `axis` (higher is better).

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        axis: the axis along which the similarity is computed.

    Example:

    >>> m = workbench.metrics.CosineSimilarity()
    >>> float(m([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]))
    0.49999997...
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self):
        # Keras leaves `axis` out of the config too; a revived metric uses axis=-1.
        return {"name": self.name, "dtype": self.dtype}


@keras_export("keras.metrics.R2Score")
class R2Score(Metric):
    """The coefficient of determination, `1 - residual sum of squares / total sum of squares`.

    Inputs have shape `(batch_size, output_dim)`; the state (`num_samples`, then `squared_sum`,
    `sum`, `residual`, `count` per output) is created on the first batch.

    Args:
        class_aggregation: how to combine the outputs' scores: `"uniform_average"`,
            `"variance_weighted_average"`, or None (one score per output).
        num_regressors: the number of independent variables, for the adjusted R2 score
            (0 gives the plain score).
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.R2Score()
    >>> float(m([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]]))
    0.57142...
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), output_dim known. "
                f"Received: y_pred.shape={y_pred_shape}, y_true.shape={y_true_shape}"
            )
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=shape, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=shape, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=shape, initializer="zeros", name="residual")
        self.count = self.add_variable(shape=shape, initializer="zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = squeeze_or_expand_to_same_rank(
            as_array(y_true, self.dtype), as_array(y_pred, self.dtype)
        )
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        sample_weight = as_array(1 if sample_weight is None else sample_weight, self.dtype)
        if sample_weight.ndim == 1:
            sample_weight = sample_weight[:, None]
        sample_weight = jnp.broadcast_to(sample_weight, y_true.shape)
        weighted_y_true = y_true * sample_weight
        self.sum.assign_add(jnp.sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(jnp.sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(jnp.sum((y_true - y_pred) ** 2 * sample_weight, axis=0))
        self.count.assign_add(jnp.sum(sample_weight, axis=0))
        self.num_samples.assign_add(y_true.size)

    def result(self):
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw_scores = 1 - self.total_mse.value / total
        raw_scores = jnp.where(jnp.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            score = jnp.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = jnp.sum(total * raw_scores) / jnp.sum(total)
        else:
            score = raw_scores
        if self.num_regressors == 0:
            return score
        n = jnp.asarray(self.num_samples.value, "float32")
        p = float(self.num_regressors)
        if not isinstance(n, jax.core.Tracer):
            if p > float(n) - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 score. "
                              "Falling back to standard R2 score.", stacklevel=2)
            elif p == float(n) - 1:
                warnings.warn("Division by zero in adjusted R2 score. Falling back to standard R2 "
                              "score.", stacklevel=2)
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return jnp.where(p >= n - 1, score, adjusted)

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
