"""Shape manipulation: reshape, transpose, concatenate, stack, split, pad, tile, flips and triangles."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.backend.keras_tensor import KerasTensor
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@_numpy_export("ndim")
def ndim(x):
    """The number of dimensions of `x`, as a Python int (also for KerasTensors)."""
    return len(x.shape) if hasattr(x, "shape") else jnp.ndim(convert_to_tensor(x))


@_numpy_export("size")
def size(x):
    """The number of elements of `x` (None for a KerasTensor with unknown dimensions)."""
    if isinstance(x, KerasTensor):
        return None if None in x.shape else int(jnp.prod(jnp.array(x.shape, dtype="int64")))
    return jnp.size(convert_to_tensor(x))


@_numpy_export("reshape")
@keras_op
def reshape(x, newshape):
    """Gives `x` the shape `newshape`; one dimension may be -1 (inferred)."""
    return jnp.reshape(convert_to_tensor(x), newshape)


@_numpy_export("ravel")
@keras_op
def ravel(x):
    """`x` flattened to one dimension."""
    return jnp.ravel(convert_to_tensor(x))


@_numpy_export("expand_dims")
@keras_op
def expand_dims(x, axis):
    """Inserts a dimension of size 1 at `axis` (an int or a tuple of ints)."""
    return jnp.expand_dims(convert_to_tensor(x), _axis(axis))


@_numpy_export("squeeze")
@keras_op
def squeeze(x, axis=None):
    """Removes dimensions of size 1 (only those in `axis`, when given)."""
    return jnp.squeeze(convert_to_tensor(x), axis=_axis(axis))


@_numpy_export("transpose")
@keras_op
def transpose(x, axes=None):
    """Permutes the dimensions of `x` (reverses them when `axes` is None)."""
    return jnp.transpose(convert_to_tensor(x), axes=None if axes is None else tuple(axes))


@_numpy_export("moveaxis")
@keras_op
def moveaxis(x, source, destination):
    """Moves the axes `source` of `x` to the positions `destination`."""
    return jnp.moveaxis(convert_to_tensor(x), source, destination)


@_numpy_export("swapaxes")
@keras_op
def swapaxes(x, axis1, axis2):
    """Interchanges two axes of `x`."""
    return jnp.swapaxes(convert_to_tensor(x), axis1, axis2)


@_numpy_export("broadcast_to")
@keras_op
def broadcast_to(x, shape):
    """Broadcasts `x` to `shape`."""
    return jnp.broadcast_to(convert_to_tensor(x), tuple(shape))


@_numpy_export("copy")
@keras_op
def copy(x):
    """A copy of `x`."""
    return jnp.copy(convert_to_tensor(x))


@_numpy_export("view")
@keras_op
def view(x, dtype=None):
    """The bits of `x` reinterpreted as `dtype` (the last axis scales by the itemsize ratio)."""
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(dtypes.to_jax_dtype(dtype))


# -- joining ---------------------------------------------------------------------------------------
@_numpy_export("concatenate")
@keras_op
def concatenate(xs, axis=0):
    """Joins the tensors `xs` along the existing `axis` (None: flattened first)."""
    return jnp.concatenate([convert_to_tensor(x) for x in xs], axis=axis)


@_numpy_export("append")
@keras_op
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (both flattened when `axis` is None)."""
    return jnp.append(convert_to_tensor(x1), convert_to_tensor(x2), axis=axis)


@_numpy_export("stack")
@keras_op
def stack(x, axis=0):
    """Joins the tensors `x` along a new `axis`."""
    return jnp.stack([convert_to_tensor(t) for t in x], axis=axis)


@_numpy_export("hstack")
@keras_op
def hstack(xs):
    """Joins `xs` column-wise (along axis 1; axis 0 for 1D tensors)."""
    return jnp.hstack([convert_to_tensor(x) for x in xs])


@_numpy_export("vstack")
@keras_op
def vstack(xs):
    """Joins `xs` row-wise (along axis 0, after making 1D tensors rows)."""
    return jnp.vstack([convert_to_tensor(x) for x in xs])


@_numpy_export("dstack")
@keras_op
def dstack(xs):
    """Joins `xs` depth-wise (along axis 2, after making them at least 3D)."""
    return jnp.dstack([convert_to_tensor(x) for x in xs])


# -- splitting -------------------------------------------------------------------------------------
@_numpy_export("split")
@keras_op
def split(x, indices_or_sections, axis=0):
    """Splits `x` into equal sections (an int) or at the given indices (a list), along `axis`."""
    return jnp.split(convert_to_tensor(x), indices_or_sections, axis=axis)


@_numpy_export("array_split")
@keras_op
def array_split(x, indices_or_sections, axis=0):
    """Like `split`, but an int number of sections need not divide the axis evenly."""
    return jnp.array_split(convert_to_tensor(x), indices_or_sections, axis=axis)


