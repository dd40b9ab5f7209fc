"""`.keras` files move both ways between workbench and real Keras 3, and predict the same."""

import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import workbench
from tests.layer_test import keras_oracle


def sequential(lib):
    return lib.Sequential([lib.Input((6,)), lib.layers.Dense(8, activation="relu"),
                           lib.layers.Dense(3, activation="softmax")])


def functional_multi_io_shared(lib):
    a = lib.Input((6,), name="a")
    b = lib.Input((4,), name="b")
    shared = lib.layers.Dense(5, activation="tanh", name="shared")
    merged = lib.layers.Concatenate()([shared(lib.layers.Dense(5)(a)), shared(lib.layers.Dense(5)(b))])
    return lib.Model([a, b], [lib.layers.Dense(2, name="left")(merged), lib.layers.Dense(1, name="right")(merged)])


def nested(lib):
    inner_in = lib.Input((6,))
    inner = lib.Model(inner_in, lib.layers.Dense(4, activation="relu")(inner_in), name="inner")
    outer_in = lib.Input((6,))
    return lib.Model(outer_in, lib.layers.Dense(2)(inner(outer_in)), name="outer")


def batch_norm(lib):
    return lib.Sequential([lib.Input((6,)), lib.layers.Dense(8), lib.layers.BatchNormalization(),
                           lib.layers.Activation("relu"), lib.layers.Dense(1)])


def data_for(model):
    rng = np.random.default_rng(0)
    shapes = [tuple(x.shape[1:]) for x in model.inputs]
    arrays = [rng.normal(size=(5,) + s).astype("float32") for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def targets_for(model, x):
    outputs = model.predict(x, verbose=0)
    return outputs


def assert_same_predictions(first, second, x):
    for a, b in zip(np.atleast_1d(first.predict(x, verbose=0)) if not isinstance(first.predict(x, verbose=0), list) else first.predict(x, verbose=0),
                    np.atleast_1d(second.predict(x, verbose=0)) if not isinstance(second.predict(x, verbose=0), list) else second.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


BUILDERS = [sequential, functional_multi_io_shared, nested, batch_norm]


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("direction", ["workbench_to_keras", "keras_to_workbench"])
def test_keras_files_load_both_ways_and_predict_the_same(builder, direction, tmp_path):
    keras = keras_oracle()
    saver, loader = (workbench, keras) if direction == "workbench_to_keras" else (keras, workbench)
    model = builder(saver)
    x = data_for(model)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = loader.saving.load_model(path)
    assert_same_predictions(model, loaded, x)
    assert [w.shape for w in model.weights] == [tuple(w.shape) for w in loaded.weights]


@pytest.mark.parametrize("direction", ["workbench_to_keras", "keras_to_workbench"])
def test_compiled_models_carry_optimizer_state_and_train_on_identically(direction, tmp_path):
    keras = keras_oracle()
    saver, loader = (workbench, keras) if direction == "workbench_to_keras" else (keras, workbench)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 6)).astype("float32")
    y = rng.normal(size=(32, 3)).astype("float32")
    model = saver.Sequential([saver.Input((6,)), saver.layers.Dense(8, activation="tanh"), saver.layers.Dense(3)])
    model.compile(optimizer=saver.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    path = str(tmp_path / "compiled.keras")
    model.save(path)
    loaded = loader.saving.load_model(path)
    assert loaded.optimizer.__class__.__name__ == "Adam"
    saved_state = [np.asarray(v.value if hasattr(v, "value") else v) for v in model.optimizer.variables]
    loaded_state = [np.asarray(v.value if hasattr(v, "value") else v) for v in loaded.optimizer.variables]
    assert len(saved_state) == len(loaded_state)
    for a, b in zip(saved_state, loaded_state):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    h1 = model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False).history["loss"]
    h2 = loaded.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False).history["loss"]
    np.testing.assert_allclose(h1, h2, rtol=2e-5)


@workbench.saving.register_keras_serializable(package="interchange")
class ScaledDense(workbench.layers.Layer):
    def __init__(self, units, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.scale = units, scale

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, x):
        return workbench.ops.matmul(x, self.kernel) * self.scale

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


