"""Indexing, gathering, selection, sorting and searching."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.symbolic import compute_output_spec
from workbench.ops.core import convert_to_tensor
from workbench.ops.data_dependent import data_dependent_op
from workbench.ops.dtype_rules import tensor_or_scalar
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


def _index_key(key):
    """Turns tensor-like parts of an index (Variables, lists of ints) into arrays."""
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    if key is None or key is Ellipsis or isinstance(key, (int, slice)):
        return key
    return convert_to_tensor(key)


@_numpy_export("get_item")
@keras_op
def get_item(x, key):
    """`x[key]`, with NumPy indexing: ints, slices, None, Ellipsis, integer or boolean tensors."""
    return convert_to_tensor(x)[_index_key(key)]


@_numpy_export("take")
@keras_op
def take(x, indices, axis=None):
    """The values of `x` at `indices` along `axis` (of the flattened `x` when None).

    Negative indices count from the end.
    """
    return jnp.take(convert_to_tensor(x), convert_to_tensor(indices), axis=axis)


@_numpy_export("take_along_axis")
@keras_op
def take_along_axis(x, indices, axis=None):
    """Gathers from `x` with `indices` of the same rank, matching along every axis but `axis`."""
    return jnp.take_along_axis(convert_to_tensor(x), convert_to_tensor(indices), axis=axis)


def _nonzero_spec(x):
    return tuple(KerasTensor((None,), dtype="int32") for _ in x.shape)


@_numpy_export("nonzero")
@data_dependent_op(_nonzero_spec)
def nonzero(x):
    """The indices of the non-zero values of `x`: one int32 index tensor per dimension."""
    return tuple(i.astype("int32") for i in jnp.nonzero(convert_to_tensor(x)))


def _where_spec(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return _nonzero_spec(condition)
    return compute_output_spec(where, condition, x1, x2)


@_numpy_export("where")
@data_dependent_op(_where_spec)
def where(condition, x1=None, x2=None):
    """`x1` where `condition` is true, else `x2`; with neither given, `nonzero(condition)`."""
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError(
            "`x1` and `x2` must be given together (or both omitted). "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    return jnp.where(convert_to_tensor(condition), tensor_or_scalar(x1), tensor_or_scalar(x2))


@_numpy_export("select")
@keras_op
def select(condlist, choicelist, default=0):
    """Per element, the value from the first `choicelist` entry whose `condlist` entry is true.

    Elements where no condition holds get `default`.
    """
    return jnp.select(
        [convert_to_tensor(c) for c in condlist],
        [convert_to_tensor(c) for c in choicelist],
        default=default,
    )


@_numpy_export("sort")
@keras_op
def sort(x, axis=-1):
    """`x` sorted in ascending order along `axis`."""
    return jnp.sort(convert_to_tensor(x), axis=axis)


@_numpy_export("argsort")
@keras_op
def argsort(x, axis=-1):
    """The indices that sort `x` along `axis` (stable), as int32."""
    x = convert_to_tensor(x)
    return jnp.argsort(x, axis=None if x.ndim == 0 else axis).astype("int32")


@_numpy_export("argpartition")
@keras_op
def argpartition(x, kth, axis=-1):
    """Indices that partition `x` along `axis` so the `kth` value is in its sorted place.

    Smaller values come before it and larger ones after, in no particular order.
    """
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = jnp.ravel(x), 0
    return jnp.argpartition(x, kth, axis=axis).astype("int32")


@_numpy_export("searchsorted")
@keras_op
def searchsorted(sorted_sequence, values, side="left"):
    """Indices at which inserting `values` keeps the 1D `sorted_sequence` sorted.

    Args:
        side: `"left"` gives the first suitable index, `"right"` the last.
    """
    sorted_sequence = convert_to_tensor(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "searchsorted expects a 1D `sorted_sequence`; for N-D use `vectorized_map`. "
            f"Received: sorted_sequence.shape={sorted_sequence.shape}"
        )
    return jnp.searchsorted(sorted_sequence, convert_to_tensor(values), side=side).astype("int32")


@_numpy_export("digitize")
@keras_op
def digitize(x, bins):
    """The index of the bin of each value of `x`, for monotonically increasing `bins`, as int32."""
    return jnp.digitize(convert_to_tensor(x), convert_to_tensor(bins)).astype("int32")


@_numpy_export("unravel_index")
@keras_op
def unravel_index(indices, shape):
    """Converts flat `indices` into a tuple of coordinate tensors for an array of `shape`."""
    return tuple(jnp.unravel_index(convert_to_tensor(indices), tuple(shape)))


def _unique_spec(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    length = size
    if axis is None:
        values = KerasTensor((length,), dtype=x.dtype)
        inverse_shape = x.shape
    else:
        shape = list(x.shape)
        shape[axis] = length
        values = KerasTensor(tuple(shape), dtype=x.dtype)
        inverse_shape = (x.shape[axis],)
    outputs = [values]
    if return_index:
        outputs.append(KerasTensor((length,), dtype="int32"))
    if return_inverse:
        outputs.append(KerasTensor(inverse_shape, dtype="int32"))
    if return_counts:
        outputs.append(KerasTensor((length,), dtype="int32"))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


@_numpy_export("unique")
@data_dependent_op(_unique_spec)
def unique(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    """The unique values of `x` (or unique slices along `axis`).

    Args:
        sorted: return the values sorted (JAX always sorts).
        return_index: also return the first index of each unique value in `x`.
        return_inverse: also return, for each value of `x`, the index of its unique value.
        return_counts: also return how often each unique value occurs.
        axis: find unique slices along this axis; None flattens `x`.
        size: a static output length, which makes the op work under `jit`; shorter results
            are padded with `fill_value` (default: the smallest value).
        fill_value: the padding value when `size` is given.
    """
    result = jnp.unique(
        convert_to_tensor(x),
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
        size=size,
        fill_value=fill_value,
    )
    return tuple(result) if isinstance(result, tuple) else result
