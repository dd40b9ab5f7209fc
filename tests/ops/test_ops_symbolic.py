"""Ops on symbolic KerasTensors return KerasTensors with the eager result's shape and dtype,
keeping unknown (None) dimensions, and record a graph node."""

import jax
import numpy as np
import pytest

from tests.ops import (
    test_core_math_linalg_parity,
    test_image_parity,
    test_nn_conv_parity,
    test_nn_parity,
    test_numpy_array_parity,
    test_numpy_math_parity,
)
from tests.ops.ops_parity import _function
from workbench import ops, tree
from workbench.backend.keras_tensor import KerasTensor

ALL_CASES = (
    test_numpy_math_parity.CASES
    + test_numpy_array_parity.CASES
    + test_nn_parity.CASES
    + test_nn_conv_parity.CASES
    + test_core_math_linalg_parity.CASES
    + test_image_parity.CASES
)
# Ops that are not graph ops: they read a tensor's static properties or its value.
NOT_SYMBOLIC = {"convert_to_numpy", "shape", "dtype", "is_tensor", "ndim", "size"}
SYMBOLIC_CASES = [
    case
    for case in ALL_CASES
    if case.name not in NOT_SYMBOLIC and any(isinstance(a, np.ndarray) for a in case.args())
]


def _symbolic(value, batch=None):
    shape = value.shape if batch is None else (batch,) + value.shape[1:]
    return KerasTensor(shape, dtype=str(value.dtype))


def _value_dependent(case):
    return case.name in ("nonzero", "unique", "bincount") or case.id == "where-nonzero"


def _expected(function, args, kwargs, value_dependent):
    """The eager result, or (cheaper, without compiling) its abstract shape and dtype."""
    if value_dependent:
        return function(*args, **kwargs)
    positions = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

    def call(*arrays):
        filled = list(args)
        for position, array in zip(positions, arrays):
            filled[position] = array
        return function(*filled, **kwargs)

    return jax.eval_shape(call, *[args[i] for i in positions])


@pytest.mark.parametrize("case", SYMBOLIC_CASES, ids=str)
def test_symbolic_call_infers_the_eager_shape_and_dtype(case):
    args = case.args()
    function = _function(ops, case.namespace, case.name)
    value_dependent = _value_dependent(case)
    expected = _expected(function, args, case.kwargs, value_dependent)
    symbolic_args = [_symbolic(a) if isinstance(a, np.ndarray) else a for a in args]
    symbolic = function(*symbolic_args, **case.kwargs)
    expected_leaves, symbolic_leaves = tree.flatten(expected), tree.flatten(symbolic)
    assert len(expected_leaves) == len(symbolic_leaves)
    for value, spec in zip(expected_leaves, symbolic_leaves):
        assert isinstance(spec, KerasTensor)
        assert spec.dtype == np.dtype(value.dtype).name
        if value_dependent:
            assert len(spec.shape) == np.ndim(value)
        else:
            assert spec.shape == tuple(value.shape)


UNKNOWN_BATCH = [
    ("add", lambda x: (x, x), (None, 3, 4), "float32"),
    ("matmul", lambda x: (x, np.ones((4, 5), "float32")), (None, 3, 5), "float32"),
    ("sum", lambda x: (x,), (), "float32"),
    ("mean", lambda x: (x, 1), (None, 4), "float32"),
    ("argmax", lambda x: (x, -1), (None, 3), "int32"),
    ("reshape", lambda x: (x, (-1, 12)), (None, 12), "float32"),
    ("transpose", lambda x: (x, (0, 2, 1)), (None, 4, 3), "float32"),
    ("expand_dims", lambda x: (x, 1), (None, 1, 3, 4), "float32"),
    ("concatenate", lambda x: ([x, x], -1), (None, 3, 8), "float32"),
    ("stack", lambda x: ([x, x], 1), (None, 2, 3, 4), "float32"),
    ("cast", lambda x: (x, "int32"), (None, 3, 4), "int32"),
    ("softmax", lambda x: (x,), (None, 3, 4), "float32"),
    ("relu", lambda x: (x,), (None, 3, 4), "float32"),
    ("one_hot", lambda x: (ops.cast(x, "int32"), 5), (None, 3, 4, 5), "float32"),
    ("get_item", lambda x: (x, (slice(None), 0)), (None, 4), "float32"),
    ("take", lambda x: (x, np.array([0, 2]), 1), (None, 2, 4), "float32"),
    ("where", lambda x: (x > 0, x, 0.0), (None, 3, 4), "float32"),
    ("conv", lambda x: (x, np.ones((2, 4, 6), "float32")), (None, 2, 6), "float32"),
    ("max_pool", lambda x: (x, 3, 1, "same"), (None, 3, 4), "float32"),
    ("layer_normalization", lambda x: (x,), (None, 3, 4), "float32"),
    (
        "dot_product_attention",
        lambda x: (x[:, :, None], x[:, :, None], x[:, :, None]),
        (None, 3, 1, 4),
        "float32",
    ),
    ("moments", lambda x: (x, [1, 2]), (None,), "float32"),
    ("top_k", lambda x: (x, 2), (None, 3, 2), "float32"),
    ("rearrange", lambda x: (x, "b h w -> b (h w)"), (None, 12), "float32"),
    ("nonzero", lambda x: (x,), (None,), "int32"),
]


@pytest.mark.parametrize(
    "name,make_args,expected_shape,dtype", UNKNOWN_BATCH, ids=[c[0] for c in UNKNOWN_BATCH]
)
def test_unknown_dimensions_stay_unknown(name, make_args, expected_shape, dtype):
    x = KerasTensor((None, 3, 4))
    output = getattr(ops, name)(*make_args(x))
    first = tree.flatten(output)[0]
    assert isinstance(first, KerasTensor)
    if expected_shape is not None:
        assert first.shape == expected_shape
    assert first.dtype == dtype


def test_unstack_of_a_known_axis_gives_a_list():
    pieces = ops.unstack(KerasTensor((None, 3, 4)), axis=1)
    assert isinstance(pieces, list) and len(pieces) == 3
    assert all(p.shape == (None, 4) for p in pieces)


def test_unstack_along_an_unknown_axis_needs_num():
    with pytest.raises(ValueError, match="unknown size"):
        ops.unstack(KerasTensor((None, 3)))
    assert len(ops.unstack(KerasTensor((None, 3)), num=2)) == 2


def test_symbolic_ops_record_graph_nodes():
    x = KerasTensor((None, 3))
    y = ops.nn.relu(ops.add(x, 1.0))
    operation = y._keras_history.operation
    assert operation.name.startswith("relu")
    parent = operation._inbound_nodes[0].parent_nodes[0]
    assert parent.operation.name.startswith("add")


def test_operators_on_keras_tensors_use_ops():
    x = KerasTensor((None, 3))
    assert (x + 1).shape == (None, 3)
    assert (-x).shape == (None, 3)
    assert (+x).shape == (None, 3)
    assert x[:, 1].shape == (None,)
    assert (x @ np.ones((3, 2), "float32")).shape == (None, 2)
    assert (x > 0).dtype == "bool"


def test_static_queries_of_keras_tensors():
    x = KerasTensor((None, 3), dtype="int32")
    assert ops.shape(x) == (None, 3)
    assert ops.dtype(x) == "int32"
    assert ops.ndim(x) == 2
    assert ops.size(x) is None
    assert not ops.is_tensor(x)
