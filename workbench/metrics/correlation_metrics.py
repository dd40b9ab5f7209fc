"""Correlation metrics: Pearson and concordance correlation along an axis, averaged over samples."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.metrics.metrics_utils import as_array, squeeze_or_expand_to_same_rank
from workbench.metrics.reduction_metrics import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = as_array(y_pred)
    return squeeze_or_expand_to_same_rank(as_array(y_true, y_pred.dtype), y_pred)


@keras_export("keras.metrics.pearson_correlation")
def pearson_correlation(y_true, y_pred, axis=-1):
    """The Pearson correlation coefficient of `y_true` and `y_pred` along `axis`, in [-1, 1].

    Example:

    >>> round(float(workbench.metrics.pearson_correlation([0.0, 1.0, 2.0], [0.0, 2.0, 4.0])), 4)
    1.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = y_true - jnp.mean(y_true, axis=axis, keepdims=True)
    y_pred = y_pred - jnp.mean(y_pred, axis=axis, keepdims=True)
    y_true = y_true / jnp.std(y_true, axis=axis, keepdims=True)
    y_pred = y_pred / jnp.std(y_pred, axis=axis, keepdims=True)
    return jnp.mean(y_true * y_pred, axis=axis)


@keras_export("keras.metrics.concordance_correlation")
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation of `y_true` and `y_pred` along `axis`, in [-1, 1].

    Example:

    >>> float(workbench.metrics.concordance_correlation([0.0, 1.0, 2.0], [0.0, 1.0, 2.0]))
    0.99999...
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = jnp.mean(y_true, axis=axis, keepdims=True)
    pred_mean = jnp.mean(y_pred, axis=axis, keepdims=True)
    true_var = jnp.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = jnp.var(y_pred - pred_mean, axis=axis, keepdims=True)
    # Keras centres both factors on the prediction mean; kept so results match it.
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + jnp.square(true_mean - pred_mean)
    return jnp.mean(2 * covariance / (norm + config.epsilon()), axis=axis)


class _CorrelationMetric(MeanMetricWrapper):
    def __init__(self, fn, name, dtype, axis):
        super().__init__(fn=fn, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


@keras_export("keras.metrics.PearsonCorrelation")
class PearsonCorrelation(_CorrelationMetric):
    """The mean over samples of the Pearson correlation along `axis`.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        axis: the axis along which the correlation is computed.

    Example:

    >>> m = workbench.metrics.PearsonCorrelation()
    >>> round(float(m([[0.0, 1.0, 2.0]], [[0.0, 2.0, 4.0]])), 4)
    1.0
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name, dtype, axis)


@keras_export("keras.metrics.ConcordanceCorrelation")
class ConcordanceCorrelation(_CorrelationMetric):
    """The mean over samples of the concordance correlation along `axis`.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        axis: the axis along which the correlation is computed.

    Example:

    >>> m = workbench.metrics.ConcordanceCorrelation()
    >>> float(m([[0.0, 1.0, 2.0]], [[0.0, 1.0, 2.0]]))
    0.99999...
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name, dtype, axis)
