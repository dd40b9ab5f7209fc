"""Parity with Keras for the core, math and linalg ops, plus behaviour of the control-flow ops."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tests.ops.ops_parity import Case, check_case, integers, uniform
from workbench import ops
from workbench.backend.variables import Variable


def spd(n=4, batch=(), seed=0):
    a = uniform(*batch, n, n, seed=seed)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype="float32")


def segments():
    return uniform(6, 3), np.array([0, 0, 1, 2, 2, 2], "int32")


CASES = [
    # core
    Case("cast", lambda: (uniform(3, 4), "int32")),
    Case("cast", lambda: (integers(3, 4), "bfloat16"), id="cast-bfloat16"),
    Case("saturate_cast", lambda: (np.array([-1.0, 0.5, 256.0, 1e10], "float32"), "uint8")),
    Case(
        "saturate_cast",
        lambda: (np.array([-3e9, 0.0, 3e9], "float32"), "int32"),
        id="saturate_cast-int32",
    ),
    Case(
        "saturate_cast",
        lambda: (np.array([-300, 5, 300], "int32"), "int8"),
        id="saturate_cast-int8",
    ),
    Case("convert_to_tensor", lambda: ([1.0, 2.0],)),
    Case("convert_to_tensor", lambda: ([1, 2],), id="convert_to_tensor-ints"),
    Case(
        "convert_to_tensor",
        lambda: (uniform(2, 2),),
        {"dtype": "float16"},
        id="convert_to_tensor-dtype",
    ),
    Case("convert_to_numpy", lambda: (uniform(2, 2),)),
    Case("shape", lambda: (uniform(2, 3),)),
    Case("dtype", lambda: (integers(2),)),
    Case("is_tensor", lambda: (jnp.ones(2),)),
    Case("is_tensor", lambda: (np.ones(2),), id="is_tensor-numpy"),
    Case("stop_gradient", lambda: (uniform(3),)),
    Case("unstack", lambda: (uniform(3, 4),), {"axis": 1}),
    Case("slice", lambda: (uniform(4, 5), (1, 2), (2, 3))),
    Case("slice_update", lambda: (uniform(4, 5), (1, 2), uniform(2, 3, seed=1))),
    Case("scatter", lambda: (np.array([[0, 1], [2, 3], [0, 1]], "int32"), uniform(3), (3, 4))),
    Case(
        "scatter_update",
        lambda: (uniform(3, 4), np.array([[0, 1], [2, 3]], "int32"), uniform(2, seed=1)),
    ),
    Case(
        "scatter_update",
        lambda: (uniform(3, 4), np.array([[0], [2]], "int32"), uniform(2, 4, seed=1)),
        {"reduction": "add"},
        id="scatter_update-add",
    ),
    Case(
        "scatter_update",
        lambda: (uniform(3, 4), np.array([[0, 1], [0, 1]], "int32"), uniform(2, seed=1)),
        {"reduction": "max"},
        id="scatter_update-max",
    ),
    # math
    Case("segment_sum", segments, {"num_segments": 3}),
    Case("segment_sum", segments, {"num_segments": 4, "sorted": True}, id="segment_sum-sorted"),
    Case("segment_max", segments, {"num_segments": 3}),
    Case("segment_min", segments, {"num_segments": 3}),
    Case("segment_prod", segments, {"num_segments": 3}),
    Case("top_k", lambda: (uniform(3, 6), 2)),
    Case("in_top_k", lambda: (np.array([0, 3, 5], "int32"), uniform(3, 6), 2)),
    Case("logsumexp", lambda: (uniform(3, 4),)),
    Case("logsumexp", lambda: (uniform(3, 4),), {"axis": 0, "keepdims": True}, id="logsumexp-axis"),
    Case("cdist", lambda: (uniform(3, 4), uniform(5, 4, seed=1))),
    Case("cdist", lambda: (uniform(2, 3, 4), uniform(2, 5, 4, seed=1)), id="cdist-batched"),
    Case("extract_sequences", lambda: (uniform(2, 10), 4, 3)),
    Case("fft", lambda: ((uniform(3, 8), uniform(3, 8, seed=1)),), rtol=1e-4, atol=1e-5),
    Case("fft2", lambda: ((uniform(2, 4, 8), uniform(2, 4, 8, seed=1)),), rtol=1e-4, atol=1e-5),
    Case("ifft2", lambda: ((uniform(2, 4, 8), uniform(2, 4, 8, seed=1)),), rtol=1e-4, atol=1e-5),
    Case("rfft", lambda: (uniform(3, 8),), rtol=1e-4, atol=1e-5),
    Case(
        "rfft", lambda: (uniform(3, 8),), {"fft_length": 12}, rtol=1e-4, atol=1e-5, id="rfft-length"
    ),
    Case("irfft", lambda: ((uniform(3, 5), uniform(3, 5, seed=1)),), rtol=1e-4, atol=1e-5),
    Case(
        "irfft",
        lambda: ((uniform(3, 5), uniform(3, 5, seed=1)),),
        {"fft_length": 10},
        rtol=1e-4,
        atol=1e-5,
        id="irfft-length",
    ),
    Case("stft", lambda: (uniform(2, 64), 16, 8, 16), rtol=1e-4, atol=1e-5),
    Case(
        "stft",
        lambda: (uniform(2, 64), 12, 5, 16),
        {"window": "hamming", "center": False},
        rtol=1e-4,
        atol=1e-5,
        id="stft-hamming",
    ),
    Case(
        "stft",
        lambda: (uniform(2, 64), 16, 8, 16),
        {"window": None},
        rtol=1e-4,
        atol=1e-5,
        id="stft-no-window",
    ),
    Case(
        "istft",
        lambda: ((uniform(2, 9, 9), uniform(2, 9, 9, seed=1)), 16, 8, 16),
        rtol=1e-4,
        atol=1e-5,
    ),
    Case(
        "istft",
        lambda: ((uniform(2, 9, 9), uniform(2, 9, 9, seed=1)), 16, 8, 16),
        {"length": 50, "center": False},
        rtol=1e-4,
        atol=1e-5,
        id="istft-length",
    ),
    Case(
        "istft",
        lambda: ((uniform(2, 9, 9), uniform(2, 9, 9, seed=1)), 16, 8, 16),
        {"window": None},
        rtol=1e-4,
        atol=1e-5,
        id="istft-no-window",
    ),
    Case("rsqrt", lambda: (uniform(3, 4, low=0.1, high=2.0),)),
    Case("erf", lambda: (uniform(3, 4),)),
    Case("erfc", lambda: (uniform(3, 4),)),
    Case("erfinv", lambda: (uniform(3, 4, low=-0.9, high=0.9),), rtol=1e-4),
    Case("logdet", lambda: (spd(),), rtol=1e-4),
    Case("view_as_complex", lambda: (uniform(3, 2),)),
    Case("view_as_real", lambda: (uniform(3).astype("complex64"),)),
    # linalg
    Case("cholesky", lambda: (spd(),), rtol=1e-4, atol=1e-5),
    Case(
        "cholesky",
        lambda: (spd(batch=(2,)),),
        {"upper": True},
        rtol=1e-4,
        atol=1e-5,
        id="cholesky-upper",
    ),
    Case("cholesky_inverse", lambda: (np.linalg.cholesky(spd()),), rtol=1e-4, atol=1e-5),
    Case(
        "cholesky_inverse",
        lambda: (np.linalg.cholesky(spd()).T,),
        {"upper": True},
        rtol=1e-4,
        atol=1e-5,
        id="cholesky_inverse-upper",
    ),
    Case("det", lambda: (spd(batch=(2,)),), rtol=1e-4),
    Case("inv", lambda: (spd(),), rtol=1e-4, atol=1e-5),
    Case("solve", lambda: (spd(), uniform(4, 2, seed=1)), rtol=1e-4, atol=1e-5),
    Case(
        "solve_triangular",
        lambda: (np.tril(spd()), uniform(4, 2, seed=1)),
        {"lower": True},
        rtol=1e-4,
        atol=1e-5,
    ),
    Case("lstsq", lambda: (uniform(6, 3), uniform(6, 2, seed=1)), rtol=1e-4, atol=1e-5),
    Case("matrix_rank", lambda: (uniform(4, 3),)),
    Case("matrix_rank", lambda: (np.outer(uniform(4), uniform(3, seed=1)),), id="matrix_rank-one"),
    Case("pinv", lambda: (uniform(4, 3),), rtol=1e-4, atol=1e-5),
    Case("norm", lambda: (uniform(3, 4),)),
    Case("norm", lambda: (uniform(3, 4),), {"axis": 1, "ord": 1}, id="norm-l1"),
    Case("norm", lambda: (uniform(3, 4),), {"ord": "fro", "axis": (0, 1)}, id="norm-fro"),
    Case("norm", lambda: (uniform(3, 4),), {"ord": "nuc"}, rtol=1e-4, id="norm-nuc"),
    Case(
        "norm",
        lambda: (uniform(3, 4),),
        {"ord": np.inf, "axis": -1, "keepdims": True},
        id="norm-inf",
    ),
    Case("norm", lambda: (integers(3, 4),), id="norm-int"),
    Case("lu_factor", lambda: (uniform(4, 4),), rtol=1e-4, atol=1e-5),
    Case("lu_factor", lambda: (uniform(2, 4, 4),), rtol=1e-4, atol=1e-5, id="lu_factor-batched"),
    Case("svd", lambda: (uniform(4, 3),), {"compute_uv": False}, rtol=1e-4),
    Case("eigh", lambda: (spd(),), rtol=1e-4, atol=1e-5),
    Case("rearrange", lambda: (uniform(2, 12, 5), "b (h w) c -> b h w c"), {"h": 3}),
    Case("rearrange", lambda: (uniform(2, 3, 4, 5), "b h w c -> b (w h) c"), id="rearrange-merge"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_core_math_linalg_op_matches_keras(case):
    check_case(case)


def test_qr_and_svd_reconstruct_their_input():
    x = uniform(5, 3)
    q, r = ops.qr(x)
    np.testing.assert_allclose(q @ r, x, atol=1e-5)
    q, r = ops.qr(x, mode="complete")
    assert q.shape == (5, 5) and r.shape == (5, 3)
    u, s, vh = ops.svd(x, full_matrices=False)
    np.testing.assert_allclose((u * s) @ vh, x, atol=1e-5)


def test_eig_gives_eigenpairs():
    x = spd()
    values, vectors = ops.eig(x)
    np.testing.assert_allclose(x @ vectors, vectors * values, atol=1e-4)


def test_cholesky_of_a_non_positive_definite_matrix_raises():
    with pytest.raises(ValueError, match="positive definite"):
        ops.cholesky(-np.eye(3, dtype="float32"))


def test_control_flow_matches_python_loops():
    assert int(ops.fori_loop(0, 5, lambda i, total: total + i, 0)) == 10
    assert int(ops.while_loop(lambda i: i < 7, lambda i: i + 2, 0)) == 8
    count, total = ops.while_loop(lambda i, t: i < 5, lambda i, t: (i + 1, t + i), (0, 0))
    assert (int(count), int(total)) == (5, 10)
    capped = ops.while_loop(lambda i: i < 100, lambda i: i + 1, 0, maximum_iterations=3)
    assert int(capped) == 3
    as_list = ops.while_loop(lambda i, t: i < 3, lambda i, t: [i + 1, t * 2], [0, 1])
    assert isinstance(as_list, list) and [int(v) for v in as_list] == [3, 8]
    assert float(ops.cond(True, lambda: 1.0, lambda: 2.0)) == 1.0
    assert float(ops.cond(jnp.array(False), lambda: 1.0, lambda: 2.0)) == 2.0
    assert int(ops.switch(1, [lambda x: x, lambda x: x * 10], 3)) == 30


def test_scan_map_and_associative_scan():
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.arange(4.0))
    assert float(carry) == 6.0 and ys.tolist() == [0.0, 0.0, 2.0, 9.0]
    carry, ys = ops.scan(lambda c, _: (c + 1, c), 0, length=3, reverse=True, unroll=2)
    assert int(carry) == 3 and ys.tolist() == [2, 1, 0]
    np.testing.assert_allclose(ops.map(lambda v: v * 2, np.arange(3.0)), [0.0, 2.0, 4.0])
    np.testing.assert_allclose(ops.vectorized_map(jnp.sum, np.ones((3, 2))), [2.0, 2.0, 2.0])
    cumulative = ops.associative_scan(lambda a, b: a + b, np.arange(5.0), reverse=True)
    np.testing.assert_allclose(cumulative, [10.0, 10.0, 9.0, 7.0, 4.0])
    with pytest.raises(ValueError, match="unroll"):
        ops.scan(lambda c, x: (c, x), 0.0, np.arange(3.0), unroll=0)


def test_custom_gradient_replaces_the_gradient():
    @ops.custom_gradient
    def clipped_square(x):
        def grad(upstream):
            return jnp.clip(upstream * 2 * x, -1.0, 1.0)

        return x * x, grad

    assert float(jax.grad(clipped_square)(3.0)) == 1.0
    assert float(clipped_square(Variable(np.float32(2.0)))) == 4.0


def test_ops_accept_variables_and_python_values():
    variable = Variable(np.arange(4.0, dtype="float32").reshape(2, 2))
    np.testing.assert_allclose(ops.add(variable, 1.0), [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(
        ops.matmul(variable, variable), np.arange(4.0).reshape(2, 2) @ np.arange(4.0).reshape(2, 2)
    )
    assert ops.convert_to_tensor(variable).dtype == jnp.float32
    assert ops.shape(variable) == (2, 2)
    assert ops.sum([1, 2, 3]).dtype == jnp.int32
    assert ops.convert_to_tensor(1.5).dtype == jnp.float32


def test_ops_run_under_jit():
    @jax.jit
    def step(x):
        return (
            ops.mean(ops.softmax(ops.matmul(x, x.T)), axis=-1)
            + ops.segment_sum(x[:, 0], jnp.array([0, 1, 1]), num_segments=2).sum()
        )

    assert step(jnp.ones((3, 2))).shape == (3,)


def test_segment_ops_need_num_segments_under_jit():
    with pytest.raises(ValueError, match="num_segments"):
        jax.jit(lambda d, s: ops.segment_sum(d, s))(jnp.ones(3), jnp.array([0, 0, 1]))
    np.testing.assert_allclose(ops.segment_sum(np.ones(3), np.array([0, 0, 1])), [2.0, 1.0])


def test_rearrange_supports_ellipsis_and_unit_axes():
    x = uniform(2, 3, 4, 5)
    np.testing.assert_array_equal(ops.rearrange(x, "b ... c -> c b ..."), np.moveaxis(x, -1, 0))
    assert ops.rearrange(x, "b h w c -> b 1 (h w c)").shape == (2, 1, 60)
    with pytest.raises(ValueError, match="exactly once"):
        ops.rearrange(x, "b h w c -> b h w")
