"""Weight constraints: projections applied to a variable after each optimizer update."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config as backend_config
from workbench.backend.variables import Variable


def _tensor(w):
    w = w.value if isinstance(w, Variable) else jnp.asarray(w)
    if not jnp.issubdtype(w.dtype, jnp.floating):
        w = w.astype(backend_config.floatx())
    return w


def _norms(w, axis):
    return jnp.sqrt(jnp.sum(jnp.square(w), axis=axis, keepdims=True))


@keras_export("keras.constraints.Constraint")
class Constraint:
    """The base class of constraints: a callable from a weight to its projected value.

    Example:

    >>> class NonNegativeCap(workbench.constraints.Constraint):
    ...     def __init__(self, cap):
    ...         self.cap = cap
    ...     def __call__(self, w):
    ...         return jnp.clip(w, 0.0, self.cap)
    ...     def get_config(self):
    ...         return {"cap": self.cap}
    """

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export("keras.constraints.MaxNorm", "keras.constraints.max_norm")
class MaxNorm(Constraint):
    """Rescales the weight vectors along `axis` whose L2 norm exceeds `max_value`.

    Args:
        max_value: the largest allowed norm.
        axis: the axis (or axes) over which norms are taken. For a `Dense` kernel
            `(input_dim, units)`, `axis=0` constrains each unit's incoming weights.

    Example:

    >>> w = workbench.constraints.MaxNorm(1.0)(np.array([[3.0], [4.0]]))   # norm 5 -> 1
    >>> np.round(np.asarray(w), 3).tolist()
    [[0.6], [0.8]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = jnp.clip(norms, 0, self.max_value)
        return w * (desired / (backend_config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@keras_export("keras.constraints.NonNeg", "keras.constraints.non_neg")
class NonNeg(Constraint):
    """Sets negative weights to 0."""

    def __call__(self, w):
        return jnp.maximum(_tensor(w), 0)


@keras_export("keras.constraints.UnitNorm", "keras.constraints.unit_norm")
class UnitNorm(Constraint):
    """Scales the weight vectors along `axis` to unit L2 norm.

    Args:
        axis: the axis (or axes) over which norms are taken.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        return w / (backend_config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


@keras_export("keras.constraints.MinMaxNorm", "keras.constraints.min_max_norm")
class MinMaxNorm(Constraint):
    """Moves the L2 norms of the weight vectors along `axis` into `[min_value, max_value]`.

    Args:
        min_value: the smallest allowed norm.
        max_value: the largest allowed norm.
        rate: how far to move each step: 1.0 clips the norm exactly, smaller values move it
            `rate * clipped + (1 - rate) * norm`.
        axis: the axis (or axes) over which norms are taken.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        norms = _norms(w, self.axis)
        clipped = jnp.clip(norms, self.min_value, self.max_value)
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (backend_config.epsilon() + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
