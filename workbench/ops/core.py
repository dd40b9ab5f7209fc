"""Core ops: conversion, casting, shapes, scatter/slice updates and control flow, on `jax.lax`.

`convert_to_tensor` is the one door every op uses to turn its inputs (Variables, NumPy arrays,
Python scalars and lists) into JAX arrays. Control-flow ops take Keras's argument conventions and
hand the work to the matching `lax` primitive, so they trace into a single XLA program under jit.
"""

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend import config, dtypes
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.variables import Variable
from workbench.ops.data_dependent import data_dependent_op
from workbench.ops.operation import keras_op


def _python_scalar_dtype(leaves):
    """The dtype Keras gives to nested Python scalars: bool, then int32, then floatx."""
    if not leaves:
        return config.floatx()
    if builtins.all(isinstance(v, bool) for v in leaves):
        return "bool"
    if builtins.all(isinstance(v, int) for v in leaves):
        return "int32"
    if builtins.all(isinstance(v, (int, float)) for v in leaves):
        return config.floatx()
    return None


@keras_export("keras.ops.convert_to_tensor")
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts `x` (array, Variable, scalar, nested list) to a JAX array.

    Args:
        x: the value to convert.
        dtype: the target dtype, e.g. `"float32"`; inferred from `x` when None. Python floats
            become `floatx()` and Python ints `int32`, as in Keras.
        sparse: accepted for Keras compatibility; arrays are always dense here.
        ragged: accepted for Keras compatibility; ragged tensors are not supported.

    Example:

    >>> convert_to_tensor([1.0, 2.0]).dtype
    dtype('float32')
    """
    if ragged:
        raise ValueError(
            "Ragged tensors are not supported by the JAX backend. Received: ragged=True"
        )
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, KerasTensor):
        if dtype is not None and dtype != x.dtype:
            return cast(x, dtype)
        return x
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        if dtype is not None and dtypes.standardize_dtype(x.dtype) != dtype:
            return x.astype(dtypes.to_jax_dtype(dtype))
        return x
    if dtype is None:
        if isinstance(x, (bool, int, float, complex)):
            # Python scalars stay weakly typed, so `add(int8_tensor, 2)` stays int8 as in Keras.
            return jnp.asarray(x)
        if isinstance(x, (list, tuple)):
            dtype = _python_scalar_dtype(tree.flatten(x))
        elif isinstance(x, np.ndarray) and x.dtype.kind in "US":
            raise ValueError(f"Cannot convert an array of strings to a JAX tensor. Received: {x!r}")
    return jnp.asarray(x, dtype=None if dtype is None else dtypes.to_jax_dtype(dtype))


@keras_export("keras.ops.convert_to_numpy")
def convert_to_numpy(x):
    """Returns `x` as a NumPy array (copying it to the host)."""
    if isinstance(x, KerasTensor):
        raise ValueError(
            "A symbolic KerasTensor has no value to convert to NumPy. Call the model on real "
            f"arrays first. Received: {x}"
        )
    if isinstance(x, Variable):
        x = x.value
    return np.asarray(x)


@keras_export("keras.ops.is_tensor")
def is_tensor(x):
    """Whether `x` is a backend tensor (a `jax.Array` or a JAX tracer)."""
    return isinstance(x, (jax.Array, jax.core.Tracer))


@keras_export("keras.ops.shape")
def shape(x):
    """The shape of `x` as a tuple; unknown dimensions of a KerasTensor are None."""
    if isinstance(x, (KerasTensor, Variable)):
        return tuple(x.shape)
    return tuple(jnp.shape(x))


@keras_export("keras.ops.dtype")
def dtype(x):
    """The dtype of `x` as a Keras string, e.g. `"float32"`."""
    if hasattr(x, "dtype"):
        return dtypes.standardize_dtype(x.dtype)
    return dtypes.standardize_dtype(convert_to_tensor(x).dtype)


@keras_export("keras.ops.cast")
@keras_op
def cast(x, dtype):
    """Casts `x` to `dtype` (a Keras dtype string or a NumPy/JAX dtype)."""
    return convert_to_tensor(x).astype(dtypes.to_jax_dtype(dtype))


def _dtype_range(dtype):
    info = jnp.iinfo(dtype) if jnp.issubdtype(dtype, jnp.integer) else jnp.finfo(dtype)
    return float(info.min), float(info.max)


@keras_export("keras.ops.saturate_cast")
@keras_op
def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, first clipping it to the range `dtype` can hold.

    Unlike `cast`, out-of-range values saturate: `saturate_cast([-1., 256.], "uint8")` is `[0, 255]`.
    """
    x = convert_to_tensor(x)
    target = dtypes.to_jax_dtype(dtype)
    if x.dtype == jnp.bool_ or jnp.issubdtype(x.dtype, jnp.complexfloating):
        return x.astype(target)
    if target == jnp.bool_:
        return x.astype(target)
    in_min, in_max = _dtype_range(x.dtype)
    out_min, out_max = _dtype_range(target)
    # A bound rounded to the input dtype may exceed the target range (int32 max in float32);
    # the conversion then saturates it to the target's extreme.
    low = np.asarray(builtins.max(in_min, out_min)).astype(x.dtype)
    high = np.asarray(builtins.min(in_max, out_max)).astype(x.dtype)
    return jnp.clip(x, low, high).astype(target)


