"""SeedGenerator: random state held in a Variable, so it flows through `jax.jit` like any weight.

A draw reads the state as a JAX PRNG key (a `uint32[2]` array, the same raw key Keras uses on JAX,
so an int seed gives the same numbers as Keras) and assigns the next state. Under a
`StatelessScope` the assignment is recorded instead of applied; that is how the trainer carries
dropout randomness through its jitted step.
"""

import numbers
import random as python_random

import jax
import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.backend.variables import Variable

SEED_DTYPE = "uint32"
_MAX_DEFAULT_SEED = int(1e9)
_global_generator = None
_global_seed = None


@keras_export("keras.random.SeedGenerator")
class SeedGenerator:
    """A source of fresh seeds for the random functions, one per draw.

    An int `seed` passed to `workbench.random.normal` gives the same values on every call; a
    `SeedGenerator` gives new values on each call, reproducibly from its own seed. Its state is the
    non-trainable variable `state` (path `<name>/seed_generator_state`); attach the generator to a
    layer so the state is tracked and carried through jitted training steps.

    Args:
        seed: an int, or None to draw a starting seed from Python's `random` module (so
            `workbench.utils.set_random_seed` makes it reproducible).
        name: the name scope of the state variable; defaults to a unique `seed_generator_N`.

    Example:

    >>> seed_generator = workbench.random.SeedGenerator(seed=42)
    >>> a = workbench.random.normal((2, 3), seed=seed_generator)
    >>> b = workbench.random.normal((2, 3), seed=seed_generator)   # different from `a`
    """

    def __init__(self, seed=None, name=None):
        if name is None:
            name = naming.auto_name(self.__class__.__name__)
        self.name = name
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
            raise ValueError(
                f"Argument `seed` of SeedGenerator must be an integer or None. Received: seed={seed!r}"
            )
        with naming.name_scope(self.name):
            self.state = Variable(
                np.array([int(seed) & 0xFFFFFFFF, 0], dtype=SEED_DTYPE),
                shape=(2,),
                dtype=SEED_DTYPE,
                trainable=False,
                aggregation="none",
                name="seed_generator_state",
            )

    def next(self, ordered=True):
        """Returns a PRNG key for one draw and advances the state.

        Args:
            ordered: if True, the state counts up (`[seed, 0]`, `[seed, 1]`, ...); if False it jumps
                to a key derived by splitting the current one.
        """
        key = self.state.value
        if ordered:
            self.state.assign(key + jnp.array([0, 1], dtype=SEED_DTYPE))
        else:
            self.state.assign(jax.random.split(key)[0])
        return key

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, seed={self._initial_seed}>"


def make_default_seed():
    """A seed for objects created with `seed=None`, drawn from Python's (seedable) `random`."""
    return python_random.randint(1, _MAX_DEFAULT_SEED)


def _in_jax_trace():
    return isinstance(jnp.zeros(()), jax.core.Tracer)


def global_seed_generator():
    """The generator behind `seed=None`. Raises inside a JAX trace, where it would freeze."""
    global _global_generator
    if _in_jax_trace():
        raise ValueError(
            "A random function was called with `seed=None` inside a traced JAX function "
            "(`jax.jit`, or a compiled training step). The global random state cannot be carried "
            "through a trace: the draw would be frozen into the compiled program. Pass a seed: "
            "create a `workbench.random.SeedGenerator(seed=1337)` once, keep it as an attribute "
            "of your layer or model (`self.seed_generator = ...`), and call e.g. "
            "`workbench.random.normal(shape, seed=self.seed_generator)`."
        )
    if _global_generator is None:
        _global_generator = SeedGenerator(name="global_seed_generator")
    return _global_generator


def set_global_seed(seed):
    """Seeds the global generator, NumPy and Python's `random`, for reproducible runs."""
    global _global_generator, _global_seed
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        raise ValueError(f"Expected `seed` to be an integer. Received: seed={seed!r} (of type {type(seed).__name__})")
    _global_seed = int(seed)
    _global_generator = None
    python_random.seed(_global_seed)
    np.random.seed(_global_seed & 0xFFFFFFFF)


def get_global_seed():
    """The seed last given to `set_global_seed`, or None."""
    return _global_seed


def draw_seed(seed):
    """Returns a JAX PRNG key for one draw.

    Args:
        seed: an int (the same key every time), a `SeedGenerator` (a new key each call), None (the
            global generator; not allowed inside a JAX trace), or a JAX key array, passed through.
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return jnp.array([int(seed) & 0xFFFFFFFF, 0], dtype=SEED_DTYPE)
    if seed is None:
        return global_seed_generator().next(ordered=False)
    if isinstance(seed, (jax.Array, jax.core.Tracer)):
        return seed
    raise ValueError(
        "Argument `seed` must be an integer, a `workbench.random.SeedGenerator`, or None. "
        f"Received: seed={seed!r} (of type {type(seed).__name__})"
    )
