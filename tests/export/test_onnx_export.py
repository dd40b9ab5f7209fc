"""model.export(format="onnx"): ONNX Runtime runs the file and agrees with model.predict."""

import os

import numpy as np
import pytest

import workbench
from workbench import layers

onnxruntime = pytest.importorskip("onnxruntime")
pytest.importorskip("jax2onnx")

pytestmark = pytest.mark.slow  # the first conversion imports all of jax2onnx's plugins (~10 s)


def run_onnx(path, feeds):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds))), session


def assert_matches_predict(model, path, batches, make_input):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (input_name,) = [i.name for i in session.get_inputs()]
    for batch in batches:
        x = make_input(batch)
        (result,) = session.run(None, {input_name: x})
        np.testing.assert_allclose(result, model.predict(x, verbose=0), atol=1e-4, rtol=1e-4)
    return session


def test_mlp_matches_predict_on_batch_sizes_other_than_the_export_batch(tmp_path, capsys):
    model = workbench.Sequential([workbench.Input((8,)), layers.Dense(16, activation="relu"),
                                  layers.Dropout(0.5), layers.Dense(3, activation="softmax")])
    path = tmp_path / "mlp.onnx"
    signature = model.export(path, format="onnx")
    assert "Saved ONNX model at" in capsys.readouterr().out
    assert [i.name for i in signature.inputs] == [model.inputs[0].name]
    rng = np.random.default_rng(0)
    session = assert_matches_predict(model, path, [1, 5, 33],
                                     lambda b: rng.normal(size=(b, 8)).astype("float32"))
    assert session.get_inputs()[0].shape == ["B", 8]
    assert session.get_outputs()[0].shape == ["B", 3]


def test_cnn_with_max_pooling_and_batch_norm_matches_predict(tmp_path):
    model = workbench.Sequential([
        workbench.Input((12, 12, 3)), layers.Conv2D(4, 3, activation="relu"),
        layers.MaxPooling2D(2), layers.BatchNormalization(),
        layers.Conv2D(6, 3, padding="same"), layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.AveragePooling2D(2), layers.Flatten(), layers.Dense(5)])
    # Non-trivial batch-norm statistics, so inference mode is what gets exported.
    batch_norm = model.layers[2]
    batch_norm.moving_mean.assign(np.linspace(-1, 1, 4).astype("float32"))
    batch_norm.moving_variance.assign(np.linspace(0.5, 2, 4).astype("float32"))
    path = tmp_path / "cnn.onnx"
    model.export(path, format="onnx", verbose=False)
    rng = np.random.default_rng(1)
    assert_matches_predict(model, path, [2, 7],
                           lambda b: rng.normal(size=(b, 12, 12, 3)).astype("float32"))


def test_recurrent_models_match_predict(tmp_path):
    inputs = workbench.Input((6, 4))
    sequence = layers.LSTM(8, return_sequences=True)(inputs)
    both_ways = layers.Bidirectional(layers.LSTM(5))(sequence)
    backwards = layers.GRU(3, go_backwards=True)(inputs)
    outputs = layers.Dense(2)(layers.Concatenate()([both_ways, backwards]))
    model = workbench.Model(inputs, outputs)
    path = tmp_path / "rnn.onnx"
    model.export(path, format="onnx", verbose=False)
    rng = np.random.default_rng(2)
    assert_matches_predict(model, path, [1, 9],
                           lambda b: rng.normal(size=(b, 6, 4)).astype("float32"))


def test_multi_input_multi_output_model_keeps_names(tmp_path):
    numbers = workbench.Input((3,), name="numbers")
    tokens = workbench.Input((5,), name="tokens", dtype="int32")
    embedded = layers.Flatten()(layers.Embedding(10, 2)(tokens))
    joined = layers.Concatenate()([numbers, embedded])
    model = workbench.Model({"numbers": numbers, "tokens": tokens},
                            {"score": layers.Dense(1)(joined),
                             "classes": layers.Dense(4, activation="softmax")(joined)})
    path = tmp_path / "multi.onnx"
    model.export(path, format="onnx", verbose=False)
    rng = np.random.default_rng(3)
    x = {"numbers": rng.normal(size=(6, 3)).astype("float32"),
         "tokens": rng.integers(0, 10, size=(6, 5)).astype("int32")}
    outputs, session = run_onnx(path, x)
    assert sorted(i.name for i in session.get_inputs()) == ["numbers", "tokens"]
    assert sorted(outputs) == ["classes", "score"]
    expected = model.predict(x, verbose=0)
    for name in ("classes", "score"):
        np.testing.assert_allclose(outputs[name], expected[name], atol=1e-4, rtol=1e-4)


def test_conv_transpose_is_exported_in_channels_first_layout(tmp_path):
    model = workbench.Sequential([workbench.Input((5, 5, 2)),
                                  layers.Conv2DTranspose(3, 3, strides=2, padding="same")])
    path = tmp_path / "up.onnx"
    model.export(path, format="onnx", verbose=False)
    rng = np.random.default_rng(4)
    assert_matches_predict(model, path, [3],
                           lambda b: rng.normal(size=(b, 5, 5, 2)).astype("float32"))


class Doubler(workbench.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(2)

    def call(self, x):
        return self.dense(x) * 2.0


def test_subclassed_model_needs_and_uses_input_signature(tmp_path):
    model = Doubler()
    x = np.ones((4, 3), "float32")
    model(x)
    with pytest.raises(ValueError, match="input_signature"):
        model.export(tmp_path / "sub.onnx", format="onnx", verbose=False)
    spec = workbench.InputSpec(shape=(None, 3), dtype="float32", name="features")
    model.export(tmp_path / "sub.onnx", format="onnx", verbose=False, input_signature=[spec])
    outputs, _ = run_onnx(tmp_path / "sub.onnx", {"features": x})
    np.testing.assert_allclose(next(iter(outputs.values())), model.predict(x, verbose=0),
                               atol=1e-5)


def test_failed_conversion_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"previous")
    model = workbench.Sequential([workbench.Input((4, 4, 4, 2)), layers.Conv3D(2, 2)])
    with pytest.raises(ValueError, match="jax2onnx could not convert"):
        model.export(path, format="onnx", verbose=False)
    assert path.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["model.onnx"]


def test_export_replaces_an_existing_file(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"previous")
    model = workbench.Sequential([workbench.Input((2,)), layers.Dense(1)])
    model.export(path, format="onnx", verbose=False)
    assert path.read_bytes() != b"previous"
    assert os.listdir(tmp_path) == ["model.onnx"]
