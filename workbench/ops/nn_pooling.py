"""Pooling: max and average over windows (`lax.reduce_window`), and adaptive pooling to a size."""

import math

import jax
import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.ops.core import convert_to_tensor
from workbench.ops.nn_conv import spatial_tuple
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


def _window(spatial, data_format):
    """A per-dimension window or stride, with 1 for the batch and channel dimensions."""
    if data_format == "channels_last":
        return (1,) + spatial + (1,)
    return (1, 1) + spatial


def _pool_arguments(inputs, pool_size, strides, padding, data_format):
    data_format = config.standardize_data_format(data_format)
    rank = inputs.ndim - 2
    pool_size = spatial_tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else spatial_tuple(strides, rank, "strides")
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return _window(pool_size, data_format), _window(strides, data_format), padding.upper()


def _lowest(dtype):
    # NumPy constants, not jnp arrays: under jit a traced init value hides the max/sum monoid
    # from `lax.reduce_window`, which then has no reverse-mode gradient.
    if jnp.issubdtype(dtype, jnp.inexact):
        return np.array(-np.inf, dtype)
    return np.array(np.iinfo(dtype).min, dtype)


@_nn_export("max_pool")
@keras_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over windows of `pool_size`, moved by `strides` (default: `pool_size`).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first), with 1 to 3 spatial dims.
        pool_size: an int or one int per spatial dimension.
        strides: an int, one int per spatial dimension, or None for `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
    """
    inputs = convert_to_tensor(inputs)
    window, strides, padding = _pool_arguments(inputs, pool_size, strides, padding, data_format)
    return jax.lax.reduce_window(
        inputs, _lowest(inputs.dtype), jax.lax.max, window, strides, padding
    )


@_nn_export("average_pool")
@keras_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over windows of `pool_size`; with `"same"` padding, padded positions are not counted.

    Arguments as in `max_pool`.
    """
    inputs = convert_to_tensor(inputs)
    window, strides, padding = _pool_arguments(inputs, pool_size, strides, padding, data_format)
    zero = np.array(0, inputs.dtype)
    sums = jax.lax.reduce_window(inputs, zero, jax.lax.add, window, strides, padding)
    if padding == "VALID":
        return sums / math.prod(window)
    # Count the real (unpadded) values in each window; only the pooled axes need their size.
    ones = jnp.ones([d if w > 1 else 1 for d, w in zip(inputs.shape, window)], inputs.dtype)
    counts = jax.lax.reduce_window(ones, zero, jax.lax.add, window, strides, padding)
    return sums / counts


def _adaptive_membership(input_size, output_size):
    """`(output_size, input_size)` booleans: output cell i pools `[floor(i*n/m), ceil((i+1)*n/m))`."""
    index = jnp.arange(output_size)
    starts = (index * input_size) // output_size
    ends = -((-(index + 1) * input_size) // output_size)
    positions = jnp.arange(input_size)
    return (positions[None, :] >= starts[:, None]) & (positions[None, :] < ends[:, None])


def _adaptive_pool(inputs, output_size, data_format, reduce):
    inputs = convert_to_tensor(inputs)
    data_format = config.standardize_data_format(data_format)
    rank = inputs.ndim - 2
    output_size = spatial_tuple(output_size, rank, "output_size")
    first_spatial = 1 if data_format == "channels_last" else 2
    # Windows are boxes, so pooling one spatial axis at a time gives the box max or mean.
    for i, size in enumerate(output_size):
        axis = first_spatial + i
        membership = _adaptive_membership(inputs.shape[axis], size)
        moved = jnp.moveaxis(inputs, axis, -1)[..., None, :]
        inputs = jnp.moveaxis(reduce(moved, membership), -1, axis)
    return inputs


def _masked_max(values, membership):
    return jnp.max(jnp.where(membership, values, _lowest(values.dtype)), axis=-1)


def _masked_mean(values, membership):
    weights = membership.astype(values.dtype)
    return jnp.sum(values * weights, axis=-1) / jnp.sum(weights, axis=-1)


@_nn_export("adaptive_max_pool")
@keras_op
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed `output_size` (an int or one per spatial dimension), as in PyTorch.

    Output cell `i` of an axis of length `n` pools `[floor(i*n/m), ceil((i+1)*n/m))`.
    """
    return _adaptive_pool(inputs, output_size, data_format, _masked_max)


@_nn_export("adaptive_average_pool")
@keras_op
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed `output_size` (an int or one per spatial dimension), as in PyTorch."""
    return _adaptive_pool(inputs, output_size, data_format, _masked_mean)
