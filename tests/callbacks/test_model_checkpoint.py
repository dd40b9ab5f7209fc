import json
import os

import pytest

from tests.callbacks.fake_model import FakeModel, run_fit
from tests.layer_test import keras_oracle
from workbench.callbacks import CallbackList, ModelCheckpoint

VAL_LOSS = [0.9, 0.7, 0.8, 0.5, 0.6]


def logs_for(values):
    return [{"loss": 1.0, "val_loss": v, "val_accuracy": 1.0 - v} for v in values]


def saved_names(model, directory):
    return [os.path.relpath(path, directory) for path in model.saved]


def test_formats_epoch_and_metrics_into_the_filename(tmp_path):
    model = FakeModel()
    path = tmp_path / "ckpt" / "model.{epoch:02d}-{val_loss:.2f}.keras"
    run_fit(CallbackList, [ModelCheckpoint(path)], model, logs_for(VAL_LOSS[:3]))
    assert saved_names(model, tmp_path) == [
        "ckpt/model.01-0.90.keras", "ckpt/model.02-0.70.keras", "ckpt/model.03-0.80.keras"]
    with open(model.saved[1]) as file:
        assert json.load(file) == {"kind": "model", "weights": [[1.0, 1.0]]}


@pytest.mark.parametrize("monitor, mode, expected", [
    ("val_loss", "auto", [1, 2, 4]),
    ("val_loss", "min", [1, 2, 4]),
    ("val_loss", "max", [1]),
    ("val_accuracy", "auto", [1, 2, 4]),
    ("val_accuracy", "max", [1, 2, 4]),
])
def test_save_best_only_saves_on_improvement(tmp_path, monitor, mode, expected):
    model = FakeModel()
    callback = ModelCheckpoint(str(tmp_path / "{epoch}.weights.h5"), monitor=monitor, mode=mode,
                               save_best_only=True, save_weights_only=True)
    run_fit(CallbackList, [callback], model, logs_for(VAL_LOSS))
    assert saved_names(model, tmp_path) == [f"{epoch}.weights.h5" for epoch in expected]


@pytest.mark.parametrize("kwargs", [
    dict(save_best_only=True),
    dict(save_best_only=True, mode="max"),
    dict(save_best_only=True, initial_value_threshold=0.75),
    dict(save_best_only=True, monitor="val_accuracy", mode="max", initial_value_threshold=0.35),
    dict(save_best_only=False),
    dict(save_freq=3),
    dict(save_freq=2, save_best_only=True, monitor="loss"),
])
def test_save_decisions_match_keras(tmp_path, kwargs):
    keras = keras_oracle()
    results = []
    for name, module in (("ours", None), ("keras", keras)):
        model = FakeModel()
        path = str(tmp_path / name / "m-{epoch}.keras")
        callback_class = ModelCheckpoint if module is None else module.callbacks.ModelCheckpoint
        list_class = CallbackList if module is None else module.callbacks.CallbackList
        run_fit(list_class, [callback_class(path, **kwargs)], model, logs_for(VAL_LOSS), steps=2,
                batch_logs=lambda epoch, step: {"loss": 1.0 / (epoch + step + 1)})
        results.append(saved_names(model, tmp_path / name))
    assert results[0] == results[1]


def test_batch_frequency_counts_fused_steps(tmp_path):
    model = FakeModel()
    callback = ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.keras"), save_freq=4)
    callback.set_model(model)
    callback.on_epoch_begin(0)
    for batch in (2, 5, 8, 11):  # fused executions of 3 steps each
        callback.on_train_batch_end(batch, {"loss": 1.0})
    assert saved_names(model, tmp_path) == ["e1-b6.keras", "e1-b12.keras"]


def test_saving_syncs_the_model_state(tmp_path):
    model = FakeModel()
    run_fit(CallbackList, [ModelCheckpoint(str(tmp_path / "m.keras"))], model, logs_for([1.0]))
    assert model.sync_calls >= 1 and len(model.saved) == 1


@pytest.mark.parametrize("filepath, kwargs, message", [
    ("model.h5x", {}, "must end in `.keras`"),
    ("model.weights", {}, "must end in `.keras`"),
    ("model.keras", dict(save_weights_only=True), "must end in `.weights.h5`"),
    ("model.h5", dict(save_weights_only=True), "must end in `.weights.h5`"),
])
def test_rejects_wrong_suffix_like_keras(filepath, kwargs, message):
    keras = keras_oracle()
    with pytest.raises(ValueError, match=message):
        ModelCheckpoint(filepath, **kwargs)
    with pytest.raises(ValueError, match=message):
        keras.callbacks.ModelCheckpoint(filepath, **kwargs)


def test_accepts_what_keras_accepts():
    for filepath, kwargs in (("m.keras", {}), ("m.h5", {}), ("m.weights.h5", {"save_weights_only": True})):
        ModelCheckpoint(filepath, **kwargs)


def test_rejects_unknown_save_freq():
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        ModelCheckpoint("m.keras", save_freq="batch")


def test_missing_placeholder_key_raises_with_the_filepath(tmp_path):
    callback = ModelCheckpoint(str(tmp_path / "{val_f1:.2f}.keras"))
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        run_fit(CallbackList, [callback], FakeModel(), logs_for([1.0]))


def test_directory_path_raises(tmp_path):
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(IOError, match="non-directory filepath"):
        run_fit(CallbackList, [ModelCheckpoint(str(tmp_path / "dir.keras"))], FakeModel(),
                logs_for([1.0]))


def test_verbose_messages(tmp_path, capsys):
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), save_best_only=True, verbose=1)
    run_fit(CallbackList, [callback], FakeModel(), logs_for([0.9, 0.95]))
    out = capsys.readouterr().out
    assert "Epoch 1: val_loss improved from None to 0.90000, saving model to" in out
    assert "Epoch 2: val_loss did not improve from 0.90000" in out
