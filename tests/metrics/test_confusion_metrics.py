"""TP/FP/TN/FN, Precision, Recall and the sensitivity/specificity family against Keras."""

import numpy as np
import pytest

from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics

EVEN = [0.0, 0.25, 0.5, 0.75, 1.0]  # evenly spaced: the bucketed counting path

CASES = [
    ("TruePositives", {}, "binary"),
    ("TruePositives", {"thresholds": [0.3, 0.6]}, "binary"),
    ("FalsePositives", {"thresholds": 0.7}, "binary_1d"),
    ("TrueNegatives", {"thresholds": EVEN}, "binary"),
    ("FalseNegatives", {"thresholds": [0.2, 0.9]}, "binary"),
    ("FalseNegatives", {"thresholds": EVEN}, "binary_1d"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.2, 0.5, 0.8]}, "binary"),
    ("Precision", {"thresholds": EVEN}, "binary"),
    ("Precision", {"top_k": 2}, "binary"),
    ("Precision", {"top_k": 2, "thresholds": 0.4}, "binary"),
    ("Precision", {"class_id": 1}, "binary"),
    ("Precision", {"class_id": 3, "top_k": 2}, "binary"),
    ("Recall", {}, "binary_1d"),
    ("Recall", {"thresholds": EVEN}, "binary"),
    ("Recall", {"top_k": 3}, "categorical"),
    ("Recall", {"class_id": 2, "thresholds": [0.1, 0.5]}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.6}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.4, "num_thresholds": 1}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 50}, "binary_1d"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "class_id": 1}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.5}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 2}, "binary"),
    ("RecallAtPrecision", {"precision": 0.6, "num_thresholds": 17}, "binary"),
]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=[f"{n}-{k}-{d}" for n, k, d in CASES])
def test_confusion_metric_matches_keras(name, kwargs, kind):
    run_metric_test(name, kwargs, make_batches(kind))


def test_scores_exactly_on_thresholds_count_as_negative_on_both_paths():
    y_true = np.array([1, 1, 1, 0, 0], "float32")
    y_pred = np.array([0.0, 0.25, 0.5, 0.75, 1.0], "float32")
    batches = [{"args": (y_true, y_pred), "sample_weight": None}]
    run_metric_test("TruePositives", {"thresholds": EVEN}, batches)
    run_metric_test("TruePositives", {"thresholds": [0.0, 0.25, 0.5, 0.7]}, batches)


def test_rank_2_sample_weights_match_keras():
    rng = np.random.default_rng(7)
    batches = [
        {
            "args": (
                rng.integers(0, 2, (6, 3)).astype("float32"),
                rng.random((6, 3)).astype("float32"),
            ),
            "sample_weight": rng.random((6, 3)).astype("float32"),
        }
    ]
    run_metric_test("Precision", {"thresholds": [0.3, 0.6]}, batches)
    run_metric_test("Recall", {"thresholds": EVEN}, batches)


def test_one_threshold_gives_a_scalar_and_several_give_a_vector():
    y_true, y_pred = [0, 1, 1, 1], [1, 0, 1, 1]
    assert np.shape(metrics.Precision()(y_true, y_pred)) == ()
    assert np.shape(metrics.Precision(thresholds=[0.1, 0.9])(y_true, y_pred)) == (2,)


BAD_ARGUMENTS = [
    (metrics.TruePositives, {"thresholds": 1.5}, "thresholds", "1.5"),
    (metrics.Precision, {"thresholds": [0.5, -0.1]}, "thresholds", "-0.1"),
    (metrics.Recall, {"thresholds": [None]}, "thresholds", "None"),
    (metrics.SensitivityAtSpecificity, {"specificity": 1.2}, "specificity", "1.2"),
    (metrics.SpecificityAtSensitivity, {"sensitivity": -1}, "sensitivity", "-1"),
    (metrics.PrecisionAtRecall, {"recall": 2}, "recall", "2"),
    (metrics.RecallAtPrecision, {"precision": 0.5, "num_thresholds": 0}, "num_thresholds", "0"),
]


@pytest.mark.parametrize(
    "cls,kwargs,argument,value",
    BAD_ARGUMENTS,
    ids=[f"{c.__name__}-{a}" for c, _, a, _ in BAD_ARGUMENTS],
)
def test_bad_argument_raises_value_error_naming_it(cls, kwargs, argument, value):
    with pytest.raises(ValueError, match=rf"`{argument}`.*{value}"):
        cls(**kwargs)


def test_class_id_needs_2d_predictions():
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=1).update_state([0, 1], [0.2, 0.8])
