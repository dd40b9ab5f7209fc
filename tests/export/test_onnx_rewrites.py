"""onnx_friendly(fn) computes what fn computes, with only forms that jax2onnx and ONNX Runtime run."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from workbench import ops
from workbench.export.onnx_rewrites import onnx_friendly


def equations(fn, *args):
    found = []

    def walk(jaxpr):
        for eqn in jaxpr.eqns:
            found.append(eqn)
            for value in eqn.params.values():
                inner = getattr(value, "jaxpr", None)
                if inner is not None:
                    walk(inner if hasattr(inner, "eqns") else inner.jaxpr)

    walk(jax.make_jaxpr(fn)(*args).jaxpr)
    return found


@pytest.mark.parametrize("shape,pool,strides,padding", [
    ((2, 9, 9, 3), 2, None, "valid"),
    ((2, 7, 8, 3), 3, 2, "same"),
    ((1, 5, 6, 4, 2), (2, 3, 2), (1, 2, 2), "same"),
], ids=["2d-valid", "2d-same-strided", "3d-same"])
def test_max_pooling_becomes_one_rank_3_pooling_per_axis(shape, pool, strides, padding):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")

    def pool_fn(x):
        return ops.max_pool(x, pool, strides=strides, padding=padding)

    np.testing.assert_array_equal(onnx_friendly(pool_fn)(x), pool_fn(x))
    ranks = [e.invars[0].aval.ndim for e in equations(onnx_friendly(pool_fn), x)
             if e.primitive.name == "reduce_window_max"]
    assert ranks and set(ranks) == {3}


def test_reverse_scan_becomes_a_forward_scan_over_flipped_inputs():
    xs = np.arange(12, dtype="float32").reshape(6, 2)

    def running(xs):
        def step(carry, x):
            carry = carry * 0.5 + x
            return carry, carry * 2

        return jax.lax.scan(step, jnp.zeros(2), xs, reverse=True)

    expected = running(xs)
    rewritten = onnx_friendly(running)(xs)
    for got, want in zip(jax.tree_util.tree_leaves(rewritten), jax.tree_util.tree_leaves(expected)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    scans = [e for e in equations(onnx_friendly(running), xs) if e.primitive.name == "scan"]
    assert scans and not any(e.params["reverse"] for e in scans)


def test_transposed_convolution_runs_in_channels_first_layout():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 5, 3)).astype("float32")
    kernel = rng.normal(size=(3, 3, 4, 3)).astype("float32")

    def upsample(x):
        return ops.conv_transpose(x, kernel, strides=2, padding="same")

    np.testing.assert_allclose(onnx_friendly(upsample)(x), upsample(x), atol=1e-5)
    convs = [e for e in equations(onnx_friendly(upsample), x)
             if e.primitive.name == "conv_general_dilated"]
    assert convs and all(e.params["dimension_numbers"].rhs_spec == (0, 1, 2, 3) for e in convs)


def test_pytrees_pass_through_and_jitted_calls_are_inlined():
    @jax.jit
    def inner(x):
        return x * 3

    def fn(inputs):
        return {"sum": inputs["a"] + inputs["b"], "tripled": inner(inputs["a"])}

    inputs = {"a": np.ones(3, "float32"), "b": np.arange(3, dtype="float32")}
    result = onnx_friendly(fn)(inputs)
    assert sorted(result) == ["sum", "tripled"]
    np.testing.assert_array_equal(result["tripled"], np.full(3, 3.0))
    names = [e.primitive.name for e in equations(onnx_friendly(fn), inputs)]
    assert "pjit" not in names and "jit" not in names
