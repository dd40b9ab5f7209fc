"""The metrics that average a loss function (probabilistic, regression and hinge families)."""

import numpy as np
import pytest

from tests.layer_test import keras_oracle
from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics

CASES = [
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "regression"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_column"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, "sparse"),
    ("KLDivergence", {}, "categorical"),
    ("Poisson", {}, "positive"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("LogCoshError", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("Hinge", {}, "binary"),
    ("Hinge", {}, "regression"),
    ("SquaredHinge", {}, "binary"),
    ("CategoricalHinge", {}, "categorical"),
]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=[f"{n}-{k}-{d}" for n, k, d in CASES])
def test_loss_based_metric_matches_keras(name, kwargs, kind):
    # Along axis 0 there is one value per column, which per-sample weights cannot weight.
    weighted = (False, False) if kwargs.get("axis") == 0 else (True, True, False)
    run_metric_test(name, kwargs, make_batches(kind, weighted=weighted))


@pytest.mark.parametrize(
    "name", ["MeanSquaredError", "Hinge", "KLDivergence", "BinaryCrossentropy"]
)
def test_loss_based_metrics_are_minimized(name):
    assert getattr(metrics, name)()._direction == "down"


def test_cosine_similarity_is_maximized():
    assert metrics.CosineSimilarity()._direction == "up"


def test_rmse_with_rank_1_inputs_matches_keras():
    keras = keras_oracle()
    y_true, y_pred = (
        np.array([1.0, 2.0, 3.0], "float32"),
        np.array([[1.5], [2.0], [2.0]], "float32"),
    )
    np.testing.assert_allclose(
        metrics.RootMeanSquaredError()(y_true, y_pred),
        keras.metrics.RootMeanSquaredError()(y_true, y_pred),
        rtol=1e-6,
    )


def test_reexported_loss_functions_match_keras():
    keras = keras_oracle()
    y_true, y_pred = make_batches("positive")[0]["args"]
    for name in ("mean_squared_error", "kl_divergence", "poisson", "log_cosh", "hinge"):
        np.testing.assert_allclose(
            getattr(metrics, name)(y_true, y_pred),
            getattr(keras.metrics, name)(y_true, y_pred),
            rtol=1e-5,
            err_msg=name,
        )
