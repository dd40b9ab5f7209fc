"""fit / evaluate / predict against real Keras: same weights and data give the same history."""

import numpy as np
import pytest

import workbench
from tests.layer_test import keras_oracle


def regression_data(n=96):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (x @ rng.normal(size=(6, 1)) + 0.1).astype("float32")
    return x, y


def classification_data(n=96, classes=3):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 5)).astype("float32")
    y = rng.integers(0, classes, size=(n,)).astype("int32")
    return x, y


def twin_models(builder):
    keras = keras_oracle()
    ours, theirs = builder(workbench), builder(keras)
    for a, b in zip(ours.weights, theirs.weights):
        b.assign(np.asarray(a.value))
    return ours, theirs


def mlp(lib, outputs=1, activation=None):
    return lib.Sequential([lib.Input((6 if outputs == 1 else 5,)), lib.layers.Dense(8, activation="tanh"),
                           lib.layers.Dense(outputs, activation=activation)])


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop"])
def test_regression_history_matches_keras(optimizer):
    x, y = regression_data()
    ours, theirs = twin_models(lambda lib: mlp(lib))
    for model in (ours, theirs):
        model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    kwargs = dict(batch_size=16, epochs=3, verbose=0, shuffle=False, validation_split=0.25)
    ours_history = ours.fit(x, y, **kwargs).history
    theirs_history = theirs.fit(x, y, **kwargs).history
    assert set(ours_history) == set(theirs_history)
    for key in theirs_history:
        np.testing.assert_allclose(ours_history[key], theirs_history[key], rtol=2e-5, atol=1e-6, err_msg=key)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=2e-5)
    np.testing.assert_allclose(ours.predict(x, verbose=0, batch_size=20),
                               theirs.predict(x, verbose=0, batch_size=20), rtol=2e-5, atol=1e-6)


def test_classification_with_accuracy_string_and_sample_weight_matches_keras():
    x, y = classification_data()
    weights = np.linspace(0.5, 1.5, len(x)).astype("float32")
    ours, theirs = twin_models(lambda lib: mlp(lib, outputs=3, activation="softmax"))
    for model in (ours, theirs):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                      weighted_metrics=["accuracy"] if False else None)
    kwargs = dict(batch_size=32, epochs=2, verbose=0, shuffle=False, sample_weight=weights)
    ours_history = ours.fit(x, y, **kwargs).history
    theirs_history = theirs.fit(x, y, **kwargs).history
    assert list(sorted(ours_history)) == list(sorted(theirs_history))
    for key in theirs_history:
        np.testing.assert_allclose(ours_history[key], theirs_history[key], rtol=2e-5, atol=1e-6, err_msg=key)


def two_output_model(lib):
    inputs = lib.Input((5,))
    hidden = lib.layers.Dense(6, activation="relu", name="hidden")(inputs)
    a = lib.layers.Dense(2, name="a")(hidden)
    b = lib.layers.Dense(1, activation="sigmoid", name="b")(hidden)
    return lib.Model(inputs, [a, b])


def test_multi_output_log_names_and_values_match_keras():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 5)).astype("float32")
    ya = rng.normal(size=(64, 2)).astype("float32")
    yb = (rng.random(size=(64, 1)) > 0.5).astype("float32")
    ours, theirs = twin_models(two_output_model)
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss={"a": "mse", "b": "binary_crossentropy"},
                      loss_weights={"a": 1.0, "b": 0.5}, metrics={"a": ["mae"], "b": ["accuracy"]})
    kwargs = dict(batch_size=16, epochs=2, verbose=0, shuffle=False)
    ours_history = ours.fit(x, {"a": ya, "b": yb}, **kwargs).history
    theirs_history = theirs.fit(x, {"a": ya, "b": yb}, **kwargs).history
    assert set(ours_history) == set(theirs_history), (sorted(ours_history), sorted(theirs_history))
    for key in theirs_history:
        np.testing.assert_allclose(ours_history[key], theirs_history[key], rtol=2e-5, atol=1e-6, err_msg=key)


def test_class_weight_matches_keras():
    x, y = classification_data()
    ours, theirs = twin_models(lambda lib: mlp(lib, outputs=3, activation="softmax"))
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    kwargs = dict(batch_size=32, epochs=2, verbose=0, shuffle=False, class_weight={0: 1.0, 1: 2.0, 2: 0.5})
    np.testing.assert_allclose(ours.fit(x, y, **kwargs).history["loss"],
                               theirs.fit(x, y, **kwargs).history["loss"], rtol=2e-5)
