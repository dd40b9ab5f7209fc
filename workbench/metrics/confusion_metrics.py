"""Metrics built on thresholded confusion counts: TP/FP/TN/FN, Precision, Recall, the
sensitivity/specificity family. AUC, which shares the counting, is in `auc.py`."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.metrics import metrics_utils
from workbench.metrics.metric import Metric
from workbench.metrics.metrics_utils import divide_no_nan

VARIABLE_NAMES = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives",
                  "fn": "false_negatives"}


class ConfusionCountsMetric(Metric):
    """A metric whose state is some of the TP/FP/TN/FN counts at each of `self.thresholds`.

    Subclasses set `self.thresholds` and `self._thresholds_distributed_evenly`, then call
    `_add_count_variables`; `update_state` adds one batch's counts.
    """

    _count_keys = ()
    _top_k = None
    _class_id = None

    def _add_count_variables(self, shape):
        for key in self._count_keys:
            setattr(self, VARIABLE_NAMES[key],
                    self.add_variable(shape=shape, initializer="zeros", name=VARIABLE_NAMES[key]))

    def _count_variables(self):
        return [getattr(self, VARIABLE_NAMES[key]) for key in self._count_keys]

    def _batch_counts(self, y_true, y_pred, sample_weight, **options):
        return metrics_utils.confusion_counts(
            y_true, y_pred, self.thresholds,
            dtype=self._count_variables()[0].dtype,
            top_k=self._top_k,
            class_id=self._class_id,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            **options,
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = self._batch_counts(y_true, y_pred, sample_weight)
        for key, variable in zip(self._count_keys, self._count_variables()):
            variable.assign_add(counts[key])

    def _rate(self, numerator_key, other_key):
        """`n / (n + other)` per threshold, e.g. precision is `_rate("tp", "fp")`."""
        numerator = getattr(self, VARIABLE_NAMES[numerator_key]).value
        other = getattr(self, VARIABLE_NAMES[other_key]).value
        return divide_no_nan(numerator, numerator + other)


class _ConfusionMatrixConditionCount(ConfusionCountsMetric):
    """Counts one confusion condition at each threshold, in a variable named `accumulator`."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds
        )
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def _count_variables(self):
        return [self.accumulator]

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = self._batch_counts(y_true, y_pred, sample_weight)
        self.accumulator.assign_add(counts[self._condition])

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


_COUNT_DOC = """The weighted number of {what} at each threshold (`y_pred > threshold` is positive).

    Args:
        thresholds: a float or a list of floats in [0, 1]; defaults to 0.5. With one threshold
            the result is a scalar, otherwise one count per threshold.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.{cls}()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    {example}
    """


@keras_export("keras.metrics.TruePositives")
class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="true positives", cls="TruePositives", example="2.0")
    _condition = "tp"


@keras_export("keras.metrics.FalsePositives")
class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="false positives", cls="FalsePositives", example="1.0")
    _condition = "fp"


@keras_export("keras.metrics.TrueNegatives")
class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="true negatives", cls="TrueNegatives", example="0.0")
    _condition = "tn"


@keras_export("keras.metrics.FalseNegatives")
class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="false negatives", cls="FalseNegatives", example="1.0")
    _condition = "fn"


class _PrecisionOrRecall(ConfusionCountsMetric):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = self._top_k = top_k
        self.class_id = self._class_id = class_id
        # With top_k, every kept score counts as positive unless thresholds say otherwise.
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds
        )
        self._add_count_variables((len(self.thresholds),))

    def result(self):
        value = self._rate(*self._count_keys)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@keras_export("keras.metrics.Precision")
class Precision(_PrecisionOrRecall):
    """The precision `tp / (tp + fp)` of the predictions `y_pred > threshold`.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5; with `top_k`, every
            top-k score counts as positive). One result per threshold.
        top_k: count only the `top_k` highest scores of each row as positive.
        class_id: compute the metric for this class column only.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.Precision()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    0.6666666...
    """

    _count_keys = ("tp", "fp")


@keras_export("keras.metrics.Recall")
class Recall(_PrecisionOrRecall):
    """The recall `tp / (tp + fn)` of the predictions `y_pred > threshold`.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5; with `top_k`, every
            top-k score counts as positive). One result per threshold.
        top_k: count only the `top_k` highest scores of each row as positive.
        class_id: compute the metric for this class column only.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.Recall()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    0.6666666...
    """

    _count_keys = ("tp", "fn")


class SensitivitySpecificityBase(ConfusionCountsMetric):
    """The best value of one rate subject to a floor on another, over `num_thresholds` cutoffs."""

    _count_keys = ("tp", "fp", "tn", "fn")

    _constraint_argument = None  # the subclass's constructor argument holding `value`

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate(self._constraint_argument, value)
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = self._class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        self._add_count_variables((len(self.thresholds),))

    def _max_under_constraint(self, constrained, dependent):
        """The largest `dependent` rate among thresholds where `constrained >= self.value`."""
        return jnp.max(jnp.where(constrained >= self.value, dependent, 0), initial=0)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._constraint_argument: self.value}


def _check_rate(name, value):
    if not 0 <= value <= 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


_AT_DOC = """The best {best} among thresholds where {constraint} is at least `{arg}`.

    Args:
        {arg}: the required {constraint}, in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] to try.
        class_id: compute the metric for this class column only.
        name: the metric name.
        dtype: the dtype of the result.

    Example:

    >>> m = workbench.metrics.{cls}(0.5)
    >>> float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
    {example}
    """


@keras_export("keras.metrics.SensitivityAtSpecificity")
class SensitivityAtSpecificity(SensitivitySpecificityBase):
    _constraint_argument = "specificity"
    __doc__ = _AT_DOC.format(best="sensitivity (recall)", constraint="specificity",
                             arg="specificity", cls="SensitivityAtSpecificity", example="0.5")

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.specificity = specificity
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name,
                         dtype=dtype)

    def result(self):
        return self._max_under_constraint(self._rate("tn", "fp"), self._rate("tp", "fn"))


@keras_export("keras.metrics.SpecificityAtSensitivity")
class SpecificityAtSensitivity(SensitivitySpecificityBase):
    _constraint_argument = "sensitivity"
    __doc__ = _AT_DOC.format(best="specificity", constraint="sensitivity", arg="sensitivity",
                             cls="SpecificityAtSensitivity", example="0.6666666...")

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.sensitivity = sensitivity
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name,
                         dtype=dtype)

    def result(self):
        return self._max_under_constraint(self._rate("tp", "fn"), self._rate("tn", "fp"))


@keras_export("keras.metrics.PrecisionAtRecall")
class PrecisionAtRecall(SensitivitySpecificityBase):
    _constraint_argument = "recall"
    __doc__ = _AT_DOC.format(best="precision", constraint="recall", arg="recall",
                             cls="PrecisionAtRecall", example="0.5")

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.recall = recall
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name,
                         dtype=dtype)

    def result(self):
        return self._max_under_constraint(self._rate("tp", "fn"), self._rate("tp", "fp"))


@keras_export("keras.metrics.RecallAtPrecision")
class RecallAtPrecision(SensitivitySpecificityBase):
    _constraint_argument = "precision"
    __doc__ = _AT_DOC.format(best="recall", constraint="precision", arg="precision",
                             cls="RecallAtPrecision", example="1.0")

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.precision = precision
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name,
                         dtype=dtype)

    def result(self):
        return self._max_under_constraint(self._rate("tp", "fp"), self._rate("tp", "fn"))