@keras_export("keras.ops.stop_gradient")
@keras_op
def stop_gradient(variable):
    """Returns `variable` as a value that gradients do not flow through."""
    return jax.lax.stop_gradient(convert_to_tensor(variable))


def _unstack_spec(x, num=None, axis=0):
    count = x.shape[axis]
    if count is None and num is None:
        raise ValueError(
            f"Cannot unstack a KerasTensor along axis {axis} of unknown size: shape={x.shape}. "
            "Pass `num`, or unstack along a known axis."
        )
    shape = x.shape[: axis % len(x.shape)] + x.shape[axis % len(x.shape) + 1 :]
    return [KerasTensor(shape, dtype=x.dtype) for _ in range(count or num)]


@keras_export("keras.ops.unstack")
@data_dependent_op(_unstack_spec)
def unstack(x, num=None, axis=0):
    """Splits `x` along `axis` into a list of `x.shape[axis]` tensors of one rank less."""
    x = convert_to_tensor(x)
    count = x.shape[axis]
    if num is not None and num != count:
        raise ValueError(f"unstack: `num`={num} does not match x.shape[{axis}]={count}.")
    return [jnp.take(x, i, axis=axis) for i in range(count)]


@keras_export("keras.ops.slice")
@keras_op
def slice(inputs, start_indices, shape):
    """Returns the block of `inputs` of size `shape` that starts at `start_indices`.

    Example:

    >>> slice(np.arange(10.0).reshape(2, 5), (0, 1), (2, 2)).tolist()
    [[1.0, 2.0], [6.0, 7.0]]
    """
    inputs = convert_to_tensor(inputs)
    return jax.lax.dynamic_slice(inputs, tuple(start_indices), tuple(shape))


