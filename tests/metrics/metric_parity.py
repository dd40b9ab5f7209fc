"""The shared metric check: results equal real Keras's over several weighted batches, reset works,
the stateless API inside `jax.jit` equals the stateful one, and variables and config match Keras."""

import os
import re

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import numpy as np  # noqa: E402

from tests.layer_test import keras_oracle  # noqa: E402
from workbench import metrics  # noqa: E402


# ---------------------------------------------------------------------------------------------
# data: each maker returns a list of batches {"args": (...), "sample_weight": array or None}
# ---------------------------------------------------------------------------------------------
def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype("float32")


def _labels_and_predictions(kind, rng, n, c):
    def ints(high, shape):
        return rng.integers(0, high, shape).astype("int32")

    def floats(values):
        return values.astype("float32")

    probabilities = _softmax(rng.normal(size=(n, c)))
    makers = {
        "binary": lambda: (floats(ints(2, (n, c))), floats(rng.random((n, c)))),
        "binary_1d": lambda: (floats(ints(2, (n,))), floats(rng.random((n,)))),
        "categorical": lambda: (np.eye(c, dtype="float32")[ints(c, n)], probabilities),
        "sparse": lambda: (ints(c, (n,)), probabilities),
        "sparse_column": lambda: (ints(c, (n, 1)), probabilities),
        "logits": lambda: (floats(ints(2, (n, c))), floats(rng.normal(size=(n, c)) * 3)),
        "regression": lambda: (floats(rng.normal(size=(n, c))), floats(rng.normal(size=(n, c)))),
        "positive": lambda: (
            floats(rng.uniform(0.1, 2.0, (n, c))),
            floats(rng.uniform(0.1, 2.0, (n, c))),
        ),
        "class_ids": lambda: (ints(c, (n,)), ints(c, (n,))),
        "exact": lambda: (ints(3, (n, 1)), ints(3, (n, 1))),
    }
    return makers[kind]()


def make_batches(kind, seed=0, batch_size=16, classes=5, weighted=(True, True, False)):
    """Three batches (by default weighted, weighted, unweighted) of the given kind of data."""
    rng = np.random.default_rng(seed)
    batches = []
    for use_weights in weighted:
        if kind == "values":
            args = (rng.normal(size=(batch_size, classes)).astype("float32"),)
        else:
            args = _labels_and_predictions(kind, rng, batch_size, classes)
        weights = rng.uniform(0.0, 2.0, batch_size).astype("float32") if use_weights else None
        batches.append({"args": args, "sample_weight": weights})
    return batches


# ---------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------
def _update(metric, batch):
    metric.update_state(*batch["args"], sample_weight=batch["sample_weight"])


def assert_results_close(ours, theirs, rtol, atol, what):
    ours, theirs = np.asarray(ours, "float64"), np.asarray(theirs, "float64")
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != Keras {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=what)


def _strip_counter(name):
    return re.sub(r"_\d+$", "", name)


def assert_configs_equal(ours, theirs, what):
    assert set(ours) == set(theirs), f"{what}: config keys {sorted(ours)} != Keras {sorted(theirs)}"
    for key in ours:
        a, b = ours[key], theirs[key]
        if hasattr(a, "shape") or hasattr(b, "shape"):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), err_msg=f"{what}: {key}")
        elif key == "name":
            assert _strip_counter(a) == _strip_counter(b), f"{what}: name {a!r} != Keras {b!r}"
        else:
            assert a == b, f"{what}: {key}={a!r} != Keras {b!r}"
            if isinstance(b, (bool, int, float, str)):
                assert type(a) is type(b), (
                    f"{what}: {key} is a {type(a).__name__}, Keras's a {type(b).__name__}"
                )


def check_variables_match(ours, theirs, what):
    ours_vars, their_vars = ours.variables, theirs.variables
    assert [v.name for v in ours_vars] == [v.name for v in their_vars], (
        f"{what}: variables {[v.name for v in ours_vars]} != Keras {[v.name for v in their_vars]}"
    )
    for a, b in zip(ours_vars, their_vars):
        assert tuple(a.shape) == tuple(b.shape), f"{what}: {a.name} shape {a.shape} != {b.shape}"
        assert a.dtype == b.dtype, f"{what}: {a.name} dtype {a.dtype} != {b.dtype}"
        assert _strip_counter(a.path.split("/")[0]) == _strip_counter(b.path.split("/")[0])
        assert not a.trainable


def check_stateless_matches_stateful(metric_cls, init_kwargs, batches, expected, rtol, atol, what):
    """Feeds the batches through `stateless_update_state` under `jax.jit`; variables stay put."""
    metric = metric_cls(**init_kwargs)
    if getattr(metric, "_built", True) is False:
        # Lazily built metrics create (part of) their state on the first batch.
        _update(metric, batches[0])
        metric.reset_state()
    before = [np.asarray(v.value) for v in metric.variables]

    @jax.jit
    def step(values, args, sample_weight):
        return metric.stateless_update_state(values, *args, sample_weight=sample_weight)

    values = metric.stateless_reset_state()
    for batch in batches:
        values = step(values, batch["args"], batch["sample_weight"])
    result = jax.jit(metric.stateless_result)(values)
    assert_results_close(result, expected, rtol, atol, f"{what} stateless")
    for variable, value in zip(metric.variables, before):
        np.testing.assert_array_equal(np.asarray(variable.value), value)


def run_metric_test(name, init_kwargs=None, batches=None, rtol=1e-5, atol=1e-6, check_jit=True):
    """Checks `workbench.metrics.<name>` against `keras.metrics.<name>` built the same way."""
    keras = keras_oracle()
    init_kwargs = dict(init_kwargs or {})
    what = f"{name}({init_kwargs})"
    metric_cls = getattr(metrics, name)
    ours, theirs = metric_cls(**init_kwargs), getattr(keras.metrics, name)(**init_kwargs)

    for index, batch in enumerate(batches):
        _update(ours, batch)
        _update(theirs, batch)
        assert_results_close(
            ours.result(), theirs.result(), rtol, atol, f"{what} after batch {index}"
        )
    expected = np.asarray(theirs.result())
    check_variables_match(ours, theirs, what)
    for a, b in zip(ours.variables, theirs.variables):
        assert_results_close(a.value, b.value, rtol, atol, f"{what} variable {a.name}")

    ours.reset_state()
    theirs.reset_state()
    for variable in ours.variables:
        assert not np.any(np.asarray(variable.value)), f"{what}: {variable.name} not reset"
    _update(ours, batches[0])
    _update(theirs, batches[0])
    assert_results_close(ours.result(), theirs.result(), rtol, atol, f"{what} after reset")

    if check_jit:
        check_stateless_matches_stateful(
            metric_cls, init_kwargs, batches, expected, rtol, atol, what
        )

    assert_configs_equal(ours.get_config(), theirs.get_config(), what)
    revived = metric_cls.from_config(ours.get_config())
    assert_configs_equal(revived.get_config(), ours.get_config(), f"{what} from_config")
    revived = metrics.deserialize(keras.metrics.serialize(theirs))
    assert type(revived) is metric_cls
    assert_configs_equal(
        revived.get_config(), theirs.get_config(), f"{what} deserialized from Keras"
    )
