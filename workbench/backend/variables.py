"""Variable: a named, mutable holder for a `jax.Array`, readable and assignable by people and pure code."""

import threading

import jax
import jax.numpy as jnp
import numpy as np

from workbench.backend import dtypes as dtypes_module
from workbench.backend import naming
from workbench.backend.stateless_scope import get_stateless_scope

_autocast = threading.local()


class AutocastScope:
    """Inside this scope, float variables created with `autocast=True` read as `dtype`."""

    def __init__(self, dtype):
        self.dtype = None if dtype is None else dtypes_module.standardize_dtype(dtype)
        self._previous = None

    def __enter__(self):
        self._previous = getattr(_autocast, "scope", None)
        _autocast.scope = self
        return self

    def __exit__(self, *exc):
        _autocast.scope = self._previous


def get_autocast_scope():
    return getattr(_autocast, "scope", None)


# A count of the changes that can alter which variables a model has, or how they group: a Variable
# created, a `trainable` flag set, a layer given an attribute that may hold layers or variables
# (layer.py). The trainer keeps a model's variable lists between calls while it stays the same.
_tracking_generation = 0


def tracking_generation():
    return _tracking_generation


def bump_tracking_generation():
    global _tracking_generation
    _tracking_generation += 1


class Variable:
    """A mutable tensor with a name and a path, holding a `jax.Array`.

    Args:
        initializer: an initial value (array-like), or a callable `initializer(shape, dtype)`
            such as `workbench.initializers.GlorotUniform()` or the string `"zeros"`.
        shape: the shape; required when `initializer` is a callable.
        dtype: the variable dtype; defaults to the initial value's float type or `floatx()`.
        trainable: whether gradients should update it.
        autocast: whether it reads in a layer's compute dtype under mixed precision.
        aggregation: `"none"`, `"mean"`, `"sum"` or `"only_first_replica"`.
        synchronization: kept for Keras compatibility.
        name: the variable's name; the path prefixes it with the enclosing layer names.

    Example:

    >>> v = workbench.Variable(np.zeros((2, 3)), name="w")
    >>> v.assign_add(np.ones((2, 3)))
    >>> float(v.numpy().sum())
    6.0
    """

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        **kwargs,
    ):
        name = name or naming.auto_name("variable")
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Argument `name` must be a string without '/'. Received: name={name!r}"
            )
        if aggregation not in ("none", "mean", "sum", "only_first_replica"):
            raise ValueError(
                "Invalid value for argument `aggregation`. Expected one of "
                f"'none', 'mean', 'sum', 'only_first_replica'. Received: aggregation={aggregation!r}"
            )
        self._name = name
        parent = naming.current_path()
        self._path = f"{parent}/{name}" if parent else name
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._aggregation = aggregation
        self._synchronization = synchronization
        self._overwrite_with_gradient = False
        self.regularizer = None
        self.constraint = None
        self._value = None
        self._initialize(initializer, shape, dtype)
        bump_tracking_generation()

    def _initialize(self, initializer, shape, dtype):
        if isinstance(initializer, str):
            from workbench import initializers

            initializer = initializers.get(initializer)
        if callable(initializer) and not hasattr(initializer, "__array__"):
            if shape is None:
                raise ValueError(
                    f"Variable '{self._name}': when `initializer` is a callable, `shape` must be "
                    f"given. Received: initializer={initializer}, shape=None"
                )
            dtype = dtypes_module.standardize_dtype(dtype)
            shape = tuple(int(d) for d in shape)
            # Run eagerly even when first built inside a jit trace, so no tracer leaks into state.
            with jax.ensure_compile_time_eval():
                value = initializer(shape, dtype=dtype)
        else:
            value = initializer
            if dtype is None:
                raw = np.asarray(value) if not isinstance(value, jax.Array) else value
                dtype = raw.dtype.name if raw.dtype.kind not in "f" else None
                if dtype in ("int64", "float64", "uint64") and not jax.config.jax_enable_x64:
                    dtype = dtype.replace("64", "32")
            dtype = dtypes_module.standardize_dtype(dtype)
        with jax.ensure_compile_time_eval():
            value = jnp.asarray(value, dtype=dtypes_module.to_jax_dtype(dtype))
        if shape is not None and tuple(value.shape) != tuple(shape):
            raise ValueError(
                f"Variable '{self._name}': the initial value has shape {tuple(value.shape)}, "
                f"but shape={tuple(shape)} was requested."
            )
        self._dtype = dtypes_module.standardize_dtype(value.dtype)
        self._shape = tuple(value.shape)
        self._value = value

    # -- reading -------------------------------------------------------------------------------
    @property
    def value(self):
        scope = get_stateless_scope()
        value = self._value
        if scope is not None:
            swapped = scope.get_current_value(self)
            if swapped is not None:
                value = swapped
        return self._maybe_autocast(value)

    def _maybe_autocast(self, value):
        autocast_scope = get_autocast_scope()
        if (
            self._autocast
            and autocast_scope is not None
            and autocast_scope.dtype is not None
            and dtypes_module.is_float_dtype(self._dtype)
            and autocast_scope.dtype != self._dtype
        ):
            return jnp.asarray(value, dtype=autocast_scope.dtype)
        return value

    def numpy(self):
        return np.asarray(self.value)

    # -- writing -------------------------------------------------------------------------------
    def assign(self, value):
        value = jnp.asarray(value, dtype=self._dtype) if not _is_same(value, self._dtype) else value
        if tuple(value.shape) != self._shape:
            raise ValueError(
                f"Variable '{self.path}' has shape {self._shape}; the value assigned to it has "
                f"shape {tuple(value.shape)}. Reshape the value, or create a new Variable."
            )
        scope = get_stateless_scope()
        if scope is not None:
            scope.add_update(self, value)
        else:
            if isinstance(value, jax.core.Tracer):
                raise ValueError(
                    f"Variable '{self.path}' was assigned a traced value inside `jax.jit` or "
                    "`jax.grad`. Inside transformed code, run the model through "
                    "`stateless_call` (or a `StatelessScope`) and return the new values."
                )
            self._value = value
        return value

    def _set_value_from_step(self, value):
        """For the trainer: `value` comes out of a jitted step, so it is an array of this
        Variable's shape and dtype and needs none of `assign`'s checks."""
        if get_stateless_scope() is not None:
            self.assign(value)
        else:
            self._value = value

    def assign_add(self, value):
        return self.assign(self.value_for_update() + value)

    def assign_sub(self, value):
        return self.assign(self.value_for_update() - value)

    def value_for_update(self):
        scope = get_stateless_scope()
        if scope is not None:
            swapped = scope.get_current_value(self)
            if swapped is not None:
                return swapped
        return self._value

    # -- attributes ----------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def path(self):
        return self._path

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def dtype(self):
        scope = get_autocast_scope()
        if self._autocast and scope is not None and scope.dtype and dtypes_module.is_float_dtype(self._dtype):
            return scope.dtype
        return self._dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        bump_tracking_generation()

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def overwrite_with_gradient(self):
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value):
        self._overwrite_with_gradient = bool(value)

    def __repr__(self):
        return (
            f"<Variable path={self.path}, shape={self.shape}, dtype={self._dtype}, "
            f"value={np.asarray(self._value)!r}>"
        )

    # -- array protocols -----------------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        array = np.asarray(self.value)
        return array.astype(dtype) if dtype is not None else array

    def __jax_array__(self):
        return self.value

    def __len__(self):
        return self._shape[0]

    def __bool__(self):
        raise TypeError("A Variable cannot be used as a boolean; compare its `.numpy()` value.")

    def __int__(self):
        return int(self.value)

    def __float__(self):
        return float(self.value)

    def __index__(self):
        return int(self.value)

    def __getitem__(self, index):
        return self.value[index]

    def __iter__(self):
        return iter(self.value)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return _binary(jnp.equal, self, other)

    def __ne__(self, other):
        return _binary(jnp.not_equal, self, other)


