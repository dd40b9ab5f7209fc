"""Statistics and normalization: moments, batch, layer and RMS normalization, L-p normalize."""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


def _axes(axes):
    return tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)


@_nn_export("moments")
@keras_op
def moments(x, axes, keepdims=False, synchronized=False):
    """`(mean, variance)` of `x` over `axes`; half-precision inputs are reduced in float32.

    Args:
        synchronized: cross-replica statistics are not supported here (they need a named axis
            under `shard_map`/`pmap`); must be False.
    """
    if synchronized:
        raise NotImplementedError("moments(synchronized=True) is not supported on JAX.")
    x = to_float(x)
    dtype = x.dtype
    if dtype in (jnp.float16, jnp.bfloat16):
        x = x.astype("float32")
    axes = _axes(axes)
    mean = jnp.mean(x, axis=axes, keepdims=keepdims)
    variance = jnp.var(x, axis=axes, keepdims=keepdims)
    if dtype != x.dtype:
        limit = jnp.finfo(dtype).max
        mean = jnp.clip(mean, -limit, limit).astype(dtype)
        variance = jnp.clip(variance, -limit, limit).astype(dtype)
    return mean, variance


@_nn_export("batch_normalization")
@keras_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=0.001):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with 1D statistics along `axis`."""
    x = convert_to_tensor(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def along_axis(value):
        return jnp.reshape(convert_to_tensor(value), shape)

    inverse = jax.lax.rsqrt(along_axis(variance) + epsilon)
    if scale is not None:
        inverse = inverse * along_axis(scale)
    shift = -along_axis(mean) * inverse
    if offset is not None:
        shift = shift + along_axis(offset)
    return x * inverse + shift


def _compute_in_float32(x):
    x = to_float(x)
    return x.astype(jnp.promote_types(x.dtype, jnp.float32)), x.dtype


@_nn_export("layer_normalization")
@keras_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalizes `x` to zero mean and unit variance over `axis`, then scales by `gamma` and shifts
    by `beta`. Computed in at least float32.

    Args:
        axis: an int or a list of ints.
        epsilon: added to the variance; defaults to `keras.config.epsilon()`.
        **kwargs: `rms_scaling=True` divides by the standard deviation without centering.
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"Unexpected arguments to layer_normalization: {sorted(kwargs)}")
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, original_dtype = _compute_in_float32(x)
    axes = sorted(a % x.ndim for a in _axes(axis))
    shape = [x.shape[d] if d in axes else 1 for d in range(x.ndim)]

    def broadcast(value):
        if value is None:
            return None
        value = convert_to_tensor(value, dtype=x.dtype)
        return value if axes == [x.ndim - 1] or value.ndim == x.ndim else jnp.reshape(value, shape)

    gamma, beta = broadcast(gamma), broadcast(beta)
    variance = jnp.var(x, axis=tuple(axes), keepdims=True)
    inverse = jax.lax.rsqrt(variance + epsilon)
    if rms_scaling:
        outputs = x * inverse
        return (outputs if gamma is None else outputs * gamma).astype(original_dtype)
    if gamma is not None:
        inverse = inverse * gamma
    shift = -jnp.mean(x, axis=tuple(axes), keepdims=True) * inverse
    if beta is not None:
        shift = shift + beta
    return (x * inverse + shift).astype(original_dtype)


@_nn_export("rms_normalization")
@keras_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2) + epsilon) * scale` over `axis`, computed in at least float32."""
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, original_dtype = _compute_in_float32(x)
    if x.ndim == 0:
        x = x[None]
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    outputs = x * jax.lax.rsqrt(jnp.mean(jnp.square(x), axis=axis, keepdims=True) + epsilon)
    if scale is not None:
        outputs = outputs * convert_to_tensor(scale, dtype=x.dtype)
    return outputs.astype(original_dtype)


@_nn_export("normalize")
@keras_op
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x, order), epsilon)` over `axis`.

    Args:
        order: the norm's exponent, an int >= 1.
        epsilon: the lower bound of the norm; defaults to `keras.config.epsilon()`.
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"`order` must be an int >= 1. Received: order={order!r}")
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = to_float(x)
    if x.ndim == 0:
        x = x[None]
    if order == 2:
        square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
        return x * jnp.minimum(jax.lax.rsqrt(square_sum), 1.0 / epsilon)
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, epsilon)