def test_custom_registered_layer_round_trips_and_is_named_like_keras(tmp_path):
    keras = keras_oracle()

    # The same class name on both sides: weight paths come from snake_case(class name).
    class ScaledDense(keras.layers.Layer):
        def __init__(self, units, scale=2.0, **kwargs):
            super().__init__(**kwargs)
            self.units, self.scale = units, scale

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

        def call(self, x):
            return keras.ops.matmul(x, self.kernel) * self.scale

        def get_config(self):
            return {**super().get_config(), "units": self.units, "scale": self.scale}

    keras_class = ScaledDense
    model = workbench.Sequential([workbench.Input((4,)), globals()["ScaledDense"](3, scale=0.5)])
    path = str(tmp_path / "custom.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    layer_config = config["config"]["layers"][1]
    assert layer_config["registered_name"] == "interchange>ScaledDense"
    revived = workbench.saving.load_model(path)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(revived.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    theirs = keras.saving.load_model(path, custom_objects={"interchange>ScaledDense": keras_class})
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), model.predict(x, verbose=0), rtol=1e-6)


def test_archive_layout_matches_keras(tmp_path):
    keras = keras_oracle()
    ours_path, theirs_path = str(tmp_path / "ours.keras"), str(tmp_path / "theirs.keras")
    ours, theirs = functional_multi_io_shared(workbench), functional_multi_io_shared(keras)
    for model in (ours, theirs):
        model.compile("adam", "mse")
        model.fit(data_for(model), [np.zeros((5, 2)), np.zeros((5, 1))], verbose=0)
    ours.save(ours_path)
    theirs.save(theirs_path)

    def describe(path):
        with zipfile.ZipFile(path) as archive:
            members = sorted(info.filename for info in archive.infolist())
            assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
            archive.extract("model.weights.h5", path + "_contents")
        names = []
        with h5py.File(os.path.join(path + "_contents", "model.weights.h5")) as f:
            f.visititems(lambda name, obj: names.append((name, getattr(obj, "shape", None))))
        return members, names

    assert describe(ours_path) == describe(theirs_path)


def test_weights_files_both_ways_and_sharded(tmp_path):
    keras = keras_oracle()
    ours, theirs = batch_norm(workbench), batch_norm(keras)
    path = str(tmp_path / "w.weights.h5")
    ours.save_weights(path)
    theirs.load_weights(path)
    x = data_for(ours)
    assert_same_predictions(ours, theirs, x)
    sharded = str(tmp_path / "big.weights.h5")
    ours.save_weights(sharded, max_shard_size=0.0000003)
    assert os.path.exists(str(tmp_path / "big.weights.json"))
    assert len([f for f in os.listdir(tmp_path) if f.startswith("big_")]) > 1
    fresh = batch_norm(workbench)
    fresh.load_weights(str(tmp_path / "big.weights.json"))
    assert_same_predictions(ours, fresh, x)
    keras_fresh = batch_norm(keras)
    keras_fresh.load_weights(str(tmp_path / "big.weights.json"))
    assert_same_predictions(ours, keras_fresh, x)


def test_load_weights_skip_mismatch(tmp_path):
    model = workbench.Sequential([workbench.Input((6,)), workbench.layers.Dense(4), workbench.layers.Dense(2)])
    other = workbench.Sequential([workbench.Input((6,)), workbench.layers.Dense(4), workbench.layers.Dense(3)])
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    with pytest.raises(ValueError, match="shape"):
        other.load_weights(path)
    other.load_weights(path, skip_mismatch=True)
    np.testing.assert_allclose(other.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())


