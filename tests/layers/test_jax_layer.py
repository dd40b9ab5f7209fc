import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench as keras
from tests.layer_test import keras_oracle


def mlp_call(params, inputs):
    return jnp.tanh(inputs @ params["w"] + params["b"])


def params():
    rng = np.random.default_rng(0)
    return {"w": rng.normal(size=(3, 2)).astype("float32"), "b": rng.normal(size=(2,)).astype("float32")}


def test_jax_layer_matches_keras_and_tracks_params_as_trainable_weights():
    ours = keras.layers.JaxLayer(mlp_call, params=params())
    theirs = keras_oracle().layers.JaxLayer(mlp_call, params=params())
    x = np.random.default_rng(1).normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(ours(x), theirs(x), rtol=1e-6)
    assert [tuple(w.shape) for w in ours.trainable_weights] == [tuple(w.shape) for w in theirs.trainable_weights]


def test_jax_layer_with_init_fn_state_and_rng_trains_inside_fit():
    def init_fn(rng, inputs):
        w = jax.random.normal(rng, (inputs.shape[-1], 1)) * 0.1
        return {"w": w}, {"calls": jnp.zeros(())}

    def call_fn(params, state, rng, inputs, training):
        noise = jax.random.normal(rng, inputs.shape) * 0.0
        return (inputs + noise) @ params["w"], {"calls": state["calls"] + 1}

    model = keras.Sequential([keras.Input((4,)), keras.layers.JaxLayer(call_fn, init_fn=init_fn, seed=3)])
    x = np.random.default_rng(2).normal(size=(64, 4)).astype("float32")
    y = x @ np.array([[1.0], [2.0], [-1.0], [0.5]], "float32")
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    layer = model.layers[0]
    assert len(layer.trainable_weights) == 1 and len(layer.non_trainable_weights) == 1
    assert float(layer.state_variables[0].numpy()) == 20.0  # 5 epochs x 4 steps in training


def test_jax_layer_rejects_functions_with_unknown_arguments():
    with pytest.raises(ValueError, match="arguments named among"):
        keras.layers.JaxLayer(lambda weights, x: x, params={})
