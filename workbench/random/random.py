"""`workbench.random`: random tensors on `jax.random`, seeded by an int, a SeedGenerator, or None.

With an int seed every call returns the same values (and the same values as Keras on JAX); with a
`SeedGenerator` each call returns new values; `None` uses the global generator, eagerly only.
"""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.backend.variables import Variable
from workbench.random.seed_generator import draw_seed


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(d) for d in shape)


def _float_dtype(dtype, function_name):
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_float_dtype(dtype):
        raise ValueError(
            f"`workbench.random.{function_name}` requires a floating point `dtype`. Received: dtype={dtype}"
        )
    return dtypes.to_jax_dtype(dtype)


def _to_array(x):
    return x.value if isinstance(x, Variable) else jnp.asarray(x)


@keras_export("keras.random.normal")
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution.

    Args:
        shape: the output shape.
        mean: the mean of the distribution.
        stddev: the standard deviation of the distribution.
        dtype: a float dtype; defaults to `floatx()`.
        seed: an int, a `SeedGenerator`, or None (the global generator, outside `jit` only).

    Example:

    >>> workbench.random.normal((2, 3), stddev=0.1, seed=42).shape
    (2, 3)
    """
    dtype = _float_dtype(dtype, "normal")
    sample = jax.random.normal(draw_seed(seed), shape=_shape(shape), dtype=dtype)
    return sample * stddev + mean


@keras_export("keras.random.uniform")
def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws from a uniform distribution on `[minval, maxval)`.

    Args:
        shape: the output shape.
        minval: the inclusive lower bound.
        maxval: the exclusive upper bound.
        dtype: a float dtype; defaults to `floatx()`. For integers use `randint`.
        seed: an int, a `SeedGenerator`, or None.

    Example:

    >>> workbench.random.uniform((4,), minval=-1.0, maxval=1.0, seed=0).shape
    (4,)
    """
    dtype = _float_dtype(dtype, "uniform")
    return jax.random.uniform(
        draw_seed(seed), shape=_shape(shape), dtype=dtype, minval=minval, maxval=maxval
    )


@keras_export("keras.random.randint")
def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)`.

    Args:
        shape: the output shape.
        minval: the inclusive lower bound.
        maxval: the exclusive upper bound.
        dtype: an integer dtype (default `"int32"`).
        seed: an int, a `SeedGenerator`, or None.

    Example:

    >>> workbench.random.randint((5,), 0, 10, seed=1).dtype
    dtype('int32')
    """
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_int_dtype(dtype):
        raise ValueError(
            f"`workbench.random.randint` requires an integer `dtype`. Received: dtype={dtype}"
        )
    return jax.random.randint(
        draw_seed(seed), shape=_shape(shape), minval=minval, maxval=maxval,
        dtype=dtypes.to_jax_dtype(dtype),
    )


@keras_export("keras.random.truncated_normal")
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution cut at two standard deviations from the mean.

    Args:
        shape: the output shape.
        mean: the mean before truncation.
        stddev: the standard deviation before truncation.
        dtype: a float dtype; defaults to `floatx()`.
        seed: an int, a `SeedGenerator`, or None.

    Example:

    >>> x = workbench.random.truncated_normal((1000,), seed=3)
    >>> bool((abs(x) <= 2.0).all())
    True
    """
    dtype = _float_dtype(dtype, "truncated_normal")
    sample = jax.random.truncated_normal(
        draw_seed(seed), lower=-2.0, upper=2.0, shape=_shape(shape), dtype=dtype
    )
    return sample * stddev + mean


@keras_export("keras.random.dropout")
def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries of `inputs` with probability `rate` and scales the rest by `1 / (1 - rate)`.

    Args:
        inputs: the input tensor.
        rate: the fraction of entries to drop, in `[0, 1]`.
        noise_shape: the shape of the keep mask, broadcast to the input shape; `None` entries
            take the input's size (e.g. `(None, 1, None)` drops whole time steps).
        seed: an int, a `SeedGenerator`, or None.

    Example:

    >>> workbench.random.dropout(np.ones((2, 4)), rate=0.5, seed=0).shape
    (2, 4)
    """
    inputs = _to_array(inputs)
    if isinstance(rate, (int, float)):
        if rate == 1.0:
            return jnp.zeros_like(inputs)
        if rate == 0.0:
            return inputs
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(
            inputs.shape[i] if size is None else int(size) for i, size in enumerate(noise_shape)
        )
    keep_probability = 1.0 - rate
    keep = jax.random.bernoulli(draw_seed(seed), p=keep_probability, shape=noise_shape)
    keep = jnp.broadcast_to(keep, inputs.shape)
    return jax.lax.select(keep, inputs / keep_probability, jnp.zeros_like(inputs))


@keras_export("keras.random.shuffle")
def shuffle(x, axis=0, seed=None):
    """Returns `x` with its slices along `axis` in random order.

    Example:

    >>> sorted(np.asarray(workbench.random.shuffle(np.arange(5), seed=0)).tolist())
    [0, 1, 2, 3, 4]
    """
    return jax.random.permutation(draw_seed(seed), _to_array(x), axis, independent=True)


@keras_export("keras.random.categorical")
def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class indices from the categorical distributions given by rows of `logits`.

    Args:
        logits: a 2D tensor `(batch_size, num_classes)` of unnormalized log-probabilities.
        num_samples: how many indices to draw per row.
        dtype: the integer dtype of the result.
        seed: an int, a `SeedGenerator`, or None.

    Returns:
        An integer tensor of shape `(batch_size, num_samples)`.

    Example:

    >>> workbench.random.categorical(np.log([[0.5, 0.5]]), 3, seed=0).shape
    (1, 3)
    """
    logits = _to_array(logits)
    if logits.ndim != 2:
        raise ValueError(
            "`logits` should be a 2D tensor of shape (batch_size, num_classes). "
            f"Received: logits.shape={tuple(logits.shape)}"
        )
    output_shape = (logits.shape[0], int(num_samples))
    samples = jax.random.categorical(draw_seed(seed), logits[..., None], shape=output_shape, axis=1)
    return samples.astype(dtypes.to_jax_dtype(dtype))


@keras_export("keras.random.gamma")
def gamma(shape, alpha, dtype=None, seed=None):
    """Draws from a gamma distribution with concentration `alpha` (and scale 1).

    Example:

    >>> workbench.random.gamma((3,), alpha=2.0, seed=0).shape
    (3,)
    """
    dtype = _float_dtype(dtype, "gamma")
    return jax.random.gamma(draw_seed(seed), _to_array(alpha), shape=_shape(shape), dtype=dtype)


@keras_export("keras.random.binomial")
def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws the number of successes in `counts` trials, each successful with `probabilities`.

    Example:

    >>> workbench.random.binomial((3,), counts=10, probabilities=0.5, seed=0).shape
    (3,)
    """
    dtype = _float_dtype(dtype, "binomial")
    return jax.random.binomial(
        draw_seed(seed), n=_to_array(counts), p=_to_array(probabilities), shape=_shape(shape),
        dtype=dtype,
    )


@keras_export("keras.random.beta")
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws from a beta distribution with concentrations `alpha` and `beta`.

    Example:

    >>> workbench.random.beta((3,), alpha=2.0, beta=5.0, seed=0).shape
    (3,)
    """
    dtype = _float_dtype(dtype, "beta")
    return jax.random.beta(
        draw_seed(seed), a=_to_array(alpha), b=_to_array(beta), shape=_shape(shape), dtype=dtype
    )
