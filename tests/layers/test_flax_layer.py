import jax
import numpy as np
import pytest

import workbench as keras
from tests.layer_test import keras_oracle

pytest.importorskip("flax")
import flax.linen as nn  # noqa: E402
from flax import nnx  # noqa: E402


class MLP(nn.Module):
    hidden: int = 8

    @nn.compact
    def __call__(self, inputs):
        return nn.Dense(1)(nn.relu(nn.Dense(self.hidden)(inputs)))


@keras.saving.register_keras_serializable(package="test_flax_layer")
class SerializableMLP(MLP):
    def get_config(self):
        return {"hidden": self.hidden}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class NormMLP(nn.Module):
    @nn.compact
    def __call__(self, inputs, training=False):
        x = nn.BatchNorm(use_running_average=not training, momentum=0.5)(inputs)
        return nn.Dense(2)(x)


class DropoutMLP(nn.Module):
    @nn.compact
    def __call__(self, inputs, training=False):
        return nn.Dropout(0.5, deterministic=not training)(nn.Dense(16)(inputs))


class NnxMLP(nnx.Module):
    def __init__(self, rngs):
        self.hidden = nnx.Linear(3, 8, rngs=rngs)
        self.out = nnx.Linear(8, 1, rngs=rngs)

    def __call__(self, inputs):
        return self.out(nnx.relu(self.hidden(inputs)))


class NnxNormDropout(nnx.Module):
    def __init__(self, rngs):
        self.norm = nnx.BatchNorm(3, momentum=0.5, rngs=rngs)
        self.dropout = nnx.Dropout(0.5, rngs=rngs)

    def __call__(self, inputs):
        return self.dropout(self.norm(inputs))


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, x @ np.array([[1.0], [-2.0], [0.5]], "float32")


def mlp_variables():
    return MLP().init(jax.random.PRNGKey(1), np.ones((1, 3), "float32"))


def test_linen_mlp_matches_module_apply_and_exposes_params_as_trainable_weights():
    variables = mlp_variables()
    layer = keras.layers.FlaxLayer(MLP(), variables=variables)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layer(inputs))
    x, _ = data()
    np.testing.assert_allclose(model.predict(x, verbose=0), MLP().apply(variables, x), rtol=1e-5, atol=1e-6)
    assert sorted(tuple(w.shape) for w in layer.trainable_weights) == [(1,), (3, 8), (8,), (8, 1)]
    assert layer.non_trainable_weights == []


def test_linen_module_initialized_at_build_trains_in_fit():
    model = keras.Sequential([keras.Input((3,)), keras.layers.FlaxLayer(MLP(), seed=2)])
    assert len(model.trainable_weights) == 4
    x, y = data()
    model.compile(keras.optimizers.Adam(0.02), "mse")
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]


def test_linen_batch_stats_update_in_training_only():
    layer = keras.layers.FlaxLayer(NormMLP())
    x = np.random.default_rng(3).normal(3.0, 2.0, size=(32, 3)).astype("float32")
    layer(x)
    assert len(layer.trainable_weights) == 4 and len(layer.non_trainable_weights) == 2
    before = [w.numpy().copy() for w in layer.non_trainable_weights]
    layer(x, training=False)
    for weight, value in zip(layer.non_trainable_weights, before):
        np.testing.assert_array_equal(weight.numpy(), value)
    layer(x, training=True)
    assert all(not np.allclose(w.numpy(), v) for w, v in zip(layer.non_trainable_weights, before))


def test_linen_dropout_is_random_in_training_and_deterministic_in_inference():
    layer = keras.layers.FlaxLayer(DropoutMLP(), seed=4)
    x = np.ones((4, 3), "float32")
    first, second = layer(x, training=True), layer(x, training=True)
    assert not np.allclose(first, second)
    assert np.mean(np.asarray(first) == 0) > 0.2
    np.testing.assert_array_equal(layer(x), layer(x))
    assert np.all(np.asarray(layer(x)) != 0)


