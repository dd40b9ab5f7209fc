"""R2Score, the F-scores and the IoU family: lazily built or integer state, against Keras."""

import numpy as np
import pytest

from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics

CASES = [
    ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression"),
    ("R2Score", {"class_aggregation": None}, "regression"),
    ("R2Score", {"num_regressors": 3}, "regression"),
    ("F1Score", {}, "binary"),
    ("F1Score", {"average": "micro", "threshold": 0.5}, "binary"),
    ("F1Score", {"average": "macro"}, "categorical"),
    ("F1Score", {"average": "weighted", "threshold": 0.4}, "binary"),
    ("FBetaScore", {"beta": 2.0}, "binary"),
    ("FBetaScore", {"beta": 0.5, "average": "weighted"}, "categorical"),
    ("IoU", {"num_classes": 5, "target_class_ids": [0, 3]}, "class_ids"),
    ("IoU", {"num_classes": 5, "target_class_ids": [1], "ignore_class": 2}, "class_ids"),
    ("IoU", {"num_classes": 5, "target_class_ids": [0, 4], "sparse_y_pred": False}, "sparse"),
    ("IoU", {"num_classes": 5, "target_class_ids": [0, 1], "dtype": "float32"}, "class_ids"),
    ("MeanIoU", {"num_classes": 5}, "class_ids"),
    ("MeanIoU", {"num_classes": 4}, "class_ids"),  # ids outside [0, 4) are left out
    ("MeanIoU", {"num_classes": 5, "sparse_y_true": False, "sparse_y_pred": False}, "categorical"),
    ("BinaryIoU", {}, "binary_1d"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary_1d"),
    ("OneHotIoU", {"num_classes": 5, "target_class_ids": [1, 2]}, "categorical"),
    ("OneHotMeanIoU", {"num_classes": 5}, "categorical"),
    ("OneHotMeanIoU", {"num_classes": 5, "ignore_class": 0}, "categorical"),
]


def _integer_weights(batches):
    # The IoU family defaults to an int32 confusion matrix, which truncates float weights.
    for batch in batches:
        if batch["sample_weight"] is not None:
            batch["sample_weight"] = np.round(batch["sample_weight"] * 2).astype("int32")
    return batches


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=[f"{n}-{k}-{d}" for n, k, d in CASES])
def test_metric_matches_keras(name, kwargs, kind):
    batches = make_batches(kind)
    if "IoU" in name:
        batches = _integer_weights(batches)
    run_metric_test(name, kwargs, batches)


def test_adjusted_r2_falls_back_with_a_warning_when_too_few_samples():
    m = metrics.R2Score(num_regressors=5)
    with pytest.warns(UserWarning, match="More independent predictors"):
        value = m([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    plain = metrics.R2Score()([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    np.testing.assert_allclose(value, plain)


def test_iou_warns_about_float_weights_with_an_integer_matrix():
    with pytest.warns(UserWarning, match="truncated"):
        metrics.MeanIoU(num_classes=2).update_state(
            [0, 1], [0, 1], sample_weight=np.array([0.5, 1.0])
        )


BAD_ARGUMENTS = [
    (metrics.R2Score, {"class_aggregation": "median"}, "class_aggregation", "median"),
    (metrics.R2Score, {"num_regressors": -1}, "num_regressors", "-1"),
    (metrics.FBetaScore, {"average": "sum"}, "average", "sum"),
    (metrics.FBetaScore, {"beta": 1}, "beta", "1"),
    (metrics.FBetaScore, {"beta": -2.0}, "beta", "-2.0"),
    (metrics.F1Score, {"threshold": 1.5}, "threshold", "1.5"),
    (metrics.F1Score, {"threshold": 1}, "threshold", "1"),
    (metrics.IoU, {"num_classes": 3, "target_class_ids": [0, 3]}, "target_class_ids", r"\[0, 3\]"),
]


@pytest.mark.parametrize(
    "cls,kwargs,argument,value",
    BAD_ARGUMENTS,
    ids=[f"{c.__name__}-{a}-{v}" for c, _, a, v in BAD_ARGUMENTS],
)
def test_bad_argument_raises_value_error_naming_it(cls, kwargs, argument, value):
    with pytest.raises(ValueError, match=rf"`{argument}`.*{value}"):
        cls(**kwargs)


@pytest.mark.parametrize("cls", [metrics.R2Score, metrics.F1Score])
def test_lazily_built_metrics_need_2d_inputs(cls):
    with pytest.raises(ValueError, match="2D inputs"):
        cls().update_state(np.zeros(4), np.zeros(4))
