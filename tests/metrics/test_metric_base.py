"""The Metric base: variables and paths, sub-metric tracking, the stateless API, dtypes, config."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tests.layer_test import keras_oracle
from workbench import metrics


class BinaryTruePositives(metrics.Metric):
    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(
            shape=(), initializer="zeros", name="true_positives"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        hits = jnp.logical_and(jnp.asarray(y_true, bool), jnp.asarray(y_pred, bool)).astype(
            self.dtype
        )
        if sample_weight is not None:
            hits = hits * jnp.asarray(sample_weight, self.dtype)
        self.true_positives.assign_add(jnp.sum(hits))

    def result(self):
        return self.true_positives.value


def test_custom_metric_accumulates_and_resets():
    m = BinaryTruePositives()
    assert float(m([1, 0, 1], [1, 1, 1])) == 2.0
    m.update_state([1, 1], [1, 1], sample_weight=[0.5, 0.25])
    assert float(m.result()) == 2.75
    m.reset_state()
    assert float(m.result()) == 0.0


def test_variables_are_non_trainable_summed_and_scoped_by_metric_name():
    keras = keras_oracle()
    ours, theirs = metrics.Mean(name="loss_tracker"), keras.metrics.Mean(name="loss_tracker")
    assert (
        [v.path for v in ours.variables]
        == [v.path for v in theirs.variables]
        == ["loss_tracker/total", "loss_tracker/count"]
    )
    for variable in ours.variables:
        assert not variable.trainable and variable.aggregation == "sum"


def test_default_names_are_snake_case_and_unique():
    assert metrics.AUC().name == "auc" and metrics.AUC().name == "auc_1"
    assert metrics.IoU(2, [0]).name == "io_u"
    assert metrics.BinaryIoU().name == "binary_io_u"


def test_forgetting_super_init_raises_a_helpful_error():
    class Broken(metrics.Metric):
        def __init__(self):
            self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_sub_metrics_and_assigned_variables_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.extra = self.add_variable(shape=(2,), initializer="ones", name="extra")
            self.first = metrics.Mean(name="first")
            self.others = [metrics.Sum(name="second")]

        def update_state(self, values):
            self.first.update_state(values)
            self.others[0].update_state(values)

        def result(self):
            return self.first.result() + self.others[0].result()

    m = Pair()
    assert [v.path for v in m.variables] == [
        "pair/extra",
        "first/total",
        "first/count",
        "second/total",
    ]
    values = m.stateless_update_state(m.stateless_reset_state(), jnp.asarray([1.0, 3.0]))
    assert float(m.stateless_result(values)) == 6.0
    np.testing.assert_array_equal(values[0], [0.0, 0.0])  # reset_state zeroes every variable


def test_stateless_api_under_jit_leaves_variables_untouched():
    m = metrics.Mean()
    m.update_state([10.0])
    step = jax.jit(lambda values, x: m.stateless_update_state(values, x))
    values = m.stateless_reset_state()
    values = step(values, jnp.asarray([1.0, 2.0]))
    values = step(values, jnp.asarray([3.0]))
    assert float(jax.jit(m.stateless_result)(values)) == 2.0
    assert float(m.result()) == 10.0


def test_stateless_update_with_the_wrong_number_of_values_names_the_argument():
    with pytest.raises(ValueError, match=r"`metric_variables`.*\['total', 'count'\].*Received 1"):
        metrics.Mean().stateless_update_state([jnp.zeros(())], [1.0])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "mixed_float16"])
def test_dtype_sets_the_compute_and_variable_dtypes_like_keras(dtype):
    keras = keras_oracle()
    ours, theirs = metrics.Mean(dtype=dtype), keras.metrics.Mean(dtype=dtype)
    assert ours.dtype == theirs.dtype
    assert ours.get_config() == theirs.get_config()
    assert [v.dtype for v in ours.variables] == [v.dtype for v in theirs.variables]
    ours.update_state([1.0, 2.0])
    assert str(ours.result().dtype) == ours.dtype


def test_a_layer_tracks_metrics_assigned_to_it():
    from workbench.layers import Layer

    class Tracking(Layer):
        def __init__(self):
            super().__init__()
            self.tracker = metrics.Mean(name="tracker")

    layer = Tracking()
    assert layer.metrics == [layer.tracker]
    assert [v.path for v in layer.metrics_variables] == ["tracker/total", "tracker/count"]


def test_repr_and_add_weight_alias():
    m = metrics.Sum(name="s")
    assert repr(m) == "<Sum name=s>"
    extra = m.add_weight(shape=(3,), initializer="zeros", name="extra")
    assert m.variables[-1] is extra and extra.path == "s/extra"