def test_nnx_module_matches_its_own_call_and_trains():
    module = NnxMLP(nnx.Rngs(0))
    layer = keras.layers.FlaxLayer(module)
    x, y = data()
    np.testing.assert_allclose(layer(x), module(x), rtol=1e-5, atol=1e-6)
    assert sorted(tuple(w.shape) for w in layer.trainable_weights) == [(1,), (3, 8), (8,), (8, 1)]
    model = keras.Sequential([keras.Input((3,)), layer])
    model.compile(keras.optimizers.Adam(0.02), "mse")
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]


def test_nnx_batch_stats_and_dropout_follow_the_training_flag():
    layer = keras.layers.FlaxLayer(NnxNormDropout(nnx.Rngs(0)), seed=5)
    x = np.random.default_rng(3).normal(3.0, 2.0, size=(16, 3)).astype("float32")
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 2
    before = [w.numpy().copy() for w in layer.non_trainable_weights]
    inference = layer(x)
    np.testing.assert_array_equal(inference, layer(x))
    assert np.all(np.asarray(inference) != 0)
    for weight, value in zip(layer.non_trainable_weights, before):
        np.testing.assert_array_equal(weight.numpy(), value)
    first, second = layer(x, training=True), layer(x, training=True)
    assert not np.allclose(first, second) and np.mean(np.asarray(first) == 0) > 0.2
    assert all(not np.allclose(w.numpy(), v) for w, v in zip(layer.non_trainable_weights, before))


def test_matches_keras_flax_layer_given_the_same_variables():
    variables = mlp_variables()
    ours = keras.layers.FlaxLayer(MLP(), variables=variables)
    theirs = keras_oracle().layers.FlaxLayer(MLP(), variables=variables)
    x, _ = data()
    np.testing.assert_allclose(ours(x), theirs(x), rtol=1e-6)
    assert sorted(tuple(w.shape) for w in ours.weights) == sorted(tuple(w.shape) for w in theirs.weights)


def test_save_and_load_weights_round_trip(tmp_path):
    def model():
        return keras.Sequential([keras.Input((3,)), keras.layers.FlaxLayer(NormMLP(), seed=6)])

    x, _ = data()
    source = model()
    source(x, training=True)
    source.save_weights(tmp_path / "flax.weights.h5")
    target = model()
    target.build((None, 3))
    target.load_weights(tmp_path / "flax.weights.h5")
    for theirs, ours in zip(source.weights, target.weights):
        np.testing.assert_array_equal(theirs.numpy(), ours.numpy())
    np.testing.assert_allclose(target.predict(x, verbose=0), source.predict(x, verbose=0), rtol=1e-6)


def test_config_round_trip_revives_a_registered_module_and_a_method_name():
    layer = keras.layers.FlaxLayer(SerializableMLP(hidden=4), method="__call__", seed=7)
    config = layer.get_config()
    assert "call_fn" not in config and config["method"] == "__call__"
    revived = keras.layers.FlaxLayer.from_config(config)
    assert type(revived.module) is SerializableMLP and revived.module.hidden == 4
    x, _ = data()
    np.testing.assert_allclose(revived(x), layer(x), rtol=1e-6)


def test_model_with_a_registered_linen_module_saves_and_loads_whole(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.FlaxLayer(SerializableMLP(hidden=4))])
    for weight in model.weights:  # away from what a fresh init with the same seed would give
        weight.assign(weight.numpy() + 0.5)
    model.save(tmp_path / "flax.keras")
    revived = keras.saving.load_model(tmp_path / "flax.keras")
    x, _ = data()
    np.testing.assert_allclose(revived.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_rejects_objects_that_are_not_flax_modules():
    with pytest.raises(TypeError, match=r"flax.linen.Module or flax.nnx.Module.*Received: module="):
        keras.layers.FlaxLayer(lambda x: x)
    with pytest.raises(ValueError, match="only for a flax.linen module.*variables=None"):
        keras.layers.FlaxLayer(NnxMLP(nnx.Rngs(0)), variables={"params": {}})
    with pytest.raises(ValueError, match="names no method.*method='forward'"):
        keras.layers.FlaxLayer(MLP(), method="forward")


def test_missing_flax_raises_import_error_naming_pip_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_flax(name, *args, **kwargs):
        if name.split(".")[0] == "flax":
            raise ImportError("No module named 'flax'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_flax)
    with pytest.raises(ImportError, match="pip install flax"):
        keras.layers.FlaxLayer(MLP())
