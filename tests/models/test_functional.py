import jax.numpy as jnp
import numpy as np
import pytest

import workbench as keras
from tests.layer_test import keras_oracle


def two_tower():
    left = keras.Input((3,), name="left")
    right = keras.Input((3,), name="right")
    shared = keras.layers.Dense(4, name="shared")
    merged = keras.ops.concatenate([shared(left), shared(right)], axis=-1)
    return keras.Model({"left": left, "right": right}, {"out": keras.layers.Dense(1, name="out")(merged)})


def test_dict_inputs_and_outputs_and_shared_layers():
    model = two_tower()
    x = {"left": np.ones((2, 3), "float32"), "right": np.zeros((2, 3), "float32")}
    out = model(x)
    assert set(out) == {"out"} and out["out"].shape == (2, 1)
    shared = model.get_layer("shared")
    assert len(shared._inbound_nodes) == 2
    assert len(model.weights) == 4


def test_layers_get_layer_inputs_outputs():
    model = two_tower()
    names = [layer.name for layer in model.layers]
    assert names[:2] == ["left", "right"] or set(names[:2]) == {"left", "right"}
    assert model.get_layer(index=-1).name == "out"
    assert len(model.inputs) == 2 and len(model.outputs) == 1
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")


def test_wrong_number_of_inputs_says_how_many_are_expected():
    inputs = [keras.Input((2,)), keras.Input((2,))]
    model = keras.Model(inputs, keras.ops.add(inputs[0], inputs[1]))
    with pytest.raises(ValueError, match="expects 2 input"):
        model([np.ones((1, 2))])
    with pytest.raises(ValueError, match="expects 2 input"):
        model(np.ones((1, 2)))


def test_graph_disconnected_is_explained():
    a, b = keras.Input((2,)), keras.Input((2,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, keras.ops.add(a, b))


def test_nested_models_run_and_count_weights():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, keras.layers.Dense(3)(inner_in), name="inner")
    outer_in = keras.Input((4,))
    outer = keras.Model(outer_in, keras.layers.Dense(2)(inner(outer_in)))
    assert outer(np.ones((5, 4), "float32")).shape == (5, 2)
    assert len(outer.weights) == 4
    assert outer.layers[1] is inner


def test_functional_config_round_trip_rebuilds_the_same_graph():
    model = two_tower()
    config = model.get_config()
    assert config["input_layers"] == {"left": ["left", 0, 0], "right": ["right", 0, 0]}
    revived = keras.Model.from_config(config)
    revived.set_weights(model.get_weights())
    x = {"left": np.random.rand(2, 3).astype("float32"), "right": np.random.rand(2, 3).astype("float32")}
    np.testing.assert_allclose(revived(x)["out"], model(x)["out"], rtol=1e-6)
    assert len(revived.get_layer("shared")._inbound_nodes) == 2


def test_functional_config_reads_in_keras_and_back():
    keras_lib = keras_oracle()
    inputs = keras.Input((5,), name="x")
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(inputs)
    model = keras.Model(inputs, [keras.layers.Dense(2, name="a")(hidden), keras.layers.Dense(1, name="b")(hidden)])
    theirs = keras_lib.Model.from_config(model.get_config())
    theirs.set_weights(model.get_weights())
    data = np.random.rand(3, 5).astype("float32")
    for a, b in zip(model(data), theirs(data)):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    back = keras.Model.from_config(theirs.get_config())
    back.set_weights(theirs.get_weights())
    for a, b in zip(back(data), theirs(data)):
        np.testing.assert_allclose(a, b, rtol=1e-5)


def test_symbolic_call_of_a_model_adds_one_node():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    out = model(keras.Input((3,)))
    assert out.shape == (None, 2)
    assert isinstance(jnp.zeros(1), jnp.ndarray)
