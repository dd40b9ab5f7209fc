"""`keras.ops.nn` parity for activations, encodings, losses, normalization, attention and CTC."""

import numpy as np
import pytest

from tests.ops import test_nn_conv_parity
from tests.ops.ops_parity import Case, check_case, integers, uniform
from workbench import ops

ACTIVATIONS = [
    "relu",
    "relu6",
    "sigmoid",
    "sparse_sigmoid",
    "softplus",
    "softsign",
    "soft_shrink",
    "sparse_plus",
    "silu",
    "swish",
    "squareplus",
    "log_sigmoid",
    "leaky_relu",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "elu",
    "selu",
    "gelu",
    "celu",
    "glu",
    "tanh_shrink",
    "hard_tanh",
    "hard_shrink",
    "softmax",
    "log_softmax",
]


def wide():
    return (uniform(3, 6, low=-4.0, high=4.0),)


def attention_inputs(heads=4, key_heads=4, target=5, source=6, depth=8):
    return (
        uniform(2, target, heads, depth),
        uniform(2, source, key_heads, depth, seed=1),
        uniform(2, source, key_heads, depth, seed=2),
    )


def ctc_inputs():
    target = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], "int32")
    output = uniform(2, 8, 5, low=-2.0, high=2.0, seed=3)
    return target, output, np.array([3, 2], "int32"), np.array([8, 6], "int32")


