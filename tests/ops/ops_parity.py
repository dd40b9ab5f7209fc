"""Shared helper of the ops parity tests: run an op in workbench and in Keras, compare outputs."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import dataclasses  # noqa: E402
from typing import Callable  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402

from workbench import ops, tree  # noqa: E402
from workbench.backend import dtypes  # noqa: E402


@dataclasses.dataclass
class Case:
    """One op call: `args()` builds fresh inputs, passed to both libraries."""

    name: str
    args: Callable
    kwargs: dict = dataclasses.field(default_factory=dict)
    rtol: float = 1e-5
    atol: float = 1e-6
    namespace: str = ""
    id: str = ""

    def __str__(self):
        return self.id or self.name


def rng(seed=0):
    return np.random.default_rng(seed)


def uniform(*shape, low=-1.0, high=1.0, seed=0, dtype="float32"):
    return rng(seed).uniform(low, high, shape).astype(dtype)


def integers(*shape, low=0, high=10, seed=0, dtype="int32"):
    return rng(seed).integers(low, high, shape).astype(dtype)


def _function(library, namespace, name):
    module = library if not namespace else getattr(library, namespace)
    return getattr(module, name)


def _as_numpy(value):
    if isinstance(value, (int, float, bool, np.generic)):
        return np.asarray(value)
    return np.asarray(value)


def assert_same_result(ours, theirs, rtol, atol, check_dtype=True):
    our_leaves, their_leaves = tree.flatten(ours), tree.flatten(theirs)
    assert len(our_leaves) == len(their_leaves), (ours, theirs)
    for mine, reference in zip(our_leaves, their_leaves):
        if (
            reference is None
            or isinstance(reference, (int, str))
            and not isinstance(reference, bool)
        ):
            assert mine == reference
            continue
        mine, reference = _as_numpy(mine), _as_numpy(reference)
        assert mine.shape == reference.shape, (mine.shape, reference.shape)
        if check_dtype:
            assert dtypes.standardize_dtype(mine.dtype) == dtypes.standardize_dtype(reference.dtype)
        if reference.dtype.kind in "biu":
            np.testing.assert_array_equal(mine, reference)
        else:
            np.testing.assert_allclose(mine, reference, rtol=rtol, atol=atol, equal_nan=True)


def check_case(case, check_dtype=True):
    ours = _function(ops, case.namespace, case.name)(*case.args(), **case.kwargs)
    theirs = _function(keras.ops, case.namespace, case.name)(*case.args(), **case.kwargs)
    assert_same_result(ours, theirs, case.rtol, case.atol, check_dtype=check_dtype)
