"""Linear algebra on (batches of) matrices: factorizations, solves, inverses, norms.

Every op works on the last two axes and batches over the leading ones.
"""

import jax
import jax.numpy as jnp
import jax.scipy as jsp

from workbench.api_export import keras_export
from workbench.ops.dtype_rules import to_float
from workbench.ops.operation import keras_op


def _linalg_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.linalg.{name}")


def _matrices(x, square=True):
    """`x` as a float tensor of rank >= 2 (and square in its last two axes, if `square`)."""
    x = to_float(x)
    if x.ndim < 2:
        raise ValueError(f"Expected a tensor of rank >= 2. Received: shape={x.shape}")
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Expected square matrices. Received: shape={x.shape}")
    return x


def _check_right_hand_side(a, b):
    if b.ndim < 1:
        raise ValueError(f"Expected `b` of rank >= 1. Received: b.shape={b.shape}")
    rows = a.shape[-2] if a.ndim == b.ndim else a.shape[-1]
    if b.shape[-2 if a.ndim == b.ndim else -1] != rows:
        raise ValueError(
            f"`a` and `b` do not match: a.shape={a.shape}, b.shape={b.shape}. `b` needs "
            f"{rows} rows."
        )


@_linalg_export("cholesky")
@keras_op
def cholesky(x, upper=False):
    """The Cholesky factor of the positive definite `x`: lower `L` with `x = L L^T` (or upper).

    Eagerly, raises if `x` is not positive definite (the factor would hold NaNs).
    """
    factor = jnp.linalg.cholesky(_matrices(x), upper=upper)
    if not isinstance(factor, jax.core.Tracer) and bool(jnp.any(jnp.isnan(factor))):
        raise ValueError("Cholesky decomposition failed: the input is not positive definite.")
    return factor


@_linalg_export("cholesky_inverse")
@keras_op
def cholesky_inverse(x, upper=False):
    """The inverse of `A` from its Cholesky factor `x` (`A = x x^T`, or `x^T x` when `upper`)."""
    x = _matrices(x)
    identity = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    factor_inverse = jsp.linalg.solve_triangular(x, identity, lower=not upper)
    transposed = jnp.swapaxes(factor_inverse, -1, -2)
    if upper:
        return factor_inverse @ transposed
    return transposed @ factor_inverse


@_linalg_export("det")
@keras_op
def det(x):
    """The determinant of the square matrices `x`."""
    return jnp.linalg.det(_matrices(x))


@_linalg_export("eig")
@keras_op
def eig(x):
    """Eigenvalues and right eigenvectors of general square matrices (complex; CPU only in JAX)."""
    return jnp.linalg.eig(_matrices(x))


@_linalg_export("eigh")
@keras_op
def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric (Hermitian) matrices."""
    return jnp.linalg.eigh(_matrices(x))


@_linalg_export("inv")
@keras_op
def inv(x):
    """The inverse of the square matrices `x`."""
    return jnp.linalg.inv(_matrices(x))


@_linalg_export("lu_factor")
@keras_op
def lu_factor(x):
    """LU factorization with partial pivoting: `(lu, pivots)`, as `scipy.linalg.lu_factor`."""
    x = _matrices(x, square=False)
    factorize = jsp.linalg.lu_factor
    for _ in range(x.ndim - 2):
        factorize = jax.vmap(factorize)
    return factorize(x)


@_linalg_export("norm")
@keras_op
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector norm (int `axis`) or matrix norm (2-tuple `axis`) of `x`.

    Args:
        ord: vector norms: None (2), inf, -inf, 0 (non-zero count), or any p; matrix norms:
            None or `"fro"` (Frobenius), `"nuc"`, inf, -inf, 1, -1, 2, -2.
        axis: None gives the vector 2-norm of 1D `x` and the Frobenius norm of 2D `x`.
    """
    axis = tuple(axis) if isinstance(axis, list) else axis
    return jnp.linalg.norm(to_float(x), ord=ord, axis=axis, keepdims=keepdims)


@_linalg_export("qr")
@keras_op
def qr(x, mode="reduced"):
    """QR decomposition `(q, r)` of `x`; `mode` is `"reduced"` or `"complete"`."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")
    return jnp.linalg.qr(_matrices(x, square=False), mode=mode)


@_linalg_export("solve")
@keras_op
def solve(a, b):
    """Solves `a @ x = b` for `x`, for square `a`."""
    a, b = _matrices(a), to_float(b)
    _check_right_hand_side(a, b)
    return jnp.linalg.solve(a, b)


@_linalg_export("solve_triangular")
@keras_op
def solve_triangular(a, b, lower=False):
    """Solves `a @ x = b` for `x`, for upper (or `lower`) triangular `a`."""
    a, b = _matrices(a), to_float(b)
    _check_right_hand_side(a, b)
    return jsp.linalg.solve_triangular(a, b, lower=lower)


@_linalg_export("svd")
@keras_op
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition: `(u, s, vh)` with `x = u @ diag(s) @ vh`, or `s` alone."""
    return jnp.linalg.svd(
        _matrices(x, square=False), full_matrices=full_matrices, compute_uv=compute_uv
    )


@_linalg_export("lstsq")
@keras_op
def lstsq(a, b, rcond=None):
    """The least-squares solution `x` minimizing `||a @ x - b||`."""
    return jnp.linalg.lstsq(to_float(a), to_float(b), rcond=rcond)[0]


@_linalg_export("matrix_rank")
@keras_op
def matrix_rank(x, tol=None):
    """The rank of `x`: the number of singular values above `tol`, as int32.

    `tol` defaults to `max(singular values) * max(M, N) * eps`, as in NumPy.
    """
    x = _matrices(x, square=False)
    singular_values = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        largest = jnp.max(singular_values, axis=-1, keepdims=True)
        tol = largest * max(x.shape[-2:]) * jnp.finfo(x.dtype).eps
    return jnp.sum(singular_values > tol, axis=-1).astype("int32")


@_linalg_export("pinv")
@keras_op
def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of `x`; singular values below `rcond * max` are dropped."""
    return jnp.linalg.pinv(_matrices(x, square=False), rtol=rcond)


@_linalg_export("jvp")
def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode derivative: `(fun(*primals), J @ tangents)` (plus aux with `has_aux`).

    Example:

    >>> jvp(lambda x: x**2, (3.0,), (1.0,))
    (Array(9., dtype=float32, weak_type=True), Array(6., dtype=float32, weak_type=True))
    """
    return jax.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