CASES = [Case(n, wide, id=n) for n in ACTIVATIONS] + [
    Case("leaky_relu", wide, {"negative_slope": 0.1}, id="leaky_relu-slope"),
    Case("elu", wide, {"alpha": 0.5}, id="elu-alpha"),
    Case("celu", wide, {"alpha": 2.0}, id="celu-alpha"),
    Case("gelu", wide, {"approximate": False}, id="gelu-exact"),
    Case("glu", lambda: (uniform(4, 3, low=-3.0, high=3.0),), {"axis": 0}, id="glu-axis"),
    Case("soft_shrink", wide, {"threshold": 1.0}, id="soft_shrink-threshold"),
    Case("hard_shrink", wide, {"threshold": 1.5}, id="hard_shrink-threshold"),
    Case("squareplus", wide, {"b": 1.0}, id="squareplus-b"),
    Case("threshold", lambda: (uniform(3, 6), 0.2, -1.0)),
    Case("softmax", lambda: (uniform(2, 3, 4),), {"axis": 1}, id="softmax-axis"),
    Case("softmax", lambda: (uniform(2, 3, 4),), {"axis": (1, 2)}, id="softmax-tuple-axis"),
    Case("log_softmax", lambda: (uniform(2, 3, 4),), {"axis": 0}, id="log_softmax-axis"),
    # encodings, losses, statistics
    Case("one_hot", lambda: (np.array([0, 2, -1, 3], "int32"), 4)),
    Case(
        "one_hot",
        lambda: (integers(2, 3, high=4), 4),
        {"axis": 0, "dtype": "int32"},
        id="one_hot-axis",
    ),
    Case("multi_hot", lambda: (np.array([[0, 2], [1, 1]], "int32"), 4)),
    Case(
        "multi_hot",
        lambda: (np.array([0, 3], "int32"),),
        {"num_classes": 5, "dtype": "int32"},
        id="multi_hot-1d",
    ),
    Case(
        "binary_crossentropy",
        lambda: (
            integers(3, 4, high=2).astype("float32"),
            uniform(3, 4, low=0.01, high=0.99, seed=1),
        ),
    ),
    Case(
        "binary_crossentropy",
        lambda: (
            integers(3, 4, high=2).astype("float32"),
            uniform(3, 4, low=-3.0, high=3.0, seed=1),
        ),
        {"from_logits": True},
        id="binary_crossentropy-logits",
    ),
    Case(
        "categorical_crossentropy",
        lambda: (np.eye(4, dtype="float32")[[0, 3, 1]], uniform(3, 4, low=0.01, high=1.0, seed=1)),
    ),
    Case(
        "categorical_crossentropy",
        lambda: (np.eye(4, dtype="float32")[[0, 3, 1]], uniform(3, 4, seed=1)),
        {"from_logits": True},
        id="categorical_crossentropy-logits",
    ),
    Case(
        "categorical_crossentropy",
        lambda: (
            np.eye(3, dtype="float32")[[[0, 2]]].transpose(0, 2, 1),
            uniform(1, 3, 2, low=0.01, high=1.0, seed=1),
        ),
        {"axis": 1},
        id="categorical_crossentropy-axis",
    ),
    Case(
        "sparse_categorical_crossentropy",
        lambda: (np.array([0, 3, 1], "int32"), uniform(3, 4, low=0.01, high=1.0, seed=1)),
    ),
    Case(
        "sparse_categorical_crossentropy",
        lambda: (np.array([[0], [3], [1]], "int32"), uniform(3, 4, seed=1)),
        {"from_logits": True},
        id="sparse_categorical_crossentropy-logits",
    ),
    Case("moments", lambda: (uniform(3, 4, 5),), {"axes": [0, 2]}),
    Case(
        "moments",
        lambda: (uniform(3, 4, 5),),
        {"axes": (1,), "keepdims": True},
        id="moments-keepdims",
    ),
    Case(
        "moments",
        lambda: (uniform(3, 4, dtype="float16"),),
        {"axes": 0},
        rtol=1e-3,
        id="moments-float16",
    ),
    Case(
        "batch_normalization",
        lambda: (uniform(3, 4), uniform(4, seed=1), uniform(4, low=0.5, high=1.0, seed=2), -1),
    ),
    Case(
        "batch_normalization",
        lambda: (uniform(2, 3, 4), uniform(3, seed=1), uniform(3, low=0.5, high=1.0, seed=2), 1),
        {"offset": uniform(3, seed=3), "scale": uniform(3, seed=4), "epsilon": 0.01},
        id="batch_normalization-offset-scale",
    ),
    Case("layer_normalization", lambda: (uniform(3, 4),)),
    Case(
        "layer_normalization",
        lambda: (uniform(2, 3, 4), uniform(3, 4, seed=1), uniform(3, 4, seed=2)),
        {"axis": [1, 2], "epsilon": 1e-3},
        rtol=1e-4,
        atol=1e-5,
        id="layer_normalization-axes",
    ),
    Case(
        "layer_normalization",
        lambda: (uniform(2, 3, 4), uniform(3, seed=1)),
        {"axis": 1, "rms_scaling": True},
        rtol=1e-4,
        atol=1e-5,
        id="layer_normalization-rms",
    ),
    Case("rms_normalization", lambda: (uniform(3, 4),)),
    Case(
        "rms_normalization",
        lambda: (uniform(3, 4), uniform(4, seed=1)),
        {"epsilon": 1e-3},
        id="rms_normalization-scale",
    ),
    Case("normalize", lambda: (uniform(3, 4),)),
    Case("normalize", lambda: (uniform(3, 4),), {"axis": 0, "order": 1}, id="normalize-l1"),
    Case("psnr", lambda: (uniform(3, 4, 4), uniform(3, 4, 4, seed=1), 1.0)),
    Case("polar", lambda: (uniform(3, 4, low=0.0, high=2.0), uniform(3, 4, seed=1))),
    # attention
    Case("dot_product_attention", attention_inputs, rtol=1e-4, atol=1e-5),
    Case(
        "dot_product_attention",
        lambda: attention_inputs(heads=4, key_heads=2),
        rtol=1e-4,
        atol=1e-5,
        id="dot_product_attention-grouped",
    ),
    Case(
        "dot_product_attention",
        attention_inputs,
        {"is_causal": True, "scale": 0.3},
        rtol=1e-4,
        atol=1e-5,
        id="dot_product_attention-causal",
    ),
    Case(
        "dot_product_attention",
        attention_inputs,
        {"mask": integers(2, 1, 5, 6, high=2, seed=4).astype(bool)},
        rtol=1e-4,
        atol=1e-5,
        id="dot_product_attention-mask",
    ),
    Case(
        "dot_product_attention",
        attention_inputs,
        {"bias": uniform(2, 4, 5, 6, seed=5)},
        rtol=1e-4,
        atol=1e-5,
        id="dot_product_attention-bias",
    ),
    # ctc
    Case("ctc_loss", ctc_inputs, rtol=1e-4, atol=1e-4),
    Case("ctc_loss", ctc_inputs, {"mask_index": 4}, rtol=1e-4, atol=1e-4, id="ctc_loss-mask-index"),
    Case("ctc_decode", lambda: (uniform(2, 8, 5, seed=6), np.array([8, 5], "int32"))),
    Case(
        "ctc_decode",
        lambda: (uniform(2, 8, 5, seed=6), np.array([8, 5], "int32")),
        {"merge_repeated": False, "mask_index": 4},
        id="ctc_decode-no-merge",
    ),
    Case(
        "ctc_decode",
        lambda: (uniform(2, 8, 5, low=-3.0, high=3.0, seed=7), np.array([8, 6], "int32")),
        {"strategy": "beam_search", "beam_width": 6, "top_paths": 3},
        rtol=1e-4,
        atol=1e-4,
        id="ctc_decode-beam",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_nn_op_matches_keras(case):
    check_case(case)


def test_every_nn_op_has_a_parity_case():
    import keras

    covered = {case.name for case in CASES + test_nn_conv_parity.CASES} | {"sparsemax"}
    missing = [
        name for name in dir(keras.ops.nn) if not name.startswith("_") and name not in covered
    ]
    assert missing == []


def test_beam_search_finds_the_only_likely_path():
    scores = np.full((1, 4, 3), -10.0, "float32")
    for t, label in enumerate([1, 1, 0, 2]):
        scores[0, t, label] = 10.0
    decoded, log_probabilities = ops.ctc_decode(
        scores, np.array([4]), strategy="beam_search", beam_width=4
    )
    assert decoded.shape == (1, 1, 4)
    assert decoded[0, 0].tolist() == [1, 2, -1, -1]
    assert float(log_probabilities[0, 0]) > -1e-3


def test_ctc_loss_is_differentiable_and_finite():
    import jax

    target, output, target_length, output_length = ctc_inputs()
    gradient = jax.grad(lambda o: ops.ctc_loss(target, o, target_length, output_length).sum())(
        output
    )
    assert np.isfinite(np.asarray(gradient)).all()


def test_attention_logit_soft_cap_bounds_the_logits():
    query, key, value = attention_inputs()
    capped = ops.dot_product_attention(query * 100, key, value, attn_logits_soft_cap=1.0)
    assert np.isfinite(np.asarray(capped)).all()


def _reference_sparsemax(x):
    """Sparsemax of a 1D array by sorting (Martins & Astudillo, 2016)."""
    z = np.sort(x)[::-1]
    k = np.arange(1, x.size + 1)
    support = 1 + k * z > np.cumsum(z)
    size = k[support][-1]
    tau = (np.cumsum(z)[size - 1] - 1) / size
    return np.maximum(x - tau, 0)


def test_sparsemax_projects_onto_the_simplex():
    # Keras 3.15's JAX sparsemax sums the cumulative sums over the support, so its threshold is
    # too large (all zeros here); this checks against the published algorithm instead.
    x = uniform(3, 6, low=-4.0, high=4.0)
    result = np.asarray(ops.sparsemax(x))
    np.testing.assert_allclose(
        result, np.stack([_reference_sparsemax(row) for row in x]), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(result.sum(axis=-1), 1.0, rtol=1e-5)
    along_axis = np.asarray(ops.sparsemax(x.T, axis=0))
    np.testing.assert_allclose(along_axis, result.T, rtol=1e-5, atol=1e-6)