def _is_same(value, dtype):
    return isinstance(value, (jax.Array, jax.core.Tracer)) and dtypes_module.standardize_dtype(value.dtype) == dtype


def _value_of(x):
    return x.value if isinstance(x, Variable) else x


def _binary(fn, a, b):
    return fn(_value_of(a), _value_of(b))


def _make_binary(fn, reflected=False):
    if reflected:
        return lambda self, other: fn(_value_of(other), self.value)
    return lambda self, other: fn(self.value, _value_of(other))


for _name, _fn in {
    "add": jnp.add, "sub": jnp.subtract, "mul": jnp.multiply, "truediv": jnp.true_divide,
    "floordiv": jnp.floor_divide, "mod": jnp.mod, "pow": jnp.power, "matmul": jnp.matmul,
    "and": jnp.logical_and, "or": jnp.logical_or, "xor": jnp.logical_xor,
}.items():
    setattr(Variable, f"__{_name}__", _make_binary(_fn))
    setattr(Variable, f"__r{_name}__", _make_binary(_fn, reflected=True))
for _name, _fn in {"lt": jnp.less, "le": jnp.less_equal, "gt": jnp.greater, "ge": jnp.greater_equal}.items():
    setattr(Variable, f"__{_name}__", _make_binary(_fn))
Variable.__neg__ = lambda self: jnp.negative(self.value)
Variable.__pos__ = lambda self: self.value
Variable.__abs__ = lambda self: jnp.abs(self.value)
Variable.__invert__ = lambda self: jnp.invert(self.value)

def is_variable(x):
    return isinstance(x, Variable)
