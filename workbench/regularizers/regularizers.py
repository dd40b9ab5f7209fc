"""Weight penalties: L1, L2, L1L2 and OrthogonalRegularizer. Each maps a weight to a scalar loss."""

import math
import numbers

import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend import config as backend_config
from workbench.backend.variables import Variable


def _tensor(x):
    return x.value if isinstance(x, Variable) else jnp.asarray(x)


def _as_float32(value):
    # Keras keeps these factors as float32 tensors, so its configs hold float32-rounded values
    # (l1=0.01 is written as 0.009999999776482582); rounding the same way keeps configs identical.
    return float(np.float32(value))


def validate_float_arg(value, name):
    """Returns `value` as a float if it is a finite, non-negative number; raises otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Argument `{name}` must be a non-negative, finite float. Received: {name}={value!r}"
        )
    return float(value)


@keras_export("keras.Regularizer", "keras.regularizers.Regularizer")
class Regularizer:
    """The base class of regularizers: a callable from a weight tensor to a scalar penalty.

    Subclasses implement `__call__(x)` and `get_config()`.

    Example:

    >>> class L2Mean(workbench.regularizers.Regularizer):
    ...     def __init__(self, factor):
    ...         self.factor = factor
    ...     def __call__(self, x):
    ...         return self.factor * jnp.mean(jnp.square(x))
    ...     def get_config(self):
    ...         return {"factor": self.factor}
    """

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(
            f"{self.__class__.__name__} does not implement `get_config()`, so it cannot be "
            "saved. Return its constructor arguments from `get_config()`."
        )


@keras_export("keras.regularizers.L1L2", "keras.regularizers.l1_l2")
class L1L2(Regularizer):
    """The penalty `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: the L1 factor (None means 0).
        l2: the L2 factor (None means 0).

    Example:

    >>> float(workbench.regularizers.L1L2(l1=0.1, l2=0.1)(np.ones((2, 2))))
    0.8...
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = _tensor(x)
        penalty = jnp.zeros((), dtype=x.dtype)
        if self.l1 != 0.0:
            penalty += jnp.asarray(self.l1, x.dtype) * jnp.sum(jnp.abs(x))
        if self.l2 != 0.0:
            penalty += jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@keras_export("keras.regularizers.L1", "keras.regularizers.l1")
class L1(Regularizer):
    """The penalty `l1 * sum(abs(x))`.

    Args:
        l1: the L1 factor (default 0.01).
    """

    def __init__(self, l1=0.01):
        self.l1 = _as_float32(validate_float_arg(0.01 if l1 is None else l1, name="l1"))

    def __call__(self, x):
        x = _tensor(x)
        return jnp.asarray(self.l1, x.dtype) * jnp.sum(jnp.abs(x))

    def get_config(self):
        return {"l1": self.l1}


@keras_export("keras.regularizers.L2", "keras.regularizers.l2")
class L2(Regularizer):
    """The penalty `l2 * sum(square(x))`.

    Args:
        l2: the L2 factor (default 0.01).

    Example:

    >>> layer = workbench.layers.Dense(3, kernel_regularizer=workbench.regularizers.L2(1e-4))
    """

    def __init__(self, l2=0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = _tensor(x)
        return jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))

    def get_config(self):
        return {"l2": self.l2}


@keras_export("keras.regularizers.OrthogonalRegularizer", "keras.regularizers.orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D weight towards being orthogonal to each other.

    The penalty is `factor` times the mean absolute cosine similarity over all pairs of distinct
    rows (or columns), halved.

    Args:
        factor: the regularization factor (default 0.01).
        mode: `"rows"` or `"columns"`. For a `Dense` kernel `(input_dim, units)`, `"rows"` makes
            the input feature vectors orthogonal.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _as_float32(validate_float_arg(factor, name="factor"))
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"Argument `mode` must be 'rows' or 'columns'. Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        x = _tensor(x)
        if x.ndim != 2:
            raise ValueError(
                f"OrthogonalRegularizer needs a 2D weight. Received: shape={tuple(x.shape)}"
            )
        if self.mode == "columns":
            x = x.T
        norms = jnp.sqrt(jnp.sum(jnp.square(x), axis=1, keepdims=True))
        x = x / jnp.maximum(norms, backend_config.epsilon())
        size = x.shape[0]
        similarity = (x @ x.T) * (1.0 - jnp.eye(size, dtype=x.dtype))
        number_of_pairs = size * (size - 1.0) / 2.0
        return jnp.asarray(self.factor, x.dtype) * 0.5 * jnp.sum(jnp.abs(similarity)) / number_of_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}
