import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import keras
import numpy as np
import pytest

from workbench import constraints
from workbench.backend.variables import Variable

CASES = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 1.5, "axis": 1}),
    ("MaxNorm", {"max_value": 3.0, "axis": [0, 1]}),
    ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0, "rate": 0.5, "axis": 1}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": 1}),
    ("Constraint", {}),
]
IDS = [f"{name}-{kwargs}" for name, kwargs in CASES]


def _weights():
    return np.random.default_rng(0).normal(scale=2.0, size=(4, 3, 5)).astype("float32")


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_projection_matches_keras(name, kwargs):
    weights = _weights()
    ours = np.asarray(getattr(constraints, name)(**kwargs)(weights))
    theirs = np.asarray(getattr(keras.constraints, name)(**kwargs)(keras.ops.convert_to_tensor(weights)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_config_equals_keras_and_round_trips(name, kwargs):
    ours = getattr(constraints, name)(**kwargs)
    theirs = getattr(keras.constraints, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert constraints.serialize(ours) == keras.constraints.serialize(theirs)
    revived = constraints.deserialize(keras.constraints.serialize(theirs))
    assert type(revived) is type(ours) and revived.get_config() == ours.get_config()


def test_max_norm_caps_column_norms():
    projected = np.asarray(constraints.MaxNorm(max_value=1.0)(np.array([[3.0, 0.1], [4.0, 0.2]])))
    np.testing.assert_allclose(np.linalg.norm(projected, axis=0), [1.0, np.hypot(0.1, 0.2)], rtol=1e-5)


def test_constraints_accept_variables_and_run_under_jit():
    weights = _weights()
    expected = np.asarray(constraints.UnitNorm()(weights))
    np.testing.assert_allclose(constraints.UnitNorm()(Variable(weights)), expected, rtol=1e-6)
    np.testing.assert_allclose(jax.jit(constraints.UnitNorm())(weights), expected, rtol=1e-6)


def test_get_resolves_names_like_keras():
    for name in ["max_norm", "MaxNorm", "min_max_norm", "MinMaxNorm", "non_neg", "NonNeg", "unit_norm", "UnitNorm"]:
        assert type(constraints.get(name)).__name__ == type(keras.constraints.get(name)).__name__
    assert constraints.get(None) is None
    assert constraints.get({"class_name": "MaxNorm", "config": {"max_value": 4}}).max_value == 4
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.non_neg is constraints.NonNeg


def test_get_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"Unknown constraint: 'nope'\. Valid names: \[.*'max_norm'"):
        constraints.get("nope")
