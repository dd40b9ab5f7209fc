"""Helpers shared by the preprocessing layers: argument checks, string conversion, and the
categorical encodings (`one_hot`, `multi_hot`, `count`) on `jax.numpy`."""

import jax
import jax.numpy as jnp
import numpy as np


def check_option(layer_name, argument, value, allowed):
    if value not in allowed:
        raise ValueError(
            f"{layer_name}: `{argument}` must be one of {allowed}. Received: {argument}={value!r}"
        )


def check_int(layer_name, argument, value, minimum, allow_none=False):
    """Raises unless `value` is an int >= `minimum` (or None, when allowed)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        expected = f"{'None or ' if allow_none else ''}an int >= {minimum}"
        raise ValueError(f"{layer_name}: `{argument}` must be {expected}. Received: {argument}={value!r}")


def index_dtype():
    """The dtype of integer indices: Keras says int64; JAX has it only with `jax_enable_x64`."""
    return "int64" if jax.config.jax_enable_x64 else "int32"


def is_batch_iterable(data):
    """An iterable of batches (a generator, a dataset), as opposed to one batch of data."""
    if isinstance(data, (list, tuple, str, bytes, np.ndarray)) or hasattr(data, "__array_namespace__"):
        return False
    return hasattr(data, "__iter__")


def to_host(x, layer_name):
    """`x` as a numpy array (or a plain list/str), refusing values traced by `jax.jit`."""
    if isinstance(x, jax.core.Tracer):
        raise ValueError(
            f"{layer_name} runs on the host (strings and hashing are numpy work), so it cannot be "
            "called inside `jax.jit` or a compiled training step. Apply it to the data before "
            "`fit` (e.g. in your input pipeline), or call the model with `run_eagerly=True`."
        )
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy())
    return np.asarray(x) if isinstance(x, jax.Array) else x


def to_strings(inputs, encoding="utf-8"):
    """Any nest of str/bytes (list, tuple, numpy array, scalar) as a numpy unicode array."""
    array = np.asarray(inputs, dtype=object if not isinstance(inputs, np.ndarray) else None)
    if array.dtype.kind == "U":
        return array
    if array.dtype.kind == "S":
        return np.char.decode(array, encoding)
    if array.dtype.kind == "O":
        if any(isinstance(v, (list, tuple, np.ndarray)) for v in array.reshape(-1)):
            raise ValueError(
                "Expected a rectangular batch of strings; received rows of different lengths. "
                "Pad them to one length (ragged inputs need TensorFlow)."
            )
        flat = [v.decode(encoding) if isinstance(v, bytes) else str(v) for v in array.reshape(-1)]
        return np.asarray(flat, dtype=str).reshape(array.shape) if flat else np.zeros(array.shape, str)
    return array.astype(str)


def listify(value):
    """Config-friendly copy of a vocabulary or weights argument (arrays become lists)."""
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "tolist"):
        return value.tolist()
    return [v.item() if hasattr(v, "item") else v for v in value]


def encode_categorical(indices, output_mode, depth, dtype, count_weights=None):
    """Encodes integer indices; out-of-range indices (e.g. dropped mask tokens) encode to zeros.

    - `"one_hot"`: a new last axis of size `depth` (an existing last axis of size 1 is replaced).
    - `"multi_hot"` / `"count"`: reduces the sample axis (axis 1, or axis 0 of a rank-1 input)
      into one `depth`-sized row marking (or counting, weighted by `count_weights`) the indices.
    """
    indices = jnp.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
        if count_weights is not None:
            count_weights = jnp.asarray(count_weights)[None]
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        return jax.nn.one_hot(indices, depth, dtype=dtype)
    axis = 1 if indices.ndim > 1 else 0
    if count_weights is not None:
        count_weights = jnp.asarray(count_weights)
        dtype = count_weights.dtype
    encoded = jax.nn.one_hot(indices, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return jnp.max(encoded, axis=axis)
    if count_weights is not None:
        encoded = encoded * count_weights[..., None]
    return jnp.sum(encoded, axis=axis)


def encoded_shape(input_shape, output_mode, depth):
    """The shape `encode_categorical` gives for inputs of `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    if len(input_shape) == 1:
        return (depth,)
    return (input_shape[0],) + input_shape[2:] + (depth,)
