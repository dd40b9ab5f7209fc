"""Products and contractions: dot, matmul, einsum, tensordot, outer, kron, cross, trace."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


def _accumulation_dtype(operands):
    """int8 products accumulate in int32, which also selects the hardware int8 kernels."""
    if all(x.dtype == jnp.int8 for x in operands):
        return jnp.int32
    return None


@_numpy_export("matmul")
@keras_op
def matmul(x1, x2):
    """Matrix product of `x1` and `x2`, batched over leading dimensions; int8 inputs give int32."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    return jnp.matmul(x1, x2, preferred_element_type=_accumulation_dtype((x1, x2)))


@_numpy_export("dot")
@keras_op
def dot(x1, x2):
    """Dot product: inner product of 1D tensors, matrix product of 2D ones, else `tensordot` over
    the last axis of `x1` and the second-to-last of `x2`."""
    return jnp.dot(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("vdot")
@keras_op
def vdot(x1, x2):
    """Dot product of the flattened `x1` (conjugated) and `x2`."""
    return jnp.vdot(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("inner")
@keras_op
def inner(x1, x2):
    """Inner product over the last axes of `x1` and `x2`."""
    return jnp.inner(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("outer")
@keras_op
def outer(x1, x2):
    """Outer product of the flattened `x1` and `x2`."""
    return jnp.outer(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("tensordot")
@keras_op
def tensordot(x1, x2, axes=2):
    """Sums products over `axes`: the last `axes` of `x1` and first of `x2` (an int), or the given
    `(axes_of_x1, axes_of_x2)` pair."""
    return jnp.tensordot(convert_to_tensor(x1), convert_to_tensor(x2), axes=axes)


@_numpy_export("einsum")
@keras_op
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation, e.g. `einsum("ij,jk->ik", a, b)`; int8 operands accumulate in int32."""
    operands = [convert_to_tensor(x) for x in operands]
    kwargs.setdefault("preferred_element_type", _accumulation_dtype(operands))
    return jnp.einsum(subscripts, *operands, **kwargs)


@_numpy_export("kron")
@keras_op
def kron(x1, x2):
    """The Kronecker product of `x1` and `x2`."""
    return jnp.kron(convert_to_tensor(x1), convert_to_tensor(x2))


@_numpy_export("cross")
@keras_op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (or 2-vectors) along the given axes.

    Args:
        axisa, axisb: the vector axes of `x1` and `x2`.
        axisc: the vector axis of the result.
        axis: if given, overrides all three.
    """
    return jnp.cross(
        convert_to_tensor(x1),
        convert_to_tensor(x2),
        axisa=axisa,
        axisb=axisb,
        axisc=axisc,
        axis=axis,
    )


@_numpy_export("trace")
@keras_op
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along the `offset` diagonal in the plane of `axis1` and `axis2`."""
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2)


@_numpy_export("correlate")
@keras_op
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1D tensors.

    Args:
        mode: `"valid"`, `"same"` or `"full"`, as in `numpy.correlate`.
    """
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = jnp.promote_types(x1.dtype, x2.dtype)
    if not jnp.issubdtype(dtype, jnp.inexact):
        dtype = jnp.float32
    return jnp.correlate(x1.astype(dtype), x2.astype(dtype), mode=mode)


@_numpy_export("slogdet")
@keras_op
def slogdet(x):
    """`(sign, log|det|)` of the square matrices `x`, computed stably."""
    return tuple(jnp.linalg.slogdet(convert_to_tensor(x)))
