"""Comparisons, logical and bitwise ops, and element-wise predicates (isnan, isclose, ...)."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import tensor_or_scalar
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


def _pair(x1, x2):
    return tensor_or_scalar(x1), tensor_or_scalar(x2)


# -- comparisons -----------------------------------------------------------------------------------
@_numpy_export("equal")
@keras_op
def equal(x1, x2):
    """Element-wise `x1 == x2`."""
    return jnp.equal(*_pair(x1, x2))


@_numpy_export("not_equal")
@keras_op
def not_equal(x1, x2):
    """Element-wise `x1 != x2`."""
    return jnp.not_equal(*_pair(x1, x2))


@_numpy_export("greater")
@keras_op
def greater(x1, x2):
    """Element-wise `x1 > x2`."""
    return jnp.greater(*_pair(x1, x2))


@_numpy_export("greater_equal")
@keras_op
def greater_equal(x1, x2):
    """Element-wise `x1 >= x2`."""
    return jnp.greater_equal(*_pair(x1, x2))


@_numpy_export("less")
@keras_op
def less(x1, x2):
    """Element-wise `x1 < x2`."""
    return jnp.less(*_pair(x1, x2))


@_numpy_export("less_equal")
@keras_op
def less_equal(x1, x2):
    """Element-wise `x1 <= x2`."""
    return jnp.less_equal(*_pair(x1, x2))


@_numpy_export("isclose")
@keras_op
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Element-wise `|x1 - x2| <= atol + rtol * |x2|`."""
    return jnp.isclose(*_pair(x1, x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


@_numpy_export("allclose")
@keras_op
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `isclose(x1, x2)` holds everywhere, as a boolean scalar."""
    return jnp.allclose(*_pair(x1, x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


# -- logical ---------------------------------------------------------------------------------------
@_numpy_export("logical_and")
@keras_op
def logical_and(x1, x2):
    """Element-wise logical AND (non-zero values count as true)."""
    return jnp.logical_and(*_pair(x1, x2))


@_numpy_export("logical_or")
@keras_op
def logical_or(x1, x2):
    """Element-wise logical OR."""
    return jnp.logical_or(*_pair(x1, x2))


@_numpy_export("logical_xor")
@keras_op
def logical_xor(x1, x2):
    """Element-wise logical XOR."""
    return jnp.logical_xor(*_pair(x1, x2))


@_numpy_export("logical_not")
@keras_op
def logical_not(x):
    """Element-wise logical NOT."""
    return jnp.logical_not(convert_to_tensor(x))


# -- bitwise ---------------------------------------------------------------------------------------
@_numpy_export("bitwise_and")
@keras_op
def bitwise_and(x, y):
    """Element-wise bitwise AND of integers or booleans."""
    return jnp.bitwise_and(*_pair(x, y))


@_numpy_export("bitwise_or")
@keras_op
def bitwise_or(x, y):
    """Element-wise bitwise OR."""
    return jnp.bitwise_or(*_pair(x, y))


@_numpy_export("bitwise_xor")
@keras_op
def bitwise_xor(x, y):
    """Element-wise bitwise XOR."""
    return jnp.bitwise_xor(*_pair(x, y))


@_numpy_export("bitwise_invert")
@keras_op
def bitwise_invert(x):
    """Element-wise bitwise NOT (`~x`)."""
    return jnp.invert(convert_to_tensor(x))


@_numpy_export("bitwise_not")
@keras_op
def bitwise_not(x):
    """Element-wise bitwise NOT (alias of `bitwise_invert`)."""
    return jnp.invert(convert_to_tensor(x))


@_numpy_export("bitwise_left_shift")
@keras_op
def bitwise_left_shift(x, y):
    """Element-wise `x << y`."""
    return jnp.left_shift(*_pair(x, y))


@_numpy_export("left_shift")
@keras_op
def left_shift(x, y):
    """Element-wise `x << y` (alias of `bitwise_left_shift`)."""
    return jnp.left_shift(*_pair(x, y))


@_numpy_export("bitwise_right_shift")
@keras_op
def bitwise_right_shift(x, y):
    """Element-wise `x >> y`."""
    return jnp.right_shift(*_pair(x, y))


@_numpy_export("right_shift")
@keras_op
def right_shift(x, y):
    """Element-wise `x >> y` (alias of `bitwise_right_shift`)."""
    return jnp.right_shift(*_pair(x, y))


# -- predicates ------------------------------------------------------------------------------------
@_numpy_export("isfinite")
@keras_op
def isfinite(x):
    """Element-wise: neither infinite nor NaN."""
    return jnp.isfinite(convert_to_tensor(x))


@_numpy_export("isinf")
@keras_op
def isinf(x):
    """Element-wise: positive or negative infinity."""
    return jnp.isinf(convert_to_tensor(x))


@_numpy_export("isneginf")
@keras_op
def isneginf(x):
    """Element-wise: negative infinity."""
    return jnp.isneginf(convert_to_tensor(x))


@_numpy_export("isposinf")
@keras_op
def isposinf(x):
    """Element-wise: positive infinity."""
    return jnp.isposinf(convert_to_tensor(x))


@_numpy_export("isnan")
@keras_op
def isnan(x):
    """Element-wise: NaN."""
    return jnp.isnan(convert_to_tensor(x))


@_numpy_export("isreal")
@keras_op
def isreal(x):
    """Element-wise: the imaginary part is zero (always true for real dtypes)."""
    return jnp.isreal(convert_to_tensor(x))


@_numpy_export("isin")
@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    """Element-wise: whether each value of `x1` occurs in `x2` (negated with `invert=True`)."""
    return jnp.isin(
        convert_to_tensor(x1), convert_to_tensor(x2), assume_unique=assume_unique, invert=invert
    )
