"""`keras.ops.numpy` parity for element-wise math and reductions: Keras's values and dtypes."""

import numpy as np
import pytest

from tests.ops.ops_parity import Case, check_case, integers, uniform


def x34():
    return (uniform(3, 4),)


def positive34():
    return (uniform(3, 4, low=0.1, high=2.0),)


def pair34():
    return uniform(3, 4), uniform(3, 4, seed=1)


def broadcast_pair():
    return uniform(3, 4), uniform(4, seed=1)


def ints34():
    return (integers(3, 4, low=-5, high=5),)


def int_pair():
    return integers(3, 4, low=1, high=20), integers(3, 4, low=1, high=20, seed=1)


def bools34():
    return (integers(3, 4, high=2).astype(bool),)


UNARY = [
    "abs",
    "absolute",
    "negative",
    "sign",
    "signbit",
    "square",
    "exp",
    "exp2",
    "expm1",
    "sin",
    "cos",
    "tan",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "sinc",
    "deg2rad",
    "rad2deg",
    "ceil",
    "floor",
    "trunc",
    "round",
    "real",
    "imag",
    "conj",
    "conjugate",
    "angle",
    "i0",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "logical_not",
    "cbrt",
    "fabs",
    "copy",
    "ravel",
    "transpose",
    "fliplr",
    "flipud",
    "flip",
    "nan_to_num",
    "sort",
    "argsort",
    "diag",
    "diagonal",
    "tril",
    "triu",
    "trace",
    "zeros_like",
    "ones_like",
    "empty_like",
    "corrcoef",
    "sum",
    "prod",
    "mean",
    "std",
    "var",
    "max",
    "min",
    "amax",
    "amin",
    "ptp",
    "all",
    "any",
    "argmax",
    "argmin",
    "median",
    "cumsum",
    "cumprod",
    "count_nonzero",
    "nansum",
    "nanprod",
    "nanmean",
    "nanstd",
    "nanvar",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
    "nanmedian",
    "nancumsum",
    "nancumprod",
    "average",
    "diagflat",
    "ndim",
    "size",
    "squeeze",
    "arcsin",
    "arccos",
    "arctanh",
    "reciprocal",
]
POSITIVE_UNARY = ["log", "log10", "log2", "log1p", "sqrt"]
BINARY = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "divide_no_nan",
    "floor_divide",
    "mod",
    "fmod",
    "power",
    "maximum",
    "minimum",
    "fmax",
    "fmin",
    "arctan2",
    "hypot",
    "heaviside",
    "logaddexp",
    "logaddexp2",
    "nextafter",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "isclose",
    "allclose",
    "logical_and",
    "logical_or",
    "logical_xor",
    "vdot",
    "inner",
    "outer",
    "kron",
    "append",
]
INT_UNARY = [
    "abs",
    "negative",
    "sign",
    "square",
    "sqrt",
    "exp",
    "log1p",
    "sin",
    "mean",
    "var",
    "std",
    "sum",
    "prod",
    "max",
    "argmax",
    "cumsum",
    "median",
    "ceil",
    "floor",
    "round",
    "trunc",
    "clip_int",
    "bitwise_invert",
    "bitwise_not",
    "count_nonzero",
    "isfinite",
    "tanh",
    "arctan",
    "fabs",
    "reciprocal",
    "sort",
    "argsort",
]
INT_BINARY = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "floor_divide",
    "mod",
    "power",
    "maximum",
    "gcd",
    "lcm",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_left_shift",
    "left_shift",
    "bitwise_right_shift",
    "right_shift",
    "equal",
    "arctan2",
    "hypot",
    "true_divide",
    "matmul",
]

