import numpy as np
import pytest

import workbench as keras


def test_builds_early_when_input_shape_is_known():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    assert model.built and len(model.weights) == 2
    assert model.output_shape == (None, 3)
    legacy = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
    assert legacy.built and legacy.input_shape == (None, 4)


def test_builds_on_first_call_otherwise():
    model = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
    assert not model.built
    assert model(np.ones((2, 5), "float32")).shape == (2, 1)
    assert model.built and model.layers[0].kernel.shape == (5, 3)


def test_add_and_pop():
    model = keras.Sequential()
    model.add(keras.Input((2,)))
    model.add(keras.layers.Dense(4))
    model.add(keras.layers.Dense(1))
    assert len(model.layers) == 2 and model.output_shape == (None, 1)
    popped = model.pop()
    assert popped.units == 1 and model.output_shape == (None, 4)
    with pytest.raises(ValueError, match="Only instances of"):
        model.add("dense")
    with pytest.raises(ValueError, match="unique names"):
        model.add(keras.layers.Dense(2, name=model.layers[0].name))


def test_config_round_trip_matches_keras_keys():
    from tests.layer_test import keras_oracle

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu")])
    config = model.get_config()
    theirs = keras_oracle().Sequential.from_config(config)
    assert set(config) == set(theirs.get_config())
    revived = keras.Sequential.from_config(config)
    revived.set_weights(model.get_weights())
    x = np.random.rand(2, 4).astype("float32")
    np.testing.assert_allclose(revived(x), model(x), rtol=1e-6)


def test_clone_model_gives_same_architecture_new_weights():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    clone = keras.models.clone_model(model)
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in model.layers]
    assert not np.allclose(clone.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())
    clone.set_weights(model.get_weights())
    x = np.random.rand(2, 4).astype("float32")
    np.testing.assert_allclose(clone(x), model(x), rtol=1e-6)
    inputs = keras.Input((4,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(3)(inputs)))
    functional_clone = keras.models.clone_model(functional)
    functional_clone.set_weights(functional.get_weights())
    np.testing.assert_allclose(functional_clone(x), functional(x), rtol=1e-6)
