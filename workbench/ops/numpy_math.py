"""Element-wise arithmetic, powers, exponentials and logarithms, and rounding.

Each op is a `jax.numpy` call behind `convert_to_tensor`, with Keras's dtype rule that float-valued
ops (sqrt, exp, log, divide, ...) give `floatx()` for integer inputs.
"""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import tensor_or_scalar, to_float, to_float_pair
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


# -- arithmetic ------------------------------------------------------------------------------------
@_numpy_export("add")
@keras_op
def add(x1, x2):
    """Element-wise `x1 + x2`, with broadcasting."""
    return jnp.add(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("subtract")
@keras_op
def subtract(x1, x2):
    """Element-wise `x1 - x2`, with broadcasting."""
    return jnp.subtract(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("multiply")
@keras_op
def multiply(x1, x2):
    """Element-wise `x1 * x2`, with broadcasting."""
    return jnp.multiply(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("divide")
@keras_op
def divide(x1, x2):
    """Element-wise true division `x1 / x2`; integer inputs give `floatx()`."""
    return jnp.divide(*to_float_pair(x1, x2))


@_numpy_export("true_divide")
@keras_op
def true_divide(x1, x2):
    """Alias of `divide`."""
    return jnp.true_divide(*to_float_pair(x1, x2))


@_numpy_export("divide_no_nan")
@keras_op
def divide_no_nan(x1, x2):
    """Element-wise `x1 / x2`, giving 0 wherever `x2` is 0."""
    x1, x2 = to_float_pair(x1, x2)
    safe_x2 = jnp.where(x2 == 0, jnp.ones_like(x2), x2)
    return jnp.where(x2 == 0, jnp.zeros_like(x1 / safe_x2), x1 / safe_x2)


@_numpy_export("floor_divide")
@keras_op
def floor_divide(x1, x2):
    """Element-wise `x1 // x2`."""
    return jnp.floor_divide(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("mod")
@keras_op
def mod(x1, x2):
    """Element-wise remainder of `x1 / x2`, with the sign of `x2` (Python's `%`)."""
    return jnp.mod(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("fmod")
@keras_op
def fmod(x1, x2):
    """Element-wise remainder of `x1 / x2`, with the sign of `x1` (C's `fmod`)."""
    return jnp.fmod(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("power")
@keras_op
def power(x1, x2):
    """Element-wise `x1 ** x2`."""
    return jnp.power(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("negative")
@keras_op
def negative(x):
    """Element-wise `-x`."""
    return jnp.negative(convert_to_tensor(x))


@keras_op
def positive(x):
    """Element-wise `+x` (a copy of `x`); used by the unary `+` of KerasTensors."""
    return jnp.positive(convert_to_tensor(x))


@_numpy_export("reciprocal")
@keras_op
def reciprocal(x):
    """Element-wise `1 / x`."""
    return jnp.reciprocal(convert_to_tensor(x))


@_numpy_export("square")
@keras_op
def square(x):
    """Element-wise `x * x`."""
    x = convert_to_tensor(x)
    return jnp.square(x.astype("int32") if x.dtype == jnp.bool_ else x)


@_numpy_export("sqrt")
@keras_op
def sqrt(x):
    """Element-wise square root; integer inputs give `floatx()`."""
    return jnp.sqrt(to_float(x))


@_numpy_export("cbrt")
@keras_op
def cbrt(x):
    """Element-wise cube root; integer inputs give `floatx()`."""
    return jnp.cbrt(to_float(x))


@_numpy_export("absolute")
@keras_op
def absolute(x):
    """Element-wise absolute value."""
    return jnp.absolute(convert_to_tensor(x))


@_numpy_export("abs")
@keras_op
def abs(x):
    """Element-wise absolute value (alias of `absolute`)."""
    return jnp.absolute(convert_to_tensor(x))


@_numpy_export("fabs")
@keras_op
def fabs(x):
    """Element-wise absolute value, as a float."""
    return jnp.fabs(to_float(x))


@_numpy_export("sign")
@keras_op
def sign(x):
    """Element-wise sign: -1, 0 or 1."""
    return jnp.sign(convert_to_tensor(x))


@_numpy_export("signbit")
@keras_op
def signbit(x):
    """Element-wise: whether the sign bit is set (true for -0.0 and negatives)."""
    return jnp.signbit(convert_to_tensor(x))


@_numpy_export("maximum")
@keras_op
def maximum(x1, x2):
    """Element-wise maximum; NaNs propagate."""
    return jnp.maximum(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("minimum")
@keras_op
def minimum(x1, x2):
    """Element-wise minimum; NaNs propagate."""
    return jnp.minimum(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("fmax")
@keras_op
def fmax(x1, x2):
    """Element-wise maximum, ignoring NaNs."""
    return jnp.fmax(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("fmin")
@keras_op
def fmin(x1, x2):
    """Element-wise minimum, ignoring NaNs."""
    return jnp.fmin(tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("clip")
@keras_op
def clip(x, x_min, x_max):
    """Clips `x` to `[x_min, x_max]` element-wise; booleans are clipped as int32."""
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.clip(x, x_min, x_max)


@_numpy_export("gcd")
@keras_op
def gcd(x1, x2):
    """Element-wise greatest common divisor of integers."""
    return jnp.gcd(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("lcm")
@keras_op
def lcm(x1, x2):
    """Element-wise least common multiple of integers."""
    return jnp.lcm(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("hypot")
@keras_op
def hypot(x1, x2):
    """Element-wise `sqrt(x1**2 + x2**2)`, computed without overflow."""
    return jnp.hypot(*to_float_pair(x1, x2))


@_numpy_export("heaviside")
@keras_op
def heaviside(x1, x2):
    """Element-wise step function: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`."""
    return jnp.heaviside(*to_float_pair(x1, x2))


@_numpy_export("nextafter")
@keras_op
def nextafter(x1, x2):
    """The next representable float after `x1` in the direction of `x2`."""
    return jnp.nextafter(*to_float_pair(x1, x2))


@_numpy_export("ldexp")
@keras_op
def ldexp(x1, x2):
    """Element-wise `x1 * 2**x2`, for an integer exponent `x2`."""
    x2 = convert_to_tensor(x2)
    if not jnp.issubdtype(x2.dtype, jnp.integer):
        raise TypeError(f"ldexp expects an integer exponent `x2`. Received: x2 dtype={x2.dtype}")
    return jnp.ldexp(to_float(x1), x2)


# -- exponentials and logarithms -------------------------------------------------------------------
@_numpy_export("exp")
@keras_op
def exp(x):
    """Element-wise `e ** x`."""
    return jnp.exp(to_float(x))


@_numpy_export("exp2")
@keras_op
def exp2(x):
    """Element-wise `2 ** x`."""
    return jnp.exp2(to_float(x))


@_numpy_export("expm1")
@keras_op
def expm1(x):
    """Element-wise `exp(x) - 1`, accurate for small `x`."""
    return jnp.expm1(to_float(x))


@_numpy_export("log")
@keras_op
def log(x):
    """Element-wise natural logarithm."""
    return jnp.log(to_float(x))


@_numpy_export("log10")
@keras_op
def log10(x):
    """Element-wise base-10 logarithm."""
    return jnp.log10(to_float(x))


@_numpy_export("log2")
@keras_op
def log2(x):
    """Element-wise base-2 logarithm."""
    return jnp.log2(to_float(x))


@_numpy_export("log1p")
@keras_op
def log1p(x):
    """Element-wise `log(1 + x)`, accurate for small `x`."""
    return jnp.log1p(to_float(x))


@_numpy_export("logaddexp")
@keras_op
def logaddexp(x1, x2):
    """Element-wise `log(exp(x1) + exp(x2))`, computed stably."""
    return jnp.logaddexp(*to_float_pair(x1, x2))


@_numpy_export("logaddexp2")
@keras_op
def logaddexp2(x1, x2):
    """Element-wise `log2(2**x1 + 2**x2)`, computed stably."""
    return jnp.logaddexp2(*to_float_pair(x1, x2))


# -- rounding --------------------------------------------------------------------------------------
@_numpy_export("ceil")
@keras_op
def ceil(x):
    """Element-wise ceiling, as a float."""
    return jnp.ceil(to_float(x))


@_numpy_export("floor")
@keras_op
def floor(x):
    """Element-wise floor, as a float."""
    return jnp.floor(to_float(x))


@_numpy_export("trunc")
@keras_op
def trunc(x):
    """Element-wise rounding towards zero; integers are returned unchanged."""
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return jnp.trunc(x)


@_numpy_export("round")
@keras_op
def round(x, decimals=0):
    """Rounds half to even, to `decimals` decimal places (negative: to tens, hundreds, ...)."""
    x = convert_to_tensor(x)
    if jnp.issubdtype(x.dtype, jnp.integer) and decimals < 0:
        factor = 10.0**decimals
        return jnp.round(x.astype("float32") * factor) / factor
    return jnp.round(x, decimals=decimals)


@_numpy_export("nan_to_num")
@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN with `nan`, and infinities with `posinf`/`neginf` (default: the dtype's extremes)."""
    return jnp.nan_to_num(convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


@_numpy_export("vectorize")
def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns `pyfunc` on scalars (or on core shapes, see `signature`) into a function on arrays.

    Example:

    >>> vectorize(lambda a, b: a + b)(np.ones(3), 1.0).tolist()
    [2.0, 2.0, 2.0]
    """
    return jnp.vectorize(pyfunc, excluded=excluded or set(), signature=signature)
