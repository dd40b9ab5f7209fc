"""Shared inputs for the loss tests: one case per loss configuration, with data that suits it."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import numpy as np

import workbench.losses as losses

BATCH = 4


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _one_hot(labels, classes, axis=-1):
    return np.moveaxis(np.eye(classes, dtype="float32")[labels], -1, axis)


def make_data(kind, seed=0):
    """Returns float32/int numpy `(y_true, y_pred)` for a data kind."""
    rng = np.random.default_rng(seed)

    def normal(*shape):
        return rng.normal(size=shape).astype("float32")

    def uniform(low, high, *shape):
        return rng.uniform(low, high, size=shape).astype("float32")

    def binary(*shape):
        return rng.integers(0, 2, size=shape).astype("float32")

    if kind == "real":
        return normal(BATCH, 3), normal(BATCH, 3)
    if kind == "real_rank3":
        return normal(BATCH, 3, 2), normal(BATCH, 3, 2)
    if kind == "real_vector":  # (batch,) against (batch, 1): the wrapper aligns ranks
        return normal(BATCH), normal(BATCH, 1)
    if kind == "positive":
        return uniform(0.1, 2.0, BATCH, 3), uniform(0.1, 2.0, BATCH, 3)
    if kind == "distribution":
        return _softmax(normal(BATCH, 5)), _softmax(normal(BATCH, 5))
    if kind == "binary_probability":
        return binary(BATCH, 3), uniform(0.02, 0.98, BATCH, 3)
    if kind == "binary_logits":
        return binary(BATCH, 3), 2 * normal(BATCH, 3)
    if kind == "binary_vector":
        return binary(BATCH), uniform(0.02, 0.98, BATCH, 1)
    if kind == "signs":
        return 2 * binary(BATCH, 3) - 1, normal(BATCH, 3)
    if kind == "one_hot_probability":
        return _one_hot(rng.integers(0, 5, BATCH), 5), _softmax(normal(BATCH, 5))
    if kind == "one_hot_logits":
        return _one_hot(rng.integers(0, 5, BATCH), 5), 2 * normal(BATCH, 5)
    if kind == "one_hot_axis1":
        return _one_hot(rng.integers(0, 5, (BATCH, 3)), 5, axis=1), _softmax(
            normal(BATCH, 5, 3), axis=1
        )
    if kind == "one_hot_sequence":
        return _one_hot(rng.integers(0, 5, (BATCH, 6)), 5), 2 * normal(BATCH, 6, 5)
    if kind == "sparse_probability":
        return rng.integers(0, 5, BATCH).astype("int32"), _softmax(normal(BATCH, 5))
    if kind == "sparse_column":
        return rng.integers(0, 5, (BATCH, 1)).astype("int32"), _softmax(normal(BATCH, 5))
    if kind == "sparse_sequence":
        return rng.integers(0, 5, (BATCH, 6)).astype("int32"), 2 * normal(BATCH, 6, 5)
    if kind == "sparse_ignore":
        labels = rng.integers(0, 5, (BATCH, 6)).astype("int32")
        labels[rng.random((BATCH, 6)) < 0.3] = -1
        return labels, 2 * normal(BATCH, 6, 5)
    if kind == "sparse_ignore_probability":
        labels = rng.integers(0, 5, (BATCH, 6)).astype("int32")
        labels[rng.random((BATCH, 6)) < 0.3] = 2
        return labels, _softmax(normal(BATCH, 6, 5))
    if kind == "ctc":
        labels = rng.integers(1, 5, (BATCH, 6)).astype("int32")
        labels[0, 4:] = 0
        labels[1, 2:] = 0
        labels[2, 3] = 0  # a blank inside a label sequence
        return labels, normal(BATCH, 10, 5)
    if kind == "segmentation":
        return binary(BATCH, 5, 5, 1), uniform(0.0, 1.0, BATCH, 5, 5, 1)
    if kind == "circle":
        embeddings = normal(8, 4)
        embeddings /= np.linalg.norm(embeddings, axis=-1, keepdims=True)
        return rng.integers(0, 3, 8).astype("int32"), embeddings
    raise ValueError(kind)


# (class name, constructor arguments, data kind). The function form takes the same arguments.
CASES = [
    ("MeanSquaredError", {}, "real"),
    ("MeanSquaredError", {}, "real_rank3"),
    ("MeanSquaredError", {}, "real_vector"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanAbsoluteError", {}, "real_rank3"),
    ("MeanAbsolutePercentageError", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "real"),
    ("CosineSimilarity", {}, "real"),
    ("CosineSimilarity", {"axis": 1}, "real_rank3"),
    ("Huber", {}, "real"),
    ("Huber", {"delta": 0.5}, "real_rank3"),
    ("LogCosh", {}, "real"),
    ("Hinge", {}, "binary_logits"),
    ("Hinge", {}, "signs"),
    ("SquaredHinge", {}, "binary_logits"),
    ("SquaredHinge", {}, "signs"),
    ("CategoricalHinge", {}, "one_hot_logits"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "binary_probability"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary_probability"),
    (
        "BinaryCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1, "axis": 0},
        "binary_logits",
    ),
    ("BinaryCrossentropy", {}, "binary_vector"),
    ("BinaryFocalCrossentropy", {}, "binary_probability"),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5},
        "binary_probability",
    ),
    ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "one_hot_probability"),
    ("CategoricalCrossentropy", {"from_logits": True}, "one_hot_logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "one_hot_probability"),
    ("CategoricalCrossentropy", {"axis": 1}, "one_hot_axis1"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "one_hot_sequence"),
    ("CategoricalFocalCrossentropy", {}, "one_hot_probability"),
    (
        "CategoricalFocalCrossentropy",
        {"alpha": 0.5, "gamma": 3.0, "from_logits": True},
        "one_hot_logits",
    ),
    ("CategoricalFocalCrossentropy", {"label_smoothing": 0.1, "axis": 1}, "one_hot_axis1"),
    ("SparseCategoricalCrossentropy", {}, "sparse_probability"),
    ("SparseCategoricalCrossentropy", {}, "sparse_column"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_sequence"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": -1}, "sparse_ignore"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, "sparse_ignore_probability"),
    ("CTC", {}, "ctc"),
    ("Dice", {}, "segmentation"),
    ("Dice", {"axis": (1, 2, 3)}, "segmentation"),
    ("Tversky", {}, "segmentation"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, "segmentation"),
    ("Circle", {}, "circle"),
    ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, "circle"),
    ("CategoricalGeneralizedCrossEntropy", {}, "sparse_probability"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, "sparse_probability"),
]
CASE_IDS = [f"{name}-{kind}-{kwargs}" for name, kwargs, kind in CASES]

FUNCTION_NAMES = {
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "CosineSimilarity": "cosine_similarity",
    "Huber": "huber",
    "LogCosh": "log_cosh",
    "Hinge": "hinge",
    "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge",
    "KLDivergence": "kl_divergence",
    "Poisson": "poisson",
    "BinaryCrossentropy": "binary_crossentropy",
    "BinaryFocalCrossentropy": "binary_focal_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "CTC": "ctc",
    "Dice": "dice",
    "Tversky": "tversky",
    "Circle": "circle",
    "CategoricalGeneralizedCrossEntropy": "categorical_generalized_cross_entropy",
}

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


def keras_oracle():
    import keras

    assert keras.backend.backend() == "jax", "real Keras must run with KERAS_BACKEND=jax"
    return keras


def both(name, kwargs):
    """The workbench and the Keras instance of a loss class."""
    return getattr(losses, name)(**kwargs), getattr(keras_oracle().losses, name)(**kwargs)


def sample_weights(variant, loss_shape, seed=1):
    """None, per-sample weights `(batch,)` (or the loss's full shape), or a column `(batch, 1)`."""
    if variant is None:
        return None
    rng = np.random.default_rng(seed)
    batch = loss_shape[0] if loss_shape else BATCH
    if variant == "per_sample":
        shape = loss_shape if len(loss_shape) > 1 else (batch,)
    else:
        shape = (batch, 1)
    return rng.uniform(0.0, 2.0, size=shape).astype("float32")


def assert_close(actual, expected, rtol=1e-5, atol=1e-6, what=""):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    np.testing.assert_allclose(
        actual.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol, err_msg=what
    )


def to_arrays(*values):
    """Fresh JAX arrays (a mask set on one library's array must not leak to the other's)."""
    return [None if v is None else jnp.asarray(v) for v in values]


def grad_wrt_prediction(loss, y_true, y_pred, sample_weight=None):
    return jax.grad(lambda p: jnp.sum(loss(y_true, p, sample_weight)))(y_pred)