@keras_export("keras.ops.slice_update")
@keras_op
def slice_update(inputs, start_indices, updates):
    """Returns `inputs` with the block starting at `start_indices` replaced by `updates`."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    return jax.lax.dynamic_update_slice(inputs, updates, tuple(start_indices))


@keras_export("keras.ops.scatter")
@keras_op
def scatter(indices, values, shape):
    """Returns a zero tensor of `shape` with `values` added at `indices` (duplicates summed).

    Args:
        indices: integer tensor of shape `(N, depth)`, each row an index into the first `depth`
            dimensions of the output.
        values: tensor of shape `(N,) + shape[depth:]`.
        shape: the output shape.
    """
    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values)
    zeros = jnp.zeros(tuple(shape), dtype=values.dtype)
    return zeros.at[tuple(jnp.moveaxis(indices, -1, 0))].add(values)


@keras_export("keras.ops.scatter_update")
@keras_op
def scatter_update(inputs, indices, updates, reduction=None):
    """Returns `inputs` with `updates` written (or combined, see `reduction`) at `indices`.

    Args:
        inputs: the tensor to update.
        indices: integer tensor of shape `(N, depth)`.
        updates: tensor of shape `(N,) + inputs.shape[depth:]`.
        reduction: None to overwrite, or `"add"`, `"max"`, `"min"`, `"mul"` to combine.
    """
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    at = inputs.at[tuple(jnp.moveaxis(indices, -1, 0))]
    methods = {None: at.set, "add": at.add, "max": at.max, "min": at.min, "mul": at.multiply}
    if reduction not in methods:
        raise ValueError(
            "`reduction` must be one of None, 'add', 'max', 'min', 'mul'. "
            f"Received: reduction={reduction!r}"
        )
    return methods[reduction](updates)


@keras_export("keras.ops.cond")
def cond(pred, true_fn, false_fn):
    """Runs `true_fn()` if `pred` else `false_fn()`; both must return the same structure."""
    return jax.lax.cond(pred, true_fn, false_fn)


@keras_export("keras.ops.switch")
def switch(index, branches, *operands):
    """Runs `branches[index](*operands)`; `index` is clamped to the valid range."""
    return jax.lax.switch(index, branches, *operands)


@keras_export("keras.ops.fori_loop")
def fori_loop(lower, upper, body_fun, init_val):
    """Runs `val = body_fun(i, val)` for `i` in `range(lower, upper)` and returns `val`."""
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)


@keras_export("keras.ops.while_loop")
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: callable returning a boolean scalar.
        body: callable returning new loop variables, in the same structure as `loop_vars`.
        loop_vars: a tuple or list of tensors (unpacked into `cond` and `body`), or one tensor.
        maximum_iterations: optional cap on the number of iterations.

    Example:

    >>> while_loop(lambda i: i < 10, lambda i: i + 1, 0)
    Array(10, dtype=int32, weak_type=True)
    """
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)

    def as_tuple(outputs):
        return tuple(outputs) if is_sequence else (outputs,)

    if maximum_iterations is None:
        result = jax.lax.while_loop(lambda s: cond(*s), lambda s: as_tuple(body(*s)), state)
    else:
        result = jax.lax.while_loop(
            lambda s: jnp.logical_and(cond(*s[0]), s[1] < maximum_iterations),
            lambda s: (as_tuple(body(*s[0])), s[1] + 1),
            (state, 0),
        )[0]
    if not is_sequence:
        return result[0]
    return type(loop_vars)(result) if isinstance(loop_vars, list) else result


@keras_export("keras.ops.scan")
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`; returns `(carry, stacked ys)`.

    Args:
        f: callable `(carry, x) -> (carry, y)`.
        init: the initial carry.
        xs: the sequence (a tensor or nest of tensors) to scan over; None with `length` set.
        length: the number of iterations, when `xs` is None.
        reverse: scan from the end.
        unroll: how many iterations to unroll per loop step (an int, or True for all).
    """
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool. Received: unroll={unroll!r}")
    return jax.lax.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


@keras_export("keras.ops.associative_scan")
def associative_scan(f, elems, reverse=False, axis=0):
    """Prefix scan of `elems` along `axis` with the associative binary function `f`, in parallel.

    Example:

    >>> associative_scan(lambda a, b: a + b, np.arange(5.0)).tolist()
    [0.0, 1.0, 3.0, 6.0, 10.0]
    """
    elems = tree.map_structure(convert_to_tensor, elems)
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


@keras_export("keras.ops.map")
def map(f, xs):
    """Applies `f` to each slice of `xs` along its leading axis and stacks the results."""
    return jax.lax.map(f, xs)


@keras_export("keras.ops.vectorized_map")
def vectorized_map(function, elements):
    """Like `map`, but vectorized with `jax.vmap` into one batched computation."""
    return jax.vmap(function)(elements)


@keras_export("keras.ops.custom_gradient")
def custom_gradient(f):
    """Decorates `f` that returns `(outputs, grad_fn)`, so gradients of `f` call `grad_fn`.

    As in Keras on JAX, `grad_fn` receives the upstream gradient as its positional argument and
    returns the gradients with respect to `f`'s positional inputs. Variables passed to the decorated
    function are read as their values.

    Example:

    >>> @custom_gradient
    ... def clipped_identity(x):
    ...     return x, lambda upstream: jnp.clip(upstream, -1.0, 1.0)
    """
    with_gradient = jax.custom_gradient(fun=f)

    def wrapper(*args, **kwargs):
        args, kwargs = tree.map_structure(
            lambda x: x.value if isinstance(x, Variable) else x, (args, kwargs)
        )
        return with_gradient(*args, **kwargs)

    return wrapper
