"""PearsonCorrelation and ConcordanceCorrelation, and their function forms, against Keras."""

import numpy as np
import pytest

from tests.layer_test import keras_oracle
from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics

CASES = [
    ("PearsonCorrelation", {}),
    ("PearsonCorrelation", {"axis": 0}),
    ("ConcordanceCorrelation", {}),
    ("ConcordanceCorrelation", {"axis": 0}),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_correlation_metric_matches_keras(name, kwargs):
    # Along axis 0 there is one value per column, which per-sample weights cannot weight.
    weighted = (False, False) if kwargs.get("axis") == 0 else (True, True, False)
    run_metric_test(name, kwargs, make_batches("regression", weighted=weighted))


@pytest.mark.parametrize("name", ["pearson_correlation", "concordance_correlation"])
def test_correlation_function_matches_keras(name):
    keras = keras_oracle()
    y_true, y_pred = make_batches("regression")[0]["args"]
    for axis in (-1, 0):
        np.testing.assert_allclose(
            getattr(metrics, name)(y_true, y_pred, axis=axis),
            getattr(keras.metrics, name)(y_true, y_pred, axis=axis),
            rtol=1e-5,
        )


def test_correlations_are_maximized():
    assert metrics.PearsonCorrelation()._direction == "up"
    assert metrics.ConcordanceCorrelation()._direction == "up"