@_numpy_export("hsplit")
@keras_op
def hsplit(x, indices_or_sections):
    """Splits `x` column-wise (along axis 1; axis 0 for 1D tensors)."""
    return jnp.hsplit(convert_to_tensor(x), indices_or_sections)


@_numpy_export("vsplit")
@keras_op
def vsplit(x, indices_or_sections):
    """Splits `x` row-wise (along axis 0)."""
    return jnp.vsplit(convert_to_tensor(x), indices_or_sections)


@_numpy_export("dsplit")
@keras_op
def dsplit(x, indices_or_sections):
    """Splits `x` depth-wise (along axis 2)."""
    return jnp.dsplit(convert_to_tensor(x), indices_or_sections)


# -- rearranging -----------------------------------------------------------------------------------
@_numpy_export("flip")
@keras_op
def flip(x, axis=None):
    """Reverses `x` along `axis` (all axes when None)."""
    return jnp.flip(convert_to_tensor(x), axis=_axis(axis))


@_numpy_export("fliplr")
@keras_op
def fliplr(x):
    """Reverses `x` along axis 1."""
    return jnp.fliplr(convert_to_tensor(x))


@_numpy_export("flipud")
@keras_op
def flipud(x):
    """Reverses `x` along axis 0."""
    return jnp.flipud(convert_to_tensor(x))


@_numpy_export("roll")
@keras_op
def roll(x, shift, axis=None):
    """Rolls `x` by `shift` along `axis` (over the flattened `x` when None); values wrap around."""
    return jnp.roll(convert_to_tensor(x), shift, axis=_axis(axis))


@_numpy_export("rot90")
@keras_op
def rot90(array, k=1, axes=(0, 1)):
    """Rotates `array` by 90 degrees `k` times, in the plane of `axes` (from the first towards the second)."""
    array = convert_to_tensor(array)
    if array.ndim < 2:
        raise ValueError(f"rot90 expects a tensor of rank >= 2. Received: shape={array.shape}")
    if len(axes) != 2 or axes[0] % array.ndim == axes[1] % array.ndim:
        raise ValueError(f"rot90 expects two different axes. Received: axes={axes}")
    return jnp.rot90(array, k=k, axes=tuple(axes))


@_numpy_export("tile")
@keras_op
def tile(x, repeats):
    """Repeats the whole of `x` `repeats` times along each axis."""
    return jnp.tile(convert_to_tensor(x), repeats)


@_numpy_export("repeat")
@keras_op
def repeat(x, repeats, axis=None):
    """Repeats each element of `x` `repeats` times along `axis` (flattened when None)."""
    return jnp.repeat(convert_to_tensor(x), repeats, axis=axis)


@_numpy_export("pad")
@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x` by `pad_width` (`((before, after), ...)` per axis, or one pair or int for all).

    Args:
        mode: `"constant"`, `"edge"`, `"linear_ramp"`, `"maximum"`, `"mean"`, `"median"`,
            `"minimum"`, `"reflect"`, `"symmetric"`, `"wrap"` or `"empty"`.
        constant_values: the fill value, for `mode="constant"` only (default 0).
    """
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(
                "`constant_values` can only be given with mode='constant'. "
                f"Received: mode={mode!r}, constant_values={constant_values!r}"
            )
        kwargs["constant_values"] = constant_values
    return jnp.pad(convert_to_tensor(x), pad_width, mode=mode, **kwargs)


# -- diagonals and triangles -----------------------------------------------------------------------
@_numpy_export("diag")
@keras_op
def diag(x, k=0):
    """The `k`-th diagonal of a 2D `x`, or a 2D matrix with the 1D `x` on its `k`-th diagonal."""
    return jnp.diag(convert_to_tensor(x), k=k)


@_numpy_export("diagflat")
@keras_op
def diagflat(x, k=0):
    """A 2D matrix with the flattened `x` on its `k`-th diagonal."""
    return jnp.diagflat(convert_to_tensor(x), k=k)


@_numpy_export("diagonal")
@keras_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonals of `x` in the plane of `axis1` and `axis2`, moved to the last axis."""
    return jnp.diagonal(convert_to_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


@_numpy_export("tril")
@keras_op
def tril(x, k=0):
    """`x` with the values above the `k`-th diagonal set to zero."""
    return jnp.tril(convert_to_tensor(x), k=k)


@_numpy_export("triu")
@keras_op
def triu(x, k=0):
    """`x` with the values below the `k`-th diagonal set to zero."""
    return jnp.triu(convert_to_tensor(x), k=k)


@_numpy_export("diff")
@keras_op
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference of `a` along `axis`."""
    return jnp.diff(convert_to_tensor(a), n=n, axis=axis)
