"""`Sum`, `Mean`, and `MeanMetricWrapper` (the mean of a per-sample function over all batches)."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.metrics import metrics_utils
from workbench.metrics.metric import Metric
from workbench.saving import serialization_lib


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample (the first axis).

    Returns `(values, sample_weight)`, with `sample_weight` reduced the same way (or None).
    A Keras mask on `values` zeroes the weights of masked entries.
    """
    mask = metrics_utils.keras_mask(values)
    values = metrics_utils.as_array(values, dtype)
    if sample_weight is not None:
        sample_weight = metrics_utils.as_array(sample_weight, dtype)
        sample_weight = metrics_utils.apply_mask(sample_weight, mask, dtype)
        values, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.ndim
        if values.ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values.ndim)))
        sample_weight = jnp.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


@keras_export("keras.metrics.Sum")
class Sum(Metric):
    """The (weighted) sum of the given values. State: `total`.

    Args:
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.Sum()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    4.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, jnp.sum, self.dtype)
        self.total.assign_add(jnp.sum(values))

    def result(self):
        return jnp.asarray(self.total.value, dtype=self.dtype)


@keras_export("keras.metrics.Mean")
class Mean(Metric):
    """The (weighted) mean of the given values. State: `total` and `count`.

    Values of rank > 1 are first averaged to one value per sample, so `count` counts samples
    (or sums their weights).

    Args:
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, jnp.mean, self.dtype
        )
        self.total.assign_add(jnp.sum(values))
        if sample_weight is not None:
            num_samples = jnp.sum(sample_weight)
        else:
            num_samples = values.shape[0] if values.ndim >= 1 else 1
        self.count.assign_add(jnp.asarray(num_samples, dtype=self.dtype))

    def result(self):
        count = jnp.asarray(self.count.value, self.dtype)
        return metrics_utils.divide_no_nan(self.total.value, count)


@keras_export("keras.metrics.MeanMetricWrapper")
class MeanMetricWrapper(Mean):
    """The mean over all samples of a per-sample function `fn(y_true, y_pred, **kwargs)`.

    A Keras mask on `y_pred` excludes the masked entries.

    Args:
        fn: the function, returning one value per sample (or per entry).
        name: the metric name.
        dtype: the dtype of the result.
        **kwargs: passed to `fn` on every call.

    Example:

    >>> def squared_error(y_true, y_pred):
    ...     return (jnp.asarray(y_true) - jnp.asarray(y_pred)) ** 2
    >>> m = workbench.metrics.MeanMetricWrapper(fn=squared_error)
    >>> float(m([1.0, 2.0], [1.0, 4.0]))
    2.0
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if _is_loss(fn):
            # Losses are minimized; callbacks with mode="auto" read this.
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = metrics_utils.keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = metrics_utils.apply_mask(sample_weight, mask, self.dtype)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config(), "fn": serialization_lib.serialize_keras_object(self._fn)}
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = serialization_lib.deserialize_keras_object(config)
        return cls(**config)


def _is_loss(fn):
    from workbench import losses

    return fn in losses.ALL_OBJECTS or type(fn) in losses.ALL_OBJECTS


class LossMetric(MeanMetricWrapper):
    """The mean of the `workbench.losses` function named `loss_name` (lower is better).

    Its config holds only `name` and `dtype` (plus what a subclass adds), as Keras's do.
    """

    loss_name = None

    def __init__(self, name=None, dtype=None, **kwargs):
        fn = metrics_utils.loss_function(self.loss_name)
        super().__init__(fn=fn, name=name, dtype=dtype, **kwargs)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
