"""Tensor creation: ranges, constant fills, identity matrices, grids and window functions.

Creation ops without a `dtype` give `floatx()`, as in Keras, except `arange`, which infers its
dtype from its arguments.
"""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config, dtypes
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


def _dtype_or_floatx(dtype):
    return dtypes.to_jax_dtype(dtype or config.floatx())


def _optional_dtype(dtype):
    return None if dtype is None else dtypes.to_jax_dtype(dtype)


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


@_numpy_export("array")
@keras_op
def array(x, dtype=None):
    """Creates a tensor from `x` (array-like), optionally cast to `dtype`."""
    return jnp.array(convert_to_tensor(x), dtype=_optional_dtype(dtype))


@_numpy_export("arange")
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`; int32 for integer arguments, else `floatx()`.

    Example:

    >>> arange(3).tolist(), arange(0, 1, 0.5).tolist()
    ([0, 1, 2], [0.0, 0.5])
    """
    if dtype is None:
        arguments = [a for a in (start, stop, step) if a is not None]
        floats = any(
            isinstance(a, float) or jnp.issubdtype(jnp.result_type(a), jnp.inexact)
            for a in arguments
        )
        dtype = config.floatx() if floats else "int32"
    return jnp.arange(start, stop, step, dtype=dtypes.to_jax_dtype(dtype))


@_numpy_export("linspace")
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (included when `endpoint`).

    With `retstep=True`, returns `(values, step)`.
    """
    return jnp.linspace(
        start,
        stop,
        num=num,
        endpoint=endpoint,
        retstep=retstep,
        dtype=_optional_dtype(dtype),
        axis=axis,
    )


@_numpy_export("logspace")
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` values evenly spaced on a log scale, from `base**start` to `base**stop`."""
    return jnp.logspace(
        start, stop, num=num, endpoint=endpoint, base=base, dtype=_optional_dtype(dtype), axis=axis
    )


@_numpy_export("geomspace")
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values in geometric progression from `start` to `stop`."""
    return jnp.geomspace(
        start, stop, num=num, endpoint=endpoint, dtype=_optional_dtype(dtype), axis=axis
    )


@_numpy_export("zeros")
def zeros(shape, dtype=None):
    """A tensor of `shape` filled with zeros."""
    return jnp.zeros(_shape(shape), dtype=_dtype_or_floatx(dtype))


@_numpy_export("ones")
def ones(shape, dtype=None):
    """A tensor of `shape` filled with ones."""
    return jnp.ones(_shape(shape), dtype=_dtype_or_floatx(dtype))


@_numpy_export("empty")
def empty(shape, dtype=None):
    """A tensor of `shape` (JAX has no uninitialized memory: it is filled with zeros)."""
    return jnp.empty(_shape(shape), dtype=_dtype_or_floatx(dtype))


@_numpy_export("full")
def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value` (broadcast to `shape`)."""
    return jnp.full(_shape(shape), convert_to_tensor(fill_value), dtype=_dtype_or_floatx(dtype))


@_numpy_export("zeros_like")
@keras_op
def zeros_like(x, dtype=None):
    """Zeros with the shape (and, by default, the dtype) of `x`."""
    return jnp.zeros_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


@_numpy_export("ones_like")
@keras_op
def ones_like(x, dtype=None):
    """Ones with the shape (and, by default, the dtype) of `x`."""
    return jnp.ones_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


@_numpy_export("empty_like")
@keras_op
def empty_like(x, dtype=None):
    """A tensor with the shape and dtype of `x` (filled with zeros)."""
    return jnp.empty_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


@_numpy_export("full_like")
@keras_op
def full_like(x, fill_value, dtype=None):
    """`fill_value` broadcast to the shape of `x`, with `x`'s dtype by default."""
    return jnp.full_like(convert_to_tensor(x), fill_value, dtype=_optional_dtype(dtype))


@_numpy_export("eye")
def eye(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones on the `k`-th diagonal and zeros elsewhere."""
    return jnp.eye(N, M=M, k=k, dtype=_dtype_or_floatx(dtype))


@_numpy_export("identity")
def identity(n, dtype=None):
    """The `n x n` identity matrix."""
    return jnp.identity(n, dtype=_dtype_or_floatx(dtype))


@_numpy_export("tri")
def tri(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones at and below the `k`-th diagonal."""
    return jnp.tri(N, M=M, k=k, dtype=_dtype_or_floatx(dtype))


@_numpy_export("meshgrid")
@keras_op
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1D coordinate vectors.

    Args:
        indexing: `"xy"` (Cartesian, the first two outputs' axes swapped) or `"ij"` (matrix).
    """
    return jnp.meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing)


@_numpy_export("vander")
@keras_op
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1D `x`: its columns are powers of `x`."""
    return jnp.vander(convert_to_tensor(x), N=N, increasing=increasing)


# -- window functions ------------------------------------------------------------------------------
@_numpy_export("bartlett")
def bartlett(x):
    """The Bartlett (triangular) window of `x` points."""
    return jnp.bartlett(int(x)).astype(config.floatx())


@_numpy_export("blackman")
def blackman(x):
    """The Blackman window of `x` points."""
    return jnp.blackman(int(x)).astype(config.floatx())


@_numpy_export("hamming")
def hamming(x):
    """The Hamming window of `x` points."""
    return jnp.hamming(int(x)).astype(config.floatx())


@_numpy_export("hanning")
def hanning(x):
    """The Hann window of `x` points."""
    return jnp.hanning(int(x)).astype(config.floatx())


@_numpy_export("kaiser")
def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`."""
    return jnp.kaiser(int(x), beta).astype(config.floatx())
