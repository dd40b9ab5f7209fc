"""Accuracy metrics and their function forms against Keras."""

import numpy as np
import pytest

from tests.layer_test import keras_oracle
from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics

CASES = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.3}, "binary_1d"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_column"),
    ("TopKCategoricalAccuracy", {}, "categorical"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 1}, "sparse_column"),
]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=[f"{n}-{k}-{d}" for n, k, d in CASES])
def test_accuracy_metric_matches_keras(name, kwargs, kind):
    run_metric_test(name, kwargs, make_batches(kind))


def test_sparse_top_k_from_sorted_ids_matches_keras():
    rng = np.random.default_rng(1)
    batches = []
    for weighted in (True, False):
        ids = np.argsort(-rng.random((12, 6)), axis=-1).astype("int32")
        batches.append(
            {
                "args": (rng.integers(0, 6, 12).astype("int32"), ids),
                "sample_weight": rng.random(12).astype("float32") if weighted else None,
            }
        )
    run_metric_test("SparseTopKCategoricalAccuracy", {"k": 3, "from_sorted_ids": True}, batches)


def test_top_k_ties_count_in_favour_of_the_label():
    # Keras ranks a label by how many scores are strictly larger.
    assert float(metrics.sparse_top_k_categorical_accuracy([0], [[0.5, 0.5, 0.5]], k=1)[0]) == 1.0


FUNCTIONS = [
    ("binary_accuracy", "binary", {}),
    ("binary_accuracy", "binary", {"threshold": 0.8}),
    ("categorical_accuracy", "categorical", {}),
    ("sparse_categorical_accuracy", "sparse", {}),
    ("sparse_categorical_accuracy", "sparse_column", {}),
    ("top_k_categorical_accuracy", "categorical", {"k": 2}),
    ("sparse_top_k_categorical_accuracy", "sparse", {"k": 3}),
]


@pytest.mark.parametrize(
    "name,kind,kwargs", FUNCTIONS, ids=[f"{n}-{d}-{k}" for n, d, k in FUNCTIONS]
)
def test_accuracy_function_matches_keras(name, kind, kwargs):
    keras = keras_oracle()
    y_true, y_pred = make_batches(kind)[0]["args"]
    ours = getattr(metrics, name)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.metrics, name)(y_true, y_pred, **kwargs)
    assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_accuracy_metrics_are_maximized():
    assert metrics.BinaryAccuracy()._direction == "up"
    assert metrics.SparseTopKCategoricalAccuracy()._direction == "up"
