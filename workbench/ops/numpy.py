"""`keras.ops.numpy`: the NumPy-named ops. This module is the namespace; the ops live in
`numpy_math.py` (element-wise math), `numpy_logic.py` (comparisons, logic, bitwise),
`numpy_reduction.py` (reductions, statistics), `numpy_creation.py` (constructors),
`numpy_shape.py` (reshaping, joining, splitting), `numpy_indexing.py` (indexing, sorting,
searching) and `numpy_products.py` (dot, matmul, einsum, ...).
"""

from workbench.ops.numpy_math import (  # noqa: F401
    abs, absolute, add, angle, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cbrt,
    ceil, clip, conj, conjugate, cos, cosh, deg2rad, divide, divide_no_nan, exp, exp2, expm1,
    fabs, floor, floor_divide, fmax, fmin, fmod, gcd, heaviside, hypot, i0, imag, lcm, ldexp,
    log, log10, log1p, log2, logaddexp, logaddexp2, maximum, minimum, mod, multiply, nan_to_num,
    negative, nextafter, positive, power, rad2deg, real, reciprocal, round, sign, signbit, sin,
    sinc, sinh, sqrt, square, subtract, tan, tanh, true_divide, trunc, vectorize,
)
from workbench.ops.numpy_logic import (  # noqa: F401
    allclose, bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_not, bitwise_or,
    bitwise_right_shift, bitwise_xor, equal, greater, greater_equal, isclose, isfinite, isin,
    isinf, isnan, isneginf, isposinf, isreal, left_shift, less, less_equal, logical_and,
    logical_not, logical_or, logical_xor, not_equal, right_shift,
)
from workbench.ops.numpy_reduction import (  # noqa: F401
    all, amax, amin, any, argmax, argmin, average, bincount, corrcoef, count_nonzero, cumprod,
    cumsum, histogram, max, mean, median, min, nanargmax, nanargmin, nancumprod, nancumsum,
    nanmax, nanmean, nanmedian, nanmin, nanpercentile, nanprod, nanquantile, nanstd, nansum,
    nanvar, percentile, prod, ptp, quantile, std, sum, trapezoid, var,
)
from workbench.ops.numpy_creation import (  # noqa: F401
    arange, array, bartlett, blackman, empty, empty_like, eye, full, full_like, geomspace,
    hamming, hanning, identity, kaiser, linspace, logspace, meshgrid, ones, ones_like, tri,
    vander, zeros, zeros_like,
)
from workbench.ops.numpy_shape import (  # noqa: F401
    append, array_split, broadcast_to, concatenate, copy, diag, diagflat, diagonal, diff,
    dsplit, dstack, expand_dims, flip, fliplr, flipud, hsplit, hstack, moveaxis, ndim, pad,
    ravel, repeat, reshape, roll, rot90, size, split, squeeze, stack, swapaxes, tile, transpose,
    tril, triu, view, vsplit, vstack,
)
from workbench.ops.numpy_indexing import (  # noqa: F401
    argpartition, argsort, digitize, get_item, nonzero, searchsorted, select, sort, take,
    take_along_axis, unique, unravel_index, where,
)
from workbench.ops.numpy_products import (  # noqa: F401
    correlate, cross, dot, einsum, inner, kron, matmul, outer, slogdet, tensordot, trace, vdot,
)
