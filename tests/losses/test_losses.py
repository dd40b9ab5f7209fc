"""Every Keras loss, in workbench and in real Keras, on the same inputs: values for each reduction
and sample-weight shape, the function forms, and gradients with respect to `y_pred`."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench.losses as losses
from tests.losses.loss_cases import (
    CASE_IDS,
    CASES,
    FUNCTION_NAMES,
    REDUCTIONS,
    assert_close,
    both,
    grad_wrt_prediction,
    keras_oracle,
    make_data,
    sample_weights,
    to_arrays,
)


def _unreduced_shape(name, kwargs, kind):
    keras = keras_oracle()
    y_true, y_pred = to_arrays(*make_data(kind))
    return tuple(getattr(keras.losses, name)(reduction="none", **kwargs)(y_true, y_pred).shape)


@pytest.mark.parametrize("weights", [None, "per_sample", "column"])
@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=CASE_IDS)
def test_values_match_keras_for_every_reduction(name, kwargs, kind, weights):
    y_true, y_pred = make_data(kind)
    weight = sample_weights(weights, _unreduced_shape(name, kwargs, kind))
    for reduction in REDUCTIONS:
        ours, theirs = both(name, dict(kwargs, reduction=reduction))
        expected = theirs(*to_arrays(y_true, y_pred, weight))
        actual = ours(*to_arrays(y_true, y_pred, weight))
        assert_close(actual, expected, what=f"reduction={reduction!r}")


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=CASE_IDS)
def test_function_form_matches_keras(name, kwargs, kind):
    keras = keras_oracle()
    if kind in ("real_vector", "binary_vector"):
        pytest.skip("the function forms take y_true and y_pred of one rank")
    function = FUNCTION_NAMES[name]
    if function == "categorical_generalized_cross_entropy":
        kwargs = {"q": 0.5, **kwargs}  # required by the function form
    y_true, y_pred = make_data(kind)
    if name in (
        "SparseCategoricalCrossentropy",
        "CategoricalGeneralizedCrossEntropy",
        "CTC",
        "Circle",
    ):
        y_true = y_true.astype("float32")  # as `Loss.__call__` passes them
    expected = getattr(keras.losses, function)(*to_arrays(y_true, y_pred), **kwargs)
    actual = getattr(losses, function)(*to_arrays(y_true, y_pred), **kwargs)
    assert_close(actual, expected)


# Every other case runs with column sample weights, so each family is checked both ways.
GRADIENT_CASES = [(*case, "column" if i % 2 else None) for i, case in enumerate(CASES)]
GRADIENT_IDS = [f"{case_id}-{weights}" for case_id, (*_, weights) in zip(CASE_IDS, GRADIENT_CASES)]


@pytest.mark.parametrize("name,kwargs,kind,weights", GRADIENT_CASES, ids=GRADIENT_IDS)
def test_gradient_matches_keras(name, kwargs, kind, weights):
    y_true, y_pred = make_data(kind)
    weight = sample_weights(weights, _unreduced_shape(name, kwargs, kind))
    ours, theirs = both(name, kwargs)
    expected = grad_wrt_prediction(theirs, *to_arrays(y_true, y_pred, weight))
    actual = grad_wrt_prediction(ours, *to_arrays(y_true, y_pred, weight))
    assert_close(actual, expected, rtol=1e-4, atol=1e-6)


JIT_CASES = [
    ("MeanSquaredError", {}, "real_vector"),
    ("Hinge", {}, "binary_logits"),
    ("BinaryFocalCrossentropy", {"from_logits": True}, "binary_logits"),
    ("CategoricalCrossentropy", {"axis": 1}, "one_hot_axis1"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": -1}, "sparse_ignore"),
    ("KLDivergence", {}, "distribution"),
    ("CTC", {}, "ctc"),
    ("Dice", {"axis": (1, 2, 3)}, "segmentation"),
    ("Circle", {}, "circle"),
    ("CategoricalGeneralizedCrossEntropy", {}, "sparse_probability"),
]


@pytest.mark.parametrize("name,kwargs,kind", JIT_CASES, ids=[case[0] for case in JIT_CASES])
def test_jitted_loss_equals_eager(name, kwargs, kind):
    y_true, y_pred = to_arrays(*make_data(kind))
    loss = getattr(losses, name)(**kwargs)
    assert_close(jax.jit(loss)(y_true, y_pred), loss(y_true, y_pred))


def test_functions_accept_lists_and_integer_labels():
    keras = keras_oracle()
    for function in ("mean_squared_error", "mean_absolute_error", "hinge", "poisson", "log_cosh"):
        y_true, y_pred = [[0, 1, 1]], [[0.2, 0.7, 0.9]]
        assert_close(
            getattr(losses, function)(y_true, y_pred),
            getattr(keras.losses, function)(y_true, y_pred),
        )


def test_hinge_keeps_labels_that_are_not_binary():
    # {0, 1} labels become {-1, 1}; any other set is used as it is.
    y_pred = jnp.array([[0.3, -0.4, 2.0]])
    assert_close(
        losses.hinge(jnp.array([[0.0, 1.0, 1.0]]), y_pred),
        losses.hinge(jnp.array([[-1.0, 1.0, 1.0]]), y_pred),
    )
    assert_close(
        losses.hinge(jnp.array([[0.0, 2.0, 1.0]]), y_pred),
        keras_oracle().losses.hinge(jnp.array([[0.0, 2.0, 1.0]]), y_pred),
    )


def test_sparse_categorical_crossentropy_masks_the_ignored_class():
    y_true = jnp.array([1, -1, 0])
    y_pred = jnp.array([[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]])
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    expected = -(np.log(0.8) + np.log(0.9)) / 2  # the mean over the two kept labels
    np.testing.assert_allclose(float(loss(y_true, y_pred)), expected, rtol=1e-6)
    unreduced = losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="none")(
        y_true, y_pred
    )
    assert float(unreduced[1]) == 0.0


def test_ignored_class_gives_finite_gradients():
    y_true = jnp.array([1, -1])
    y_pred = jnp.array([[0.2, 0.8], [0.5, 0.5]])
    gradient = grad_wrt_prediction(
        losses.SparseCategoricalCrossentropy(ignore_class=-1), y_true, y_pred
    )
    assert bool(jnp.all(jnp.isfinite(gradient)))
    assert float(jnp.abs(gradient[1]).sum()) == 0.0


def test_generalized_cross_entropy_accepts_column_labels():
    y_pred = jnp.asarray(make_data("sparse_probability")[1])
    labels = jnp.array([0, 3, 1, 4])
    assert_close(
        losses.categorical_generalized_cross_entropy(labels[:, None], y_pred, q=0.5),
        losses.categorical_generalized_cross_entropy(labels, y_pred, q=0.5),
    )


def test_ctc_rejects_wrong_ranks():
    with pytest.raises(ValueError, match="y_true.shape"):
        losses.ctc(jnp.zeros((2, 3, 1)), jnp.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="y_pred.shape"):
        losses.ctc(jnp.zeros((2, 3)), jnp.zeros((2, 5)))


def test_categorical_crossentropy_warns_on_a_single_class():
    with pytest.warns(UserWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(jnp.ones((2, 1)), jnp.ones((2, 1)))


def test_losses_run_in_float16_and_bfloat16_like_keras():
    keras = keras_oracle()
    y_true, y_pred = make_data("binary_probability")
    for dtype in ("float16", "mixed_bfloat16"):
        ours = losses.BinaryCrossentropy(dtype=dtype)
        theirs = keras.losses.BinaryCrossentropy(dtype=dtype)
        assert ours.dtype == theirs.dtype
        assert_close(
            ours(*to_arrays(y_true, y_pred)), theirs(*to_arrays(y_true, y_pred)), rtol=1e-2
        )