CASES = (
    [Case(n, x34, id=f"{n}-float") for n in UNARY]
    + [Case(n, positive34, id=f"{n}-float") for n in POSITIVE_UNARY]
    + [Case(n, pair34, id=f"{n}-float") for n in BINARY]
    + [
        Case(n, broadcast_pair, id=f"{n}-broadcast")
        for n in ("add", "multiply", "maximum", "power")
    ]
    + [Case(n, ints34, id=f"{n}-int") for n in INT_UNARY if n != "clip_int"]
    + [Case(n, int_pair, id=f"{n}-int") for n in INT_BINARY if n != "matmul"]
    + [
        Case(n, bools34, id=f"{n}-bool")
        for n in ("sum", "mean", "any", "all", "logical_not", "count_nonzero")
    ]
    + [
        Case("arccosh", lambda: (uniform(3, 4, low=1.1, high=3.0),)),
        Case("add", lambda: (uniform(3, 4), 2.0), id="add-scalar"),
        Case("add", lambda: (integers(3, 4, dtype="int8"), 2), id="add-int8-weak-scalar"),
        Case("multiply", lambda: (integers(3, 4), 2.5), id="multiply-int-float-scalar"),
        Case("clip", lambda: (uniform(3, 4), -0.5, 0.5)),
        Case("clip", lambda: (integers(3, 4, low=-5, high=5), -2, 2), id="clip-int"),
        Case("sum", x34, {"axis": 1, "keepdims": True}, id="sum-axis"),
        Case("mean", x34, {"axis": [0, 1]}, id="mean-axis-list"),
        Case("max", x34, {"axis": 0, "initial": 0.5}, id="max-initial"),
        Case("min", x34, {"axis": -1, "keepdims": True}, id="min-axis"),
        Case("argmax", x34, {"axis": 1, "keepdims": True}, id="argmax-axis"),
        Case("argmin", x34, {"axis": 0}, id="argmin-axis"),
        Case("var", x34, {"axis": 0}, id="var-axis"),
        Case("std", x34, {"axis": 1, "keepdims": True}, id="std-axis"),
        Case("prod", x34, {"axis": 1, "dtype": "float32"}, id="prod-axis"),
        Case("cumsum", x34, {"axis": 1}, id="cumsum-axis"),
        Case("cumprod", x34, {"axis": 0}, id="cumprod-axis"),
        Case("median", x34, {"axis": 1, "keepdims": True}, id="median-axis"),
        Case(
            "quantile", lambda: (uniform(3, 4), np.array([0.25, 0.5, 0.9], "float32")), {"axis": 1}
        ),
        Case(
            "quantile", lambda: (uniform(3, 4), 0.3), {"method": "nearest"}, id="quantile-nearest"
        ),
        Case("percentile", lambda: (uniform(3, 4), np.array([10.0, 50.0], "float32")), {"axis": 0}),
        Case("nanquantile", lambda: (uniform(3, 4), 0.4), {"axis": 1}),
        Case("nanpercentile", lambda: (uniform(3, 4), 40.0)),
        Case(
            "nansum",
            lambda: (np.array([[1.0, np.nan], [2.0, 3.0]], "float32"),),
            {"axis": 1},
            id="nansum-nan",
        ),
        Case(
            "nanmean", lambda: (np.array([[1.0, np.nan], [2.0, 3.0]], "float32"),), id="nanmean-nan"
        ),
        Case(
            "average",
            x34,
            {"axis": 1, "weights": uniform(4, low=0.1, high=1.0, seed=2)},
            id="average-weights",
        ),
        Case("all", x34, {"axis": 1, "keepdims": True}, id="all-axis"),
        Case("any", x34, {"axis": 0}, id="any-axis"),
        Case("count_nonzero", ints34, {"axis": 1}, id="count_nonzero-axis"),
        Case("ptp", x34, {"axis": 1}, id="ptp-axis"),
        Case("logsumexp", x34, {"axis": 1}, id="logsumexp-axis"),
        Case("bincount", lambda: (integers(10, high=5),)),
        Case(
            "bincount",
            lambda: (integers(10, high=5), uniform(10)),
            {"minlength": 8},
            id="bincount-weights",
        ),
        Case("bincount", lambda: (integers(3, 6, high=5),), id="bincount-2d"),
        Case("histogram", lambda: (uniform(20),), {"bins": 5}),
        Case(
            "histogram",
            lambda: (uniform(20),),
            {"bins": 4, "range": (-0.5, 0.5)},
            id="histogram-range",
        ),
        Case("digitize", lambda: (uniform(8), np.array([-0.5, 0.0, 0.5], "float32"))),
        Case("searchsorted", lambda: (np.sort(uniform(6)), uniform(4, seed=1))),
        Case(
            "searchsorted",
            lambda: (np.sort(uniform(6)), uniform(4, seed=1)),
            {"side": "right"},
            id="searchsorted-right",
        ),
        Case("trapezoid", x34),
        Case(
            "trapezoid",
            lambda: (uniform(3, 4), np.array([0.0, 1.0, 3.0, 4.0], "float32")),
            {"axis": 1},
            id="trapezoid-x",
        ),
        Case("ldexp", lambda: (uniform(3, 4), integers(3, 4, high=4))),
        Case("round", lambda: (uniform(3, 4) * 100,), {"decimals": -1}, id="round-negative"),
        Case("round", lambda: (uniform(3, 4),), {"decimals": 2}, id="round-decimals"),
    ]
)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_numpy_math_op_matches_keras(case):
    check_case(case)
