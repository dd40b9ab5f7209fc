"""Initializers that draw random values: RandomNormal, TruncatedNormal, RandomUniform, Orthogonal.

Seeds follow Keras: an int seed, or `seed=None` (a random int chosen when the initializer is
made), gives the same values on every call of the same initializer; a `SeedGenerator` gives new
values on each call. A config keeps the seed as given, so an unseeded initializer revived from a
config draws new values. With the same int seed, the values equal Keras's on JAX.
"""

import numbers

import jax.numpy as jnp

from workbench import random
from workbench.api_export import keras_export
from workbench.initializers.initializer import Initializer
from workbench.saving import serialization_lib


class RandomInitializer(Initializer):
    """The base of seeded initializers: resolves `seed` and writes it back into the config."""

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = random.make_default_seed()
        elif isinstance(seed, dict):
            seed = serialization_lib.deserialize_keras_object(seed)
        if isinstance(seed, bool) or not isinstance(seed, (numbers.Integral, random.SeedGenerator)):
            raise ValueError(
                "Argument `seed` must be an integer, a `workbench.random.SeedGenerator`, or None. "
                f"Received: seed={seed!r}"
            )
        self.seed = seed

    def get_config(self):
        return {"seed": serialization_lib.serialize_keras_object(self._init_seed)}


@keras_export("keras.initializers.RandomNormal", "keras.initializers.random_normal")
class RandomNormal(RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: the mean of the values.
        stddev: the standard deviation of the values.
        seed: an int, a `SeedGenerator`, or None.

    Example:

    >>> values = workbench.initializers.RandomNormal(stddev=1.0, seed=0)((2, 2))
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@keras_export("keras.initializers.TruncatedNormal", "keras.initializers.truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Draws from a normal distribution, redrawing values more than 2 stddevs from the mean.

    Args:
        mean: the mean before truncation.
        stddev: the standard deviation before truncation.
        seed: an int, a `SeedGenerator`, or None.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(
            shape, mean=self.mean, stddev=self.stddev, dtype=dtype, seed=self.seed
        )

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@keras_export("keras.initializers.RandomUniform", "keras.initializers.random_uniform")
class RandomUniform(RandomInitializer):
    """Draws uniformly from `[minval, maxval)`.

    Args:
        minval: the lower bound.
        maxval: the upper bound.
        seed: an int, a `SeedGenerator`, or None.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(
            shape, minval=self.minval, maxval=self.maxval, dtype=dtype, seed=self.seed
        )

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


@keras_export(
    "keras.initializers.Orthogonal", "keras.initializers.orthogonal", "keras.initializers.OrthogonalInitializer"
)
class Orthogonal(RandomInitializer):
    """An orthogonal matrix (times `gain`), from the QR decomposition of a normal random matrix.

    A shape `(d1, ..., dn)` is treated as a `(d1 * ... * d(n-1), dn)` matrix: with fewer rows than
    columns its rows are orthonormal, otherwise its columns are.

    Args:
        gain: the factor applied to the orthogonal matrix.
        seed: an int, a `SeedGenerator`, or None.

    Example:

    >>> q = workbench.initializers.Orthogonal(seed=0)((4, 4))
    >>> bool(jnp.allclose(q @ q.T, jnp.eye(4), atol=1e-5))
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "The Orthogonal initializer needs a shape of rank 2 or more. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        rows = 1
        for size in shape[:-1]:
            rows *= size
        columns = shape[-1]
        sample = random.normal((max(rows, columns), min(rows, columns)), dtype=dtype, seed=self.seed)
        q, r = jnp.linalg.qr(sample)
        # Fixing the signs by R's diagonal makes Q uniformly distributed over orthogonal matrices.
        q = q * jnp.sign(jnp.diag(r))
        if rows < columns:
            q = q.T
        return self.gain * q.reshape(shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