def test_interrupted_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    from workbench.saving import saving_lib

    model = sequential(workbench)
    path = str(tmp_path / "m.keras")
    model.save(path)
    before = open(path, "rb").read()

    def explode(*args, **kwargs):
        raise KeyboardInterrupt("killed mid-save")

    monkeypatch.setattr(saving_lib, "save_state", explode)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert open(path, "rb").read() == before
    assert [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")] == []
    workbench.saving.load_model(path)


def test_save_requires_the_keras_suffix(tmp_path):
    with pytest.raises(ValueError, match=".keras"):
        sequential(workbench).save(str(tmp_path / "model.h5x"))
    with pytest.raises(ValueError, match=".weights.h5"):
        sequential(workbench).save_weights(str(tmp_path / "model.h5"))


def test_keras_315_files_with_recorded_training_false_still_train_dropout(tmp_path):
    keras = keras_oracle()
    inputs = keras.Input((50,))
    model = keras.Model(inputs, keras.layers.Dropout(0.5)(inputs))
    path = str(tmp_path / "dropout.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
    dropout_nodes = [layer["inbound_nodes"] for layer in config["config"]["layers"] if layer["class_name"] == "Dropout"]
    assert dropout_nodes[0][0]["kwargs"] == {"training": False}  # the 3.15 format records the default
    assert metadata["keras_version"].startswith("3.15")
    loaded = workbench.saving.load_model(path)
    x = np.ones((4, 50), "float32")
    np.testing.assert_allclose(loaded(x), x)
    assert (np.asarray(loaded(x, training=True)) == 0).any()


def test_file_editor_lists_the_weights_tree_and_compares_with_a_model(tmp_path):
    model = batch_norm(workbench)
    model.compile("adam", "mse")
    model.fit(np.zeros((4, 6)), np.zeros((4, 1)), verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    editor = workbench.saving.KerasFileEditor(path)
    paths = editor.weight_paths()
    assert paths["layers/dense/vars/0"] == (6, 8)
    assert paths["layers/batch_normalization/vars/3"] == (8,)
    assert paths["optimizer/vars/0"] == ()
    lines = []
    editor.summary(print_fn=lines.append)
    assert any("batch_normalization/" in line for line in lines)
    assert editor.compare(model)["status"] == "success"
    other = workbench.Sequential([workbench.Input((6,)), workbench.layers.Dense(3)])
    report = editor.compare(other)
    assert report["status"] == "error" and any("(6, 3)" in d or "(6, 8)" in d for d in report["differences"])
    editor.delete_weight("layers/dense_1/vars/1")
    edited = str(tmp_path / "edited.weights.h5")
    editor.save(edited)
    with pytest.raises(ValueError, match="expects 2 weights"):
        batch_norm(workbench).load_weights(edited)


def recurrent(lib):
    inputs = lib.Input((7,), dtype="int32")
    x = lib.layers.Embedding(20, 6, mask_zero=True)(inputs)
    x = lib.layers.LSTM(5, return_sequences=True)(x)
    x = lib.layers.Bidirectional(lib.layers.GRU(3))(x)
    return lib.Model(inputs, lib.layers.Dense(2)(x))


def attention(lib):
    inputs = lib.Input((6, 8))
    x = lib.layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    x = lib.layers.LayerNormalization()(x)
    return lib.Model(inputs, lib.layers.GlobalAveragePooling1D()(x))


@pytest.mark.parametrize("builder", [recurrent, attention])
@pytest.mark.parametrize("direction", ["workbench_to_keras", "keras_to_workbench"])
def test_recurrent_and_attention_models_interchange(builder, direction, tmp_path):
    keras = keras_oracle()
    saver, loader = (workbench, keras) if direction == "workbench_to_keras" else (keras, workbench)
    model = builder(saver)
    if builder is recurrent:
        x = np.array([[3, 4, 5, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7]], "int32")
    else:
        x = np.random.default_rng(2).normal(size=(2, 6, 8)).astype("float32")
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = loader.saving.load_model(path)
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)), np.asarray(loaded.predict(x, verbose=0)),
                               rtol=1e-5, atol=1e-6)


def test_adapted_text_vectorization_round_trips_with_its_vocabulary_asset(tmp_path):
    layer = workbench.layers.TextVectorization(max_tokens=20, output_mode="int", output_sequence_length=5)
    layer.adapt(["the cat sat", "the dog ran", "a cat ran far"])
    inputs = workbench.Input((), dtype="string")
    model = workbench.Model(inputs, layer(inputs))
    path = str(tmp_path / "text.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assets = [name for name in archive.namelist() if name.startswith("assets/")]
    assert any(name.endswith("vocabulary.txt") for name in assets), assets
    loaded = workbench.saving.load_model(path)
    text = np.array(["the cat ran", "unknown words here"])
    np.testing.assert_array_equal(np.asarray(loaded(text)), np.asarray(model(text)))
    assert loaded.layers[1].get_vocabulary() == layer.get_vocabulary()
