"""`keras.ops.numpy` parity for creation, shape, indexing and product ops."""

import numpy as np
import pytest

from tests.ops.ops_parity import Case, check_case, integers, uniform
from workbench import ops


def x34():
    return (uniform(3, 4),)


def ints34():
    return (integers(3, 4, low=-5, high=5),)


def matrix(n=4, seed=0):
    a = uniform(n, n, seed=seed)
    return a @ a.T + n * np.eye(n, dtype="float32")


CASES = [
    # creation
    Case("arange", lambda: (5,)),
    Case("arange", lambda: (1, 7, 2), id="arange-step"),
    Case("arange", lambda: (0.0, 1.0, 0.25), id="arange-float"),
    Case("arange", lambda: (3,), {"dtype": "float32"}, id="arange-dtype"),
    Case("linspace", lambda: (0.0, 1.0), {"num": 7}),
    Case(
        "linspace",
        lambda: (0.0, 1.0),
        {"num": 5, "endpoint": False, "retstep": True},
        id="linspace-retstep",
    ),
    Case("logspace", lambda: (0.0, 2.0), {"num": 5}),
    Case("geomspace", lambda: (1.0, 100.0), {"num": 5}),
    Case("zeros", lambda: ((2, 3),)),
    Case("ones", lambda: ((2, 3),), {"dtype": "int32"}, id="ones-int"),
    Case("empty", lambda: ((2, 3),)),
    Case("full", lambda: ((2, 3), 7)),
    Case("full", lambda: ((2, 3), 1.5), {"dtype": "float16"}, id="full-float16"),
    Case("full_like", lambda: (uniform(2, 3), 4)),
    Case("zeros_like", ints34, {"dtype": "float32"}, id="zeros_like-dtype"),
    Case("eye", lambda: (3,)),
    Case("eye", lambda: (3, 4, 1), id="eye-offset"),
    Case("identity", lambda: (4,)),
    Case("tri", lambda: (3, 4, -1)),
    Case("array", lambda: ([[1, 2], [3, 4]],)),
    Case("array", lambda: (uniform(2, 2),), {"dtype": "float16"}, id="array-dtype"),
    Case("meshgrid", lambda: (uniform(3), uniform(4, seed=1))),
    Case(
        "meshgrid",
        lambda: (uniform(3), uniform(4, seed=1)),
        {"indexing": "ij"},
        id="meshgrid-ij",
    ),
    Case("vander", lambda: (uniform(4),), {"N": 3}),
    Case("bartlett", lambda: (6,)),
    Case("blackman", lambda: (6,)),
    Case("hamming", lambda: (6,)),
    Case("hanning", lambda: (6,)),
    Case("kaiser", lambda: (6, 2.5)),
    # shapes
    Case("reshape", lambda: (uniform(3, 4), (2, -1))),
    Case("expand_dims", lambda: (uniform(3, 4), 1)),
    Case("expand_dims", lambda: (uniform(3, 4), (0, 3)), id="expand_dims-tuple"),
    Case("squeeze", lambda: (uniform(3, 1, 4, 1),), {"axis": 1}, id="squeeze-axis"),
    Case("transpose", lambda: (uniform(2, 3, 4), (1, 2, 0)), id="transpose-axes"),
    Case("moveaxis", lambda: (uniform(2, 3, 4), 0, -1)),
    Case("swapaxes", lambda: (uniform(2, 3, 4), 0, 2)),
    Case("broadcast_to", lambda: (uniform(4), (3, 4))),
    Case("concatenate", lambda: ([uniform(2, 3), uniform(4, 3, seed=1)],)),
    Case(
        "concatenate",
        lambda: ([uniform(2, 3), uniform(2, 2, seed=1)],),
        {"axis": 1},
        id="concatenate-axis",
    ),
    Case("append", lambda: (uniform(2, 3), uniform(1, 3, seed=1)), {"axis": 0}, id="append-axis"),
    Case("stack", lambda: ([uniform(2, 3), uniform(2, 3, seed=1)],), {"axis": 1}),
    Case("hstack", lambda: ([uniform(2, 3), uniform(2, 2, seed=1)],)),
    Case("vstack", lambda: ([uniform(2, 3), uniform(3, seed=1)],)),
    Case("dstack", lambda: ([uniform(2, 3), uniform(2, 3, seed=1)],)),
    Case("split", lambda: (uniform(6, 2), 3)),
    Case("split", lambda: (uniform(6, 2), [1, 4]), id="split-indices"),
    Case("array_split", lambda: (uniform(7, 2), 3)),
    Case("hsplit", lambda: (uniform(2, 6), 2)),
    Case("vsplit", lambda: (uniform(6, 2), 3)),
    Case("dsplit", lambda: (uniform(2, 2, 4), 2)),
    Case("flip", lambda: (uniform(3, 4),), {"axis": 1}, id="flip-axis"),
    Case("roll", lambda: (uniform(3, 4), 2)),
    Case("roll", lambda: (uniform(3, 4), -1), {"axis": 1}, id="roll-axis"),
    Case("rot90", lambda: (uniform(3, 4),)),
    Case("rot90", lambda: (uniform(2, 3, 4),), {"k": 3, "axes": (1, 2)}, id="rot90-axes"),
    Case("tile", lambda: (uniform(2, 3), (2, 1))),
    Case("repeat", lambda: (uniform(2, 3), 2)),
    Case("repeat", lambda: (uniform(2, 3), 3), {"axis": 1}, id="repeat-axis"),
    Case("pad", lambda: (uniform(2, 3), ((1, 1), (2, 0)))),
    Case("pad", lambda: (uniform(2, 3), 1), {"constant_values": 5.0}, id="pad-constant"),
    Case("pad", lambda: (uniform(3, 4), ((1, 2), (2, 1))), {"mode": "reflect"}, id="pad-reflect"),
    Case(
        "pad",
        lambda: (uniform(3, 4), ((1, 2), (2, 1))),
        {"mode": "symmetric"},
        id="pad-symmetric",
    ),
    Case("pad", lambda: (uniform(3, 4), ((1, 2), (2, 1))), {"mode": "edge"}, id="pad-edge"),
    Case("diag", lambda: (uniform(4),), {"k": 1}, id="diag-vector"),
    Case(
        "diagonal",
        lambda: (uniform(2, 3, 3),),
        {"offset": 1, "axis1": 1, "axis2": 2},
        id="diagonal-axes",
    ),
    Case("tril", lambda: (uniform(4, 4),), {"k": -1}, id="tril-k"),
    Case("triu", lambda: (uniform(4, 4),), {"k": 1}, id="triu-k"),
    Case("diff", lambda: (uniform(3, 5),)),
    Case("diff", lambda: (uniform(3, 5),), {"n": 2, "axis": 0}, id="diff-n"),
    Case("view", lambda: (uniform(2, 4),), {"dtype": "int32"}),
    Case("unravel_index", lambda: (np.array([1, 5, 7], "int32"), (2, 4))),
    # indexing and sorting
    Case("take", lambda: (uniform(3, 4), np.array([2, 0, -1], "int32")), {"axis": 1}),
    Case("take", lambda: (uniform(3, 4), np.array([[0, 5], [11, 2]], "int32")), id="take-flat"),
    Case("take_along_axis", lambda: (uniform(3, 4), integers(3, 2, high=4)), {"axis": 1}),
    Case("where", lambda: (uniform(3, 4) > 0, uniform(3, 4, seed=1), uniform(3, 4, seed=2))),
    Case("where", lambda: (uniform(3, 4) > 0, 1.0, 0.0), id="where-scalars"),
    Case("where", lambda: (uniform(3, 4) > 0,), id="where-nonzero"),
    Case("nonzero", lambda: (integers(3, 4, high=2),)),
    Case(
        "select",
        lambda: (
            [uniform(5) < -0.3, uniform(5) > 0.3],
            [uniform(5, seed=1), uniform(5, seed=2)],
        ),
    ),
    Case("sort", lambda: (uniform(3, 4),), {"axis": 0}, id="sort-axis"),
    Case("argsort", lambda: (uniform(3, 4),), {"axis": 0}, id="argsort-axis"),
    Case("unique", lambda: (integers(10, high=4),)),
    Case(
        "unique",
        lambda: (integers(10, high=4),),
        {"return_counts": True, "return_inverse": True, "return_index": True},
        id="unique-returns",
    ),
    Case(
        "unique",
        lambda: (integers(10, high=4),),
        {"size": 6, "fill_value": -1},
        id="unique-size",
    ),
    Case("isin", lambda: (integers(3, 4), np.array([1, 3, 5], "int32"))),
    Case(
        "isin",
        lambda: (integers(3, 4), np.array([1, 3, 5], "int32")),
        {"invert": True},
        id="isin-invert",
    ),
    Case("get_item", lambda: (uniform(3, 4), (slice(None), 1))),
    Case(
        "get_item",
        lambda: (uniform(3, 4), (None, Ellipsis, slice(1, 3))),
        id="get_item-newaxis",
    ),
    # products
    Case("matmul", lambda: (uniform(2, 3, 4), uniform(4, 5, seed=1))),
    Case(
        "matmul",
        lambda: (integers(3, 4, dtype="int8"), integers(4, 2, seed=1, dtype="int8")),
        id="matmul-int8",
    ),
    Case("dot", lambda: (uniform(3, 4), uniform(4, 2, seed=1)), id="dot-matrix"),
    Case("tensordot", lambda: (uniform(3, 4, 5), uniform(4, 5, 2, seed=1))),
    Case(
        "tensordot",
        lambda: (uniform(3, 4), uniform(4, 2, seed=1)),
        {"axes": ([1], [0])},
        id="tensordot-axes",
    ),
    Case("einsum", lambda: ("ij,jk->ik", uniform(3, 4), uniform(4, 2, seed=1))),
    Case("einsum", lambda: ("bij->bji", uniform(2, 3, 4)), id="einsum-transpose"),
    Case(
        "einsum",
        lambda: (
            "ij,jk->ik",
            integers(3, 4, dtype="int8"),
            integers(4, 2, seed=1, dtype="int8"),
        ),
        id="einsum-int8",
    ),
    Case("cross", lambda: (uniform(4, 3), uniform(4, 3, seed=1))),
    Case("cross", lambda: (uniform(3, 4), uniform(3, 4, seed=1)), {"axis": 0}, id="cross-axis"),
    Case("outer", lambda: (uniform(3), uniform(4, seed=1)), id="outer-vectors"),
    Case("correlate", lambda: (uniform(6), uniform(3, seed=1))),
    Case(
        "correlate",
        lambda: (uniform(6), uniform(3, seed=1)),
        {"mode": "full"},
        id="correlate-full",
    ),
    Case(
        "correlate",
        lambda: (uniform(6), uniform(3, seed=1)),
        {"mode": "same"},
        id="correlate-same",
    ),
    Case("slogdet", lambda: (matrix(),)),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_numpy_array_op_matches_keras(case):
    check_case(case)


def test_argpartition_puts_the_kth_value_in_place():
    # Only the partition property is specified, not the order within each side.
    x = uniform(6)
    indices = np.asarray(ops.argpartition(x, 2))
    assert sorted(indices.tolist()) == list(range(x.size))
    assert x[indices[2]] == np.sort(x)[2]
    assert all(x[i] <= x[indices[2]] for i in indices[:2])
