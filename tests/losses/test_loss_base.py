"""The `Loss` base class: reductions, sample weights and masks as Keras 3 computes them, custom
subclasses, dtypes, symbolic inputs and argument errors."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench
import workbench.losses as losses
from tests.losses.loss_cases import REDUCTIONS, assert_close, both, keras_oracle, to_arrays
from workbench.backend.tensor_attributes import set_mask
from workbench.losses.loss import reduce_weighted_values, squeeze_or_expand_to_same_rank


def _keras_set_mask(x, mask):
    from keras.src.backend import set_keras_mask

    set_keras_mask(x, mask)


def _masked_call(loss, y_true, y_pred, mask, sample_weight, set_mask_fn):
    y_true, y_pred, mask, sample_weight = to_arrays(y_true, y_pred, mask, sample_weight)
    set_mask_fn(y_pred, mask)
    return loss(y_true, y_pred, sample_weight)


MASK_CASES = [
    ("MeanSquaredError", {}, "mse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}, "sparse"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical"),
]


def _masked_data(kind):
    rng = np.random.default_rng(3)
    mask = rng.random((4, 5)) < 0.6
    if kind == "mse":
        return (
            rng.normal(size=(4, 5, 3)).astype("float32"),
            rng.normal(size=(4, 5, 3)).astype("float32"),
            mask,
        )
    logits = rng.normal(size=(4, 5, 6)).astype("float32")
    labels = rng.integers(0, 6, (4, 5)).astype("int32")
    if kind == "sparse":
        return labels, logits, mask
    return np.eye(6, dtype="float32")[labels], logits, mask


@pytest.mark.parametrize("weights", [None, "full", "column", "trailing"])
@pytest.mark.parametrize("name,kwargs,kind", MASK_CASES, ids=[f"{n}-{k}" for n, k, _ in MASK_CASES])
def test_mask_on_y_pred_matches_keras_for_every_reduction(name, kwargs, kind, weights):
    y_true, y_pred, mask = _masked_data(kind)
    rng = np.random.default_rng(4)
    shapes = {None: None, "full": (4, 5), "column": (4, 1), "trailing": (4, 5, 1)}
    weight = None if weights is None else rng.uniform(0, 2, shapes[weights]).astype("float32")
    for reduction in REDUCTIONS:
        ours, theirs = both(name, dict(kwargs, reduction=reduction))
        expected = _masked_call(theirs, y_true, y_pred, mask, weight, _keras_set_mask)
        actual = _masked_call(ours, y_true, y_pred, mask, weight, set_mask)
        assert_close(actual, expected, what=f"reduction={reduction!r}")


def test_masked_gradient_matches_keras():
    y_true, y_pred, mask = _masked_data("sparse")
    ours, theirs = both("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1})

    def gradient(loss, set_mask_fn):
        y_true_array, y_pred_array, mask_array = to_arrays(y_true, y_pred, mask)

        def value(prediction):
            set_mask_fn(prediction, mask_array)
            return loss(y_true_array, prediction)

        return jax.grad(value)(y_pred_array)

    assert_close(gradient(ours, set_mask), gradient(theirs, _keras_set_mask), rtol=1e-4)


def test_a_fully_masked_batch_gives_zero_not_nan():
    y_pred = jnp.ones((2, 3))
    set_mask(y_pred, jnp.zeros((2,), bool))
    assert float(losses.MeanSquaredError()(jnp.zeros((2, 3)), y_pred)) == 0.0


class MeanFourthPower(losses.Loss):
    def call(self, y_true, y_pred):
        return jnp.mean((y_pred - y_true) ** 4, axis=-1)


def test_custom_subclass_gets_reductions_and_sample_weights():
    y_true, y_pred = jnp.zeros((3, 2)), jnp.array([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]])
    weight = jnp.array([1.0, 0.5, 2.0])
    assert_close(MeanFourthPower()(y_true, y_pred), jnp.float32(17 / 3))
    assert_close(MeanFourthPower(reduction="sum")(y_true, y_pred, weight), jnp.float32(9.0))
    assert_close(
        MeanFourthPower(reduction="mean_with_sample_weight")(y_true, y_pred, weight),
        jnp.float32(9.0 / 3.5),
    )
    assert_close(
        MeanFourthPower(reduction=None)(y_true, y_pred, weight), jnp.array([1.0, 8.0, 0.0])
    )


def test_default_names_are_unique_snake_case():
    assert MeanFourthPower().name == "mean_fourth_power"
    assert MeanFourthPower().name == "mean_fourth_power_1"
    assert losses.Huber().name == "huber_loss"
    assert losses.Huber(name=None).name == "huber"


def test_base_call_is_not_implemented():
    with pytest.raises(NotImplementedError, match="call"):
        losses.Loss()(jnp.zeros(2), jnp.zeros(2))


def test_loss_is_exported_at_top_level_name():
    from workbench.api_export import get_name_for_object

    assert get_name_for_object(losses.Loss) == "keras.Loss"


def test_inputs_are_cast_to_the_loss_dtype():
    loss = losses.MeanSquaredError(dtype="float16")
    assert loss(np.zeros((2, 3), "float64"), np.ones((2, 3), "int32")).dtype == jnp.float16
    assert (
        losses.MeanSquaredError()(np.zeros((2, 3), "int32"), np.ones((2, 3), "int32")).dtype
        == jnp.float32
    )
    assert (
        losses.MeanSquaredError(dtype=workbench.DTypePolicy("mixed_bfloat16")).dtype == "bfloat16"
    )


def test_symbolic_inputs_give_a_symbolic_scalar():
    y_true = workbench.KerasTensor((None, 3))
    y_pred = workbench.KerasTensor((None, 3))
    result = losses.MeanSquaredError()(y_true, y_pred)
    assert isinstance(result, workbench.KerasTensor) and result.shape == ()
    unreduced = losses.MeanSquaredError(reduction="none")(y_true, y_pred)
    assert unreduced.shape == (None,)


def test_structured_inputs_are_aligned_leaf_by_leaf():
    loss = losses.LossFunctionWrapper(
        lambda t, p: (t["a"] - p["a"]) ** 2 + (t["b"] - p["b"]) ** 2, reduction="sum", name="pair"
    )
    y_true = {"a": jnp.zeros((2,)), "b": jnp.zeros((2, 1))}
    y_pred = {"a": jnp.ones((2, 1)), "b": jnp.ones((2,))}
    assert_close(loss(y_true, y_pred), jnp.float32(4.0))


def test_unknown_reduction_names_argument_and_value():
    with pytest.raises(ValueError, match=r"`reduction`.*Received: reduction='average'"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match="reduction='max'"):
        reduce_weighted_values(jnp.ones(3), reduction="max")


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda: losses.BinaryCrossentropy(label_smoothing=1.5), "label_smoothing=1.5"),
        (lambda: losses.CategoricalCrossentropy(label_smoothing=-0.1), "label_smoothing=-0.1"),
        (lambda: losses.BinaryFocalCrossentropy(label_smoothing="x"), "label_smoothing='x'"),
        (lambda: losses.CategoricalFocalCrossentropy(label_smoothing=2), "label_smoothing=2"),
        (lambda: losses.CategoricalCrossentropy(axis=True), "axis=True"),
        (lambda: losses.CategoricalGeneralizedCrossEntropy(q=0.0), "q=0.0"),
        (lambda: losses.CategoricalGeneralizedCrossEntropy(q=1.5), "q=1.5"),
        (lambda: losses.SparseCategoricalCrossentropy(ignore_class=1.5), "ignore_class=1.5"),
        (
            lambda: losses.categorical_crossentropy(jnp.ones((2, 3)), jnp.ones((2, 3)), axis=False),
            "axis=False",
        ),
    ],
)
def test_bad_arguments_name_argument_and_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_squeeze_or_expand_to_same_rank():
    def shapes(a, b, **kwargs):
        x, y = squeeze_or_expand_to_same_rank(jnp.zeros(a), jnp.zeros(b), **kwargs)
        return x.shape, y.shape

    assert shapes((4,), (4, 1)) == ((4, 1), (4, 1))
    assert shapes((4, 1), (4,)) == ((4, 1), (4, 1))
    assert shapes((4,), (4, 1), expand_rank_1=False) == ((4,), (4,))
    assert shapes((4, 3, 1), (4, 3)) == ((4, 3), (4, 3))
    assert shapes((4, 3), (4, 3, 1)) == ((4, 3), (4, 3))
    assert shapes((4, 3), (4,)) == ((4, 3), (4,))


def test_reduce_weighted_values_matches_keras():
    from keras.src.losses.loss import reduce_weighted_values as keras_reduce

    rng = np.random.default_rng(0)
    values = rng.normal(size=(4, 3)).astype("float32")
    weight = rng.uniform(size=(4, 1)).astype("float32")
    mask = rng.random((4, 3)) < 0.5
    for reduction in REDUCTIONS:
        assert_close(
            reduce_weighted_values(*to_arrays(values, weight, mask), reduction=reduction),
            keras_reduce(*to_arrays(values, weight, mask), reduction=reduction),
        )
    # Scalars and empty vectors are returned as they are.
    assert reduce_weighted_values(jnp.float32(3.0), reduction="sum").shape == ()
    assert reduce_weighted_values(jnp.zeros((0,)), reduction="sum").shape == (0,)


def test_keras_loss_subclass_contract_matches():
    keras = keras_oracle()
    assert losses.Loss().get_config().keys() == keras.losses.Loss().get_config().keys()
