import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from workbench import regularizers
from workbench.backend.variables import Variable

CASES = [
    ("L1", {}),
    ("L1", {"l1": 0.3}),
    ("L2", {}),
    ("L2", {"l2": 0.25}),
    ("L1L2", {}),
    ("L1L2", {"l1": 0.1, "l2": 0.2}),
    ("L1L2", {"l1": None, "l2": 0.2}),
    ("OrthogonalRegularizer", {}),
    ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
]
IDS = [f"{name}-{kwargs}" for name, kwargs in CASES]


def _weights():
    return np.random.default_rng(0).normal(size=(5, 7)).astype("float32")


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_penalty_matches_keras(name, kwargs):
    weights = _weights()
    ours = getattr(regularizers, name)(**kwargs)(jnp.asarray(weights))
    theirs = getattr(keras.regularizers, name)(**kwargs)(keras.ops.convert_to_tensor(weights))
    assert ours.dtype == jnp.float32
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_config_equals_keras_and_round_trips(name, kwargs):
    ours = getattr(regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert regularizers.serialize(ours) == keras.regularizers.serialize(theirs)
    revived = regularizers.deserialize(keras.regularizers.serialize(theirs))
    assert type(revived) is type(ours) and revived.get_config() == ours.get_config()


def test_penalty_accepts_variables_and_runs_under_jit():
    weights = _weights()
    variable = Variable(weights)
    regularizer = regularizers.L1L2(l1=0.01, l2=0.02)
    expected = 0.01 * np.abs(weights).sum() + 0.02 * np.square(weights).sum()
    np.testing.assert_allclose(float(regularizer(variable)), expected, rtol=1e-5)
    np.testing.assert_allclose(float(jax.jit(regularizer)(weights)), expected, rtol=1e-5)


def test_penalty_keeps_the_weight_dtype():
    assert regularizers.L2(0.1)(jnp.ones((2, 2), dtype="bfloat16")).dtype == jnp.bfloat16


def test_orthogonal_weights_have_no_penalty():
    assert float(regularizers.OrthogonalRegularizer(factor=1.0)(np.eye(4, dtype="float32"))) == 0.0


def test_orthogonal_regularizer_requires_2d_weights():
    with pytest.raises(ValueError, match="2D"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), dtype="float32"))


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "0.1"])
def test_factors_must_be_finite_and_non_negative(bad):
    with pytest.raises(ValueError, match="non-negative"):
        regularizers.L2(bad)
    with pytest.raises(ValueError, match="non-negative"):
        regularizers.L1L2(l1=bad)


def test_orthogonal_regularizer_mode_is_validated():
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


def test_get_resolves_names_like_keras():
    for name in ["l1", "l2", "L1", "L2", "L1L2", "l1l2", "orthogonal_regularizer", "OrthogonalRegularizer"]:
        ours = regularizers.get(name)
        theirs = keras.regularizers.get(name)
        assert type(ours).__name__ == type(theirs).__name__
        assert ours.get_config() == theirs.get_config()
    assert type(regularizers.get("l1_l2")) is regularizers.L1L2
    assert regularizers.get(None) is None
    custom = lambda x: 0.0  # noqa: E731
    assert regularizers.get(custom) is custom
    assert regularizers.get({"class_name": "L2", "config": {"l2": 0.5}}).l2 == 0.5


def test_get_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"Unknown regularizer: 'nope'\. Valid names: \[.*'l2'"):
        regularizers.get("nope")


def test_snake_case_aliases_are_the_classes():
    assert regularizers.l1 is regularizers.L1
    assert regularizers.l2 is regularizers.L2
    assert regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.orthogonal_regularizer is regularizers.OrthogonalRegularizer


def test_base_regularizer_has_no_config():
    assert regularizers.Regularizer()(np.ones(3)) == 0.0
    with pytest.raises(NotImplementedError, match="get_config"):
        regularizers.Regularizer().get_config()
