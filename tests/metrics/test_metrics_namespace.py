"""The `workbench.metrics` namespace: Keras's public names, `get`, `serialize`, `deserialize`."""

import pytest

from tests.layer_test import keras_oracle
from workbench import losses, metrics


def _public(module):
    return {name for name in dir(module) if not name.startswith("_")}


def test_every_keras_metrics_name_exists():
    missing = _public(keras_oracle().metrics) - _public(metrics)
    assert not missing, f"workbench.metrics lacks {sorted(missing)}"


def test_reexported_loss_functions_are_the_losses_objects():
    for name in metrics.LOSS_FUNCTIONS:
        assert getattr(metrics, name) is getattr(losses, name), name


@pytest.mark.parametrize(
    "identifier,cls",
    [
        ("mse", metrics.MeanSquaredError),
        ("MAE", metrics.MeanAbsoluteError),
        ("bce", metrics.BinaryCrossentropy),
        ("AUC", metrics.AUC),
        ("auc", metrics.AUC),
        ("binary_accuracy", metrics.BinaryAccuracy),
        ("categorical_crossentropy", metrics.CategoricalCrossentropy),
        ("kl_divergence", metrics.KLDivergence),
        ("log_cosh_error", metrics.LogCoshError),
    ],
)
def test_get_resolves_names_like_keras(identifier, cls):
    keras = keras_oracle()
    found = metrics.get(identifier)
    assert type(found) is cls
    assert type(keras.metrics.get(identifier)).__name__ == cls.__name__


def test_get_passes_instances_and_functions_through_and_instantiates_classes():
    m = metrics.Precision()
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert type(metrics.get(metrics.Recall)) is metrics.Recall
    assert metrics.get(None) is None


def test_get_from_a_config_dict():
    found = metrics.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(found, metrics.CategoricalCrossentropy) and found.from_logits


def test_get_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown metric: 'unknown'.*'mse'"):
        metrics.get("unknown")


def test_get_rejects_a_non_callable():
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 3"):
        metrics.get(3)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.AUC(name="auc", num_thresholds=20, curve="PR"),
        lambda m: m.Precision(name="p", thresholds=[0.2, 0.4], class_id=1),
        lambda m: m.SparseTopKCategoricalAccuracy(k=3, from_sorted_ids=True),
        lambda m: m.MeanIoU(num_classes=3, name="miou"),
    ],
)
def test_serialize_matches_keras_and_round_trips(make):
    keras = keras_oracle()
    ours, theirs = make(metrics), make(keras.metrics)
    assert metrics.serialize(ours) == keras.metrics.serialize(theirs)
    revived = metrics.deserialize(metrics.serialize(ours))
    assert type(revived) is type(ours) and revived.get_config() == ours.get_config()


@pytest.mark.parametrize(
    "module",
    [
        "metric", "reduction_metrics", "accuracy_metrics", "confusion_metrics", "auc",
        "probabilistic_metrics", "regression_metrics", "hinge_metrics", "f_score_metrics",
        "iou_metrics", "correlation_metrics",
    ],
)  # fmt: skip
def test_docstring_examples_run(module):
    import doctest
    import importlib

    import jax.numpy as jnp
    import numpy as np

    import workbench

    found = importlib.import_module(f"workbench.metrics.{module}")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(
        found, globs={"workbench": workbench, "np": np, "jnp": jnp}
    ):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
