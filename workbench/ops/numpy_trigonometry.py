"""Element-wise trigonometric and hyperbolic functions, angle conversions, and complex parts.

Integer inputs give `floatx()`, as in Keras.
"""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float, to_float_pair
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


# -- trigonometry ----------------------------------------------------------------------------------
@_numpy_export("sin")
@keras_op
def sin(x):
    """Element-wise sine."""
    return jnp.sin(to_float(x))


@_numpy_export("cos")
@keras_op
def cos(x):
    """Element-wise cosine."""
    return jnp.cos(to_float(x))


@_numpy_export("tan")
@keras_op
def tan(x):
    """Element-wise tangent."""
    return jnp.tan(to_float(x))


@_numpy_export("arcsin")
@keras_op
def arcsin(x):
    """Element-wise inverse sine."""
    return jnp.arcsin(to_float(x))


@_numpy_export("arccos")
@keras_op
def arccos(x):
    """Element-wise inverse cosine."""
    return jnp.arccos(to_float(x))


@_numpy_export("arctan")
@keras_op
def arctan(x):
    """Element-wise inverse tangent."""
    return jnp.arctan(to_float(x))


@_numpy_export("arctan2")
@keras_op
def arctan2(x1, x2):
    """Element-wise angle of the point `(x2, x1)`, in `[-pi, pi]`."""
    return jnp.arctan2(*to_float_pair(x1, x2))


@_numpy_export("sinh")
@keras_op
def sinh(x):
    """Element-wise hyperbolic sine."""
    return jnp.sinh(to_float(x))


@_numpy_export("cosh")
@keras_op
def cosh(x):
    """Element-wise hyperbolic cosine."""
    return jnp.cosh(to_float(x))


@_numpy_export("tanh")
@keras_op
def tanh(x):
    """Element-wise hyperbolic tangent."""
    return jnp.tanh(to_float(x))


@_numpy_export("arcsinh")
@keras_op
def arcsinh(x):
    """Element-wise inverse hyperbolic sine."""
    return jnp.arcsinh(to_float(x))


@_numpy_export("arccosh")
@keras_op
def arccosh(x):
    """Element-wise inverse hyperbolic cosine."""
    return jnp.arccosh(to_float(x))


@_numpy_export("arctanh")
@keras_op
def arctanh(x):
    """Element-wise inverse hyperbolic tangent."""
    return jnp.arctanh(to_float(x))


@_numpy_export("sinc")
@keras_op
def sinc(x):
    """Element-wise normalized sinc, `sin(pi x) / (pi x)`."""
    return jnp.sinc(to_float(x))


@_numpy_export("deg2rad")
@keras_op
def deg2rad(x):
    """Converts angles from degrees to radians."""
    return jnp.deg2rad(to_float(x))


@_numpy_export("rad2deg")
@keras_op
def rad2deg(x):
    """Converts angles from radians to degrees."""
    return jnp.rad2deg(to_float(x))


@_numpy_export("i0")
@keras_op
def i0(x):
    """Element-wise modified Bessel function of the first kind, order 0."""
    return jnp.i0(to_float(x))


# -- complex numbers -------------------------------------------------------------------------------
@_numpy_export("real")
@keras_op
def real(x):
    """The real part of `x`."""
    return jnp.real(convert_to_tensor(x))


@_numpy_export("imag")
@keras_op
def imag(x):
    """The imaginary part of `x`."""
    return jnp.imag(convert_to_tensor(x))


@_numpy_export("conjugate")
@keras_op
def conjugate(x):
    """The complex conjugate of `x`."""
    return jnp.conjugate(convert_to_tensor(x))


@_numpy_export("conj")
@keras_op
def conj(x):
    """The complex conjugate of `x` (alias of `conjugate`)."""
    return jnp.conjugate(convert_to_tensor(x))


@_numpy_export("angle")
@keras_op
def angle(x):
    """The angle of complex `x`, in radians (0 or pi for real `x`)."""
    return jnp.angle(to_float(x))
