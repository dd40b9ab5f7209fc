"""AUC against Keras: every curve and summation method, explicit thresholds, multi-label."""

import numpy as np
import pytest

from tests.layer_test import keras_oracle
from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics

CASES = [
    ({}, "binary"),
    ({}, "binary_1d"),
    ({"num_thresholds": 7}, "binary"),
    ({"curve": "PR"}, "binary"),
    ({"curve": "pr", "summation_method": "minoring"}, "binary"),
    ({"curve": "ROC", "summation_method": "majoring"}, "binary"),
    ({"curve": "PRGAIN"}, "binary"),
    ({"curve": "PRGAIN", "summation_method": "Minoring"}, "binary"),
    ({"thresholds": [0.7, 0.1, 0.4]}, "binary"),
    ({"thresholds": [0.25, 0.5, 0.75]}, "binary"),  # evenly spaced with the end points
    ({"thresholds": [0.3, 0.6], "curve": "PR"}, "binary"),
    ({"from_logits": True}, "logits"),
    ({"label_weights": [0.1, 0.2, 0.3, 0.2, 0.2]}, "binary"),
    ({"multi_label": True}, "binary"),
    ({"multi_label": True, "num_labels": 5, "curve": "PR"}, "binary"),
    ({"multi_label": True, "label_weights": [1.0, 0.0, 2.0, 1.0, 1.0]}, "binary"),
    ({"multi_label": True, "label_weights": [1.0, 0.0, 2.0, 1.0, 1.0], "curve": "PR"}, "binary"),
    ({"multi_label": True, "thresholds": [0.2, 0.5, 0.9]}, "binary"),
    ({"multi_label": True, "curve": "PRGAIN", "summation_method": "majoring"}, "binary"),
]


@pytest.mark.parametrize("kwargs,kind", CASES, ids=[f"{k}-{d}" for k, d in CASES])
def test_auc_matches_keras(kwargs, kind):
    run_metric_test("AUC", kwargs, make_batches(kind))


def test_auc_of_a_perfect_ranking_is_one():
    m = metrics.AUC()
    m.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert float(m.result()) == pytest.approx(1.0)


def test_auc_accepts_keras_enum_values():
    keras = keras_oracle()
    from keras.src.metrics.metrics_utils import AUCCurve, AUCSummationMethod

    m = metrics.AUC(curve=AUCCurve.PR, summation_method=AUCSummationMethod.MAJORING)
    assert m.get_config()["curve"] == "PR" and m.get_config()["summation_method"] == "majoring"
    assert keras.metrics.AUC(curve=AUCCurve.PR).get_config()["curve"] == "PR"


def test_multi_label_auc_builds_its_state_on_the_first_batch():
    m = metrics.AUC(multi_label=True, num_thresholds=10)
    assert m.variables == []
    m.update_state(np.zeros((4, 3)), np.full((4, 3), 0.5))
    assert [tuple(v.shape) for v in m.variables] == [(10, 3)] * 4


BAD_ARGUMENTS = [
    ({"num_thresholds": 1}, "num_thresholds", "1"),
    ({"curve": "XY"}, "curve", "XY"),
    ({"summation_method": "trapezoid"}, "summation_method", "trapezoid"),
    ({"num_labels": 3}, "num_labels", "3"),
]


@pytest.mark.parametrize(
    "kwargs,argument,value", BAD_ARGUMENTS, ids=[a for _, a, _ in BAD_ARGUMENTS]
)
def test_bad_argument_raises_value_error_naming_it(kwargs, argument, value):
    with pytest.raises(ValueError, match=rf"`{argument}`.*{value}"):
        metrics.AUC(**kwargs)


def test_multi_label_needs_rank_2_predictions():
    with pytest.raises(ValueError, match="rank 2"):
        metrics.AUC(multi_label=True).update_state(np.zeros(4), np.zeros(4))
