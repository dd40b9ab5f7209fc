"""Keras's dtype rules that differ from plain `jax.numpy`, in one place.

Float-valued ops (sqrt, sin, mean, divide, ...) give `floatx()` for integer and boolean inputs,
where `jax.numpy` would give its own default float.
"""

import jax.numpy as jnp

from workbench.backend import config
from workbench.ops.core import convert_to_tensor


def is_inexact(x):
    return jnp.issubdtype(x.dtype, jnp.inexact)


def to_float(x):
    """`x` as a tensor, with integer and boolean values cast to `floatx()`."""
    x = convert_to_tensor(x)
    return x if is_inexact(x) else x.astype(config.floatx())


def float_result_type(*tensors):
    """The common dtype of `tensors`, promoted to `floatx()` when none of them is a float."""
    dtype = jnp.result_type(*tensors)
    return dtype if jnp.issubdtype(dtype, jnp.inexact) else jnp.dtype(config.floatx())


def to_float_pair(x1, x2):
    """Both operands cast to their common float dtype (Python scalars promote weakly)."""
    x1, x2 = tensor_or_scalar(x1), tensor_or_scalar(x2)
    dtype = float_result_type(x1, x2)
    return jnp.asarray(x1, dtype=dtype), jnp.asarray(x2, dtype=dtype)


def tensor_or_scalar(x):
    """Keeps Python scalars as they are (weakly typed in JAX); converts everything else."""
    if isinstance(x, (bool, int, float, complex)):
        return x
    return convert_to_tensor(x)


def compute_in_float32(x):
    """Keras computes means and variances in at least float32: returns (x cast, result dtype)."""
    x = convert_to_tensor(x)
    compute_dtype = jnp.promote_types(x.dtype, jnp.float32) if is_inexact(x) else jnp.float32
    result_dtype = x.dtype if is_inexact(x) else compute_dtype
    return x.astype(compute_dtype), result_dtype
