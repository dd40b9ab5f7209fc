"""Reductions and statistics: sum, mean, max, argmax, quantiles, cumulative sums, NaN-skipping variants.

`axis` may be None (all axes), an int, or a list or tuple of ints, as in Keras.
"""

import builtins

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.ops.core import convert_to_tensor
from workbench.ops.data_dependent import data_dependent_op
from workbench.ops.dtype_rules import compute_in_float32, to_float
from workbench.ops.operation import keras_op


def _numpy_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.numpy.{name}")


def _axis(axis):
    """JAX needs a hashable axis: lists become tuples."""
    return tuple(axis) if isinstance(axis, list) else axis


@_numpy_export("sum")
@keras_op
def sum(x, axis=None, keepdims=False):
    """Sum over `axis`; booleans and small integers accumulate in int32."""
    return jnp.sum(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("prod")
@keras_op
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`, accumulated in `dtype` when given."""
    return jnp.prod(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, dtype=dtype)


@_numpy_export("mean")
@keras_op
def mean(x, axis=None, keepdims=False):
    """Mean over `axis`, computed in at least float32; integer inputs give float32."""
    x, result_dtype = compute_in_float32(x)
    return jnp.mean(x, axis=_axis(axis), keepdims=keepdims).astype(result_dtype)


@_numpy_export("var")
@keras_op
def var(x, axis=None, keepdims=False):
    """Population variance over `axis`, computed in at least float32."""
    x, result_dtype = compute_in_float32(x)
    return jnp.var(x, axis=_axis(axis), keepdims=keepdims).astype(result_dtype)


@_numpy_export("std")
@keras_op
def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis`; integer inputs give `floatx()`."""
    return jnp.std(to_float(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("average")
@keras_op
def average(x, axis=None, weights=None):
    """Weighted mean over `axis`; `weights` has the shape of `x` or of `x`'s `axis`."""
    x = to_float(x)
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = jnp.promote_types(x.dtype, weights.dtype)
        x, weights = x.astype(dtype), weights.astype(dtype)
    return jnp.average(x, axis=_axis(axis), weights=weights)


@_numpy_export("max")
@keras_op
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`; `initial` is a lower bound for the result (and the value of empty axes)."""
    return jnp.max(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


@_numpy_export("min")
@keras_op
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`; `initial` is an upper bound for the result."""
    return jnp.min(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


@_numpy_export("amax")
@keras_op
def amax(x, axis=None, keepdims=False):
    """Maximum over `axis` (alias of `max`)."""
    return jnp.max(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("amin")
@keras_op
def amin(x, axis=None, keepdims=False):
    """Minimum over `axis` (alias of `min`)."""
    return jnp.min(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("ptp")
@keras_op
def ptp(x, axis=None, keepdims=False):
    """Peak to peak: `max - min` over `axis`."""
    return jnp.ptp(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("all")
@keras_op
def all(x, axis=None, keepdims=False):
    """Whether all values over `axis` are true (non-zero)."""
    return jnp.all(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("any")
@keras_op
def any(x, axis=None, keepdims=False):
    """Whether any value over `axis` is true (non-zero)."""
    return jnp.any(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("count_nonzero")
@keras_op
def count_nonzero(x, axis=None):
    """The number of non-zero values over `axis`, as int32."""
    return jnp.count_nonzero(convert_to_tensor(x), axis=_axis(axis)).astype("int32")


@_numpy_export("argmax")
@keras_op
def argmax(x, axis=None, keepdims=False):
    """Index of the maximum over `axis` (of the flattened `x` when `axis` is None), as int32."""
    return jnp.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


@_numpy_export("argmin")
@keras_op
def argmin(x, axis=None, keepdims=False):
    """Index of the minimum over `axis`, as int32."""
    return jnp.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


@_numpy_export("median")
@keras_op
def median(x, axis=None, keepdims=False):
    """Median over `axis`; integer inputs give `floatx()`."""
    return jnp.median(to_float(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("quantile")
@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (`q` in [0, 1]) over `axis`.

    Args:
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
    """
    return jnp.quantile(
        to_float(x), convert_to_tensor(q), axis=_axis(axis), method=method, keepdims=keepdims
    )


@_numpy_export("percentile")
@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (`q` in [0, 100]) over `axis`."""
    return jnp.percentile(
        to_float(x), convert_to_tensor(q), axis=_axis(axis), method=method, keepdims=keepdims
    )


@_numpy_export("cumsum")
@keras_op
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (over the flattened `x` when None)."""
    return jnp.cumsum(convert_to_tensor(x), axis=axis, dtype=dtype)


@_numpy_export("cumprod")
@keras_op
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (over the flattened `x` when None)."""
    return jnp.cumprod(convert_to_tensor(x), axis=axis, dtype=dtype)


# -- NaN-skipping variants -------------------------------------------------------------------------
@_numpy_export("nansum")
@keras_op
def nansum(x, axis=None, keepdims=False):
    """Sum over `axis`, treating NaN as zero."""
    return jnp.nansum(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanprod")
@keras_op
def nanprod(x, axis=None, keepdims=False):
    """Product over `axis`, treating NaN as one."""
    return jnp.nanprod(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanmean")
@keras_op
def nanmean(x, axis=None, keepdims=False):
    """Mean over `axis`, ignoring NaNs."""
    return jnp.nanmean(to_float(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanvar")
@keras_op
def nanvar(x, axis=None, keepdims=False):
    """Variance over `axis`, ignoring NaNs."""
    return jnp.nanvar(to_float(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanstd")
@keras_op
def nanstd(x, axis=None, keepdims=False):
    """Standard deviation over `axis`, ignoring NaNs."""
    return jnp.nanstd(to_float(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanmax")
@keras_op
def nanmax(x, axis=None, keepdims=False):
    """Maximum over `axis`, ignoring NaNs."""
    return jnp.nanmax(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanmin")
@keras_op
def nanmin(x, axis=None, keepdims=False):
    """Minimum over `axis`, ignoring NaNs."""
    return jnp.nanmin(convert_to_tensor(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanargmax")
@keras_op
def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum over `axis`, ignoring NaNs (-1 where all are NaN)."""
    return jnp.nanargmax(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


@_numpy_export("nanargmin")
@keras_op
def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum over `axis`, ignoring NaNs (-1 where all are NaN)."""
    return jnp.nanargmin(convert_to_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


@_numpy_export("nanmedian")
@keras_op
def nanmedian(x, axis=None, keepdims=False):
    """Median over `axis`, ignoring NaNs."""
    return jnp.nanmedian(to_float(x), axis=_axis(axis), keepdims=keepdims)


@_numpy_export("nanquantile")
@keras_op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles over `axis`, ignoring NaNs."""
    return jnp.nanquantile(
        to_float(x), convert_to_tensor(q), axis=_axis(axis), method=method, keepdims=keepdims
    )


@_numpy_export("nanpercentile")
@keras_op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles over `axis`, ignoring NaNs."""
    return jnp.nanpercentile(
        to_float(x), convert_to_tensor(q), axis=_axis(axis), method=method, keepdims=keepdims
    )


@_numpy_export("nancumsum")
@keras_op
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis`, treating NaN as zero."""
    return jnp.nancumsum(convert_to_tensor(x), axis=axis, dtype=dtype)


@_numpy_export("nancumprod")
@keras_op
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis`, treating NaN as one."""
    return jnp.nancumprod(convert_to_tensor(x), axis=axis, dtype=dtype)


# -- distributions ---------------------------------------------------------------------------------
def _bincount_spec(x, weights=None, minlength=0, sparse=False):
    dtype = "int32" if weights is None else weights.dtype
    return KerasTensor(x.shape[:-1] + (None,), dtype=dtype)


@_numpy_export("bincount")
@data_dependent_op(_bincount_spec)
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts (or sums `weights` of) each non-negative integer value in `x`.

    A 2D `x` is counted row by row. The output length is `max(x) + 1` (at least `minlength`),
    so it depends on the values: this op runs eagerly only, not under `jit`.

    Args:
        sparse: accepted for Keras compatibility; the result is always dense.
    """
    x = convert_to_tensor(x)
    weights = None if weights is None else convert_to_tensor(weights)
    length = builtins.max(int(jnp.max(x)) + 1 if x.size else 0, minlength)
    if x.ndim == 2:
        rows = [
            jnp.bincount(row, None if weights is None else weights[i], length=length)
            for i, row in enumerate(x)
        ]
        return jnp.stack(rows)
    return jnp.bincount(x, weights, length=length)


@_numpy_export("histogram")
@keras_op
def histogram(x, bins=10, range=None):
    """Histogram of the flattened `x`: `(counts, bin_edges)` for `bins` equal bins (float counts).

    Args:
        range: `(low, high)` of the bins; defaults to `(x.min(), x.max())`.
    """
    x = convert_to_tensor(x)
    if range is None:
        range = (jnp.min(x), jnp.max(x))
    return jnp.histogram(x, bins=bins, range=range)


@_numpy_export("corrcoef")
@keras_op
def corrcoef(x):
    """Pearson correlation coefficients between the rows of `x`."""
    return jnp.corrcoef(to_float(x))


@_numpy_export("trapezoid")
@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule, at points `x` or spacing `dx`."""
    x = None if x is None else to_float(x)
    return jnp.trapezoid(to_float(y), x=x, dx=dx, axis=axis)
