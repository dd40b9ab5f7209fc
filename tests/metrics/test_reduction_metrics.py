"""Sum, Mean and MeanMetricWrapper: Keras parity, masks, and the wrapper's config."""

import jax.numpy as jnp
import numpy as np
import pytest

from tests.layer_test import keras_oracle
from tests.metrics.metric_parity import make_batches, run_metric_test
from workbench import metrics
from workbench.backend.tensor_attributes import set_mask


@pytest.mark.parametrize("name", ["Sum", "Mean"])
def test_reduction_metric_matches_keras(name):
    run_metric_test(name, {}, make_batches("values"))


@pytest.mark.parametrize("name", ["Sum", "Mean"])
def test_reduction_of_rank_3_values_with_rank_2_weights_matches_keras(name):
    keras = keras_oracle()
    rng = np.random.default_rng(3)
    values = rng.normal(size=(4, 3, 2)).astype("float32")
    weights = rng.uniform(size=(4, 3)).astype("float32")
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    ours.update_state(values, sample_weight=weights)
    theirs.update_state(values, sample_weight=weights)
    np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-5)


def test_mean_of_scalars_counts_one_sample_each():
    m = metrics.Mean()
    m.update_state(2.0)
    m.update_state(4.0)
    assert float(m.result()) == 3.0 and float(m.count.value) == 2.0


def test_mean_of_nothing_is_zero():
    assert float(metrics.Mean().result()) == 0.0


def _squared_error(y_true, y_pred):
    return (jnp.asarray(y_true) - jnp.asarray(y_pred)) ** 2


def test_mean_metric_wrapper_matches_keras_and_passes_kwargs():
    keras = keras_oracle()
    batches = make_batches("regression")

    def scaled_error(y_true, y_pred, scale=1.0):
        return scale * jnp.mean(jnp.abs(jnp.asarray(y_true) - jnp.asarray(y_pred)), axis=-1)

    ours = metrics.MeanMetricWrapper(scaled_error, name="scaled", scale=3.0)
    theirs = keras.metrics.MeanMetricWrapper(scaled_error, name="scaled", scale=3.0)
    for batch in batches:
        ours.update_state(*batch["args"], sample_weight=batch["sample_weight"])
        theirs.update_state(*batch["args"], sample_weight=batch["sample_weight"])
    np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-5)
    assert [v.name for v in ours.variables] == ["total", "count"]


def test_mean_metric_wrapper_config_serializes_fn_and_kwargs():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc", threshold=0.7)
    config = m.get_config()
    assert config["name"] == "acc" and config["threshold"] == 0.7
    assert config["fn"]["class_name"] == "function"
    revived = metrics.MeanMetricWrapper.from_config(config)
    assert revived._fn is metrics.binary_accuracy and revived._fn_kwargs == {"threshold": 0.7}


def test_mean_metric_wrapper_skips_entries_masked_on_y_pred():
    y_pred = jnp.asarray([[1.0], [2.0], [5.0]])
    set_mask(y_pred, jnp.asarray([True, True, False]))
    m = metrics.MeanMetricWrapper(_squared_error)
    m.update_state(jnp.asarray([[1.0], [1.0], [1.0]]), y_pred)
    assert float(m.result()) == pytest.approx(0.5)


def test_mean_metric_wrapper_of_a_non_loss_function_has_no_direction():
    assert not hasattr(metrics.MeanMetricWrapper(_squared_error), "_direction")
