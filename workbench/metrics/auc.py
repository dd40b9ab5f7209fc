"""`AUC`: the area under the ROC or precision-recall curve, from confusion counts at thresholds."""

import jax
import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.metrics import metrics_utils
from workbench.metrics.confusion_metrics import ConfusionCountsMetric
from workbench.metrics.metrics_utils import divide_no_nan
from workbench.saving import serialization_lib

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATION_METHODS = ("interpolation", "majoring", "minoring")


def _parse_choice(name, value, choices):
    key = getattr(value, "value", value)  # Keras's AUCCurve / AUCSummationMethod enums
    if isinstance(key, str) and key.lower() in choices:
        return choices[key.lower()]
    raise ValueError(
        f"Invalid value for argument `{name}`. Expected one of {list(choices.values())}. "
        f"Received: {name}={value!r}"
    )


@keras_export("keras.metrics.AUC")
class AUC(ConfusionCountsMetric):
    """The area under the ROC curve (or the PR / PR-gain curve), approximated by a Riemann sum.

    Scores are compared with `num_thresholds` thresholds; the confusion counts at each give
    one point of the curve. Its state is `true_positives`, `false_positives`,
    `true_negatives` and `false_negatives`, each of shape `(num_thresholds,)`, or
    `(num_thresholds, num_labels)` with `multi_label=True`.

    Args:
        num_thresholds: how many evenly spaced thresholds (> 1) to use.
        curve: `"ROC"`, `"PR"` (precision-recall) or `"PRGAIN"` (precision-recall gain).
        summation_method: `"interpolation"` (midpoints; for PR, interpolates the counts as in
            Davis & Goadrich 2006), `"minoring"` (lower sums) or `"majoring"` (upper sums).
        name: the metric name.
        dtype: the dtype of the result.
        thresholds: explicit thresholds in [0, 1], overriding `num_thresholds`; thresholds just
            below 0 and just above 1 are added.
        multi_label: treat each column of 2-D labels as a separate label, and average the
            per-label AUCs; otherwise all entries are pooled into one curve.
        num_labels: the number of labels, with `multi_label=True`; otherwise read from the
            first batch.
        label_weights: per-label weights: for pooled labels they weight the counts, with
            `multi_label=True` they weight the average of the per-label AUCs.
        from_logits: `y_pred` holds logits, passed through a sigmoid first.

    Example:

    >>> m = workbench.metrics.AUC(num_thresholds=3)
    >>> float(m([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
    0.75
    """

    _count_keys = ("tp", "fp", "tn", "fn")

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        self.curve = _parse_choice("curve", curve, _CURVES)
        self.summation_method = _parse_choice(
            "summation_method", summation_method, {m: m for m in _SUMMATION_METHODS}
        )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(thresholds)
            self.num_thresholds = len(thresholds) + 2
            self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
                np.array([0.0] + thresholds + [1.0])
            )
        else:
            if not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        # The end points sit just outside [0, 1], so scores of exactly 0 and 1 are counted.
        epsilon = config.epsilon()
        self._thresholds = np.array([0.0 - epsilon] + thresholds + [1.0 + epsilon])
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        if label_weights is not None:
            label_weights = jnp.asarray(label_weights, self.dtype)
        self.label_weights = label_weights
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        elif num_labels:
            raise ValueError(
                "Argument `num_labels` is only used with `multi_label=True`. "
                f"Received: num_labels={num_labels}, multi_label={multi_label}"
            )
        else:
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "With `multi_label=True`, `y_pred` must have rank 2 (batch_size, num_labels). "
                    f"Received: y_pred.shape={tuple(shape)}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self._add_count_variables(variable_shape)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = metrics_utils.as_array(y_pred)
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            y_pred = jax.nn.sigmoid(y_pred)
        counts = self._batch_counts(
            y_true, y_pred, sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )
        for key, variable in zip(self._count_keys, self._count_variables()):
            variable.assign_add(counts[key])

    def _counts(self):
        return (v.value for v in self._count_variables())

    def interpolate_pr_auc(self):
        """The PR AUC with the counts (not the precision) interpolated between thresholds.

        Between two thresholds precision is `dtp / dp` with an intercept, so the exact area of
        each piece has a closed form with a log term (Davis & Goadrich 2006).
        """
        tp, fp, _, fn = self._counts()
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, jnp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        safe_p_ratio = jnp.where(
            jnp.logical_and(p[:-1] > 0, p[1:] > 0),
            divide_no_nan(p[:-1], jnp.maximum(p[1:], 0)),
            jnp.ones_like(p[1:]),
        )
        increments = divide_no_nan(
            slope * (dtp + intercept * jnp.log(safe_p_ratio)), jnp.maximum(tp[1:] + fn[1:], 0)
        )
        return self._sum_over_thresholds(increments)

    def _sum_over_thresholds(self, terms):
        if not self.multi_label:
            return jnp.sum(terms)
        by_label = jnp.sum(terms, axis=0)
        if self.label_weights is None:
            return jnp.mean(by_label)
        return divide_no_nan(jnp.sum(by_label * self.label_weights), jnp.sum(self.label_weights))

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self._counts()
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:
            scale = divide_no_nan(tp + fn, tn + fp)
            recall_gain = jnp.where(tp == 0, 0.0, 1.0 - scale * divide_no_nan(fn, tp))
            precision_gain = jnp.where(tp == 0, 1.0, 1.0 - scale * divide_no_nan(fp, tp))
            x, y = jnp.maximum(recall_gain, 0.0), precision_gain
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = jnp.minimum(y[:-1], y[1:])
        else:
            heights = jnp.maximum(y[:-1], y[1:])
        return self._sum_over_thresholds((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config

    @classmethod
    def from_config(cls, config):
        # A saved config holds `label_weights` as a serialized tensor (Keras cannot revive it).
        label_weights = config.get("label_weights")
        if isinstance(label_weights, dict):
            label_weights = serialization_lib.deserialize_keras_object(label_weights)
            config = {**config, "label_weights": label_weights}
        return cls(**config)
