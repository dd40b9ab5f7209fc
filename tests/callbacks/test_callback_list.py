import inspect
import re

import jax
import jax.numpy as jnp
import pytest

import workbench as wb
from tests.callbacks.fake_model import FakeModel, run_fit
from tests.layer_test import keras_oracle
from workbench import callbacks
from workbench.api_export import get_name_for_object
from workbench.callbacks import Callback, CallbackList

KERAS_CALLBACKS = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
    "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
    "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN",
]


@pytest.mark.parametrize("name", KERAS_CALLBACKS)
def test_constructor_signature_matches_keras(name):
    keras = keras_oracle()
    assert inspect.signature(getattr(callbacks, name)) == inspect.signature(
        getattr(keras.callbacks, name))
    assert get_name_for_object(getattr(callbacks, name)) == f"keras.callbacks.{name}"


def test_progbar_is_exported_as_keras_utils_progbar():
    assert wb.utils.Progbar is wb.utils.progbar.Progbar
    assert get_name_for_object(wb.utils.Progbar) == "keras.utils.Progbar"


def test_model_property_syncs_the_trainer_state_first():
    model = FakeModel()
    callback = Callback()
    callback.set_model(model)
    assert model.sync_calls == 0
    assert callback.model is model
    assert model.sync_calls == 1


def test_callback_without_super_init_still_works():
    class Bare(Callback):
        def __init__(self):
            self.seen = []

    callback = Bare()
    assert callback.params is None and callback.model is None
    CallbackList([callback], model=FakeModel(), epochs=1)
    assert callback.params == {"epochs": 1}


class BatchEnd(Callback):
    def on_train_batch_end(self, batch, logs=None):
        pass


class LegacyBatchBegin(Callback):
    def on_batch_begin(self, batch, logs=None):
        pass


class EvaluateBatchEnd(Callback):
    def on_test_batch_end(self, batch, logs=None):
        pass


class EpochOnly(Callback):
    def on_epoch_end(self, epoch, logs=None):
        pass


@pytest.mark.parametrize("callback, expected", [
    (EpochOnly(), {"train": False, "test": False, "predict": False}),
    (BatchEnd(), {"train": True, "test": False, "predict": False}),
    (LegacyBatchBegin(), {"train": True, "test": False, "predict": False}),
    (EvaluateBatchEnd(), {"train": False, "test": True, "predict": False}),
    (callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: None),
     {"train": True, "test": False, "predict": False}),
    (callbacks.LambdaCallback(on_predict_batch_begin=lambda batch, logs: None),
     {"train": False, "test": False, "predict": True}),
    (callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: None),
     {"train": False, "test": False, "predict": False}),
    (callbacks.EarlyStopping(), {"train": False, "test": False, "predict": False}),
    (callbacks.TerminateOnNaN(), {"train": False, "test": False, "predict": False}),
    (callbacks.ModelCheckpoint("m.keras"), {"train": False, "test": False, "predict": False}),
    (callbacks.ModelCheckpoint("m.keras", save_freq=5), {"train": True, "test": False, "predict": False}),
    (callbacks.BackupAndRestore("backup", save_freq=3), {"train": True, "test": False, "predict": False}),
    (callbacks.CSVLogger("log.csv"), {"train": False, "test": False, "predict": False}),
])
def test_needs_batch_hooks(callback, expected):
    callback_list = CallbackList([callback], add_history=True, add_progbar=True)
    assert {mode: callback_list.needs_batch_hooks(mode) for mode in expected} == expected


def test_history_and_progbar_alone_do_not_need_batch_hooks():
    callback_list = CallbackList(add_history=True, add_progbar=True, verbose=1, epochs=1, steps=3)
    assert [type(c).__name__ for c in callback_list.callbacks] == ["History", "ProgbarLogger"]
    assert not any(callback_list.needs_batch_hooks(mode) for mode in ("train", "test", "predict"))
    with pytest.raises(ValueError, match="mode 'train', 'test' or 'predict'"):
        callback_list.needs_batch_hooks("fit")


def test_foreign_callbacks_are_assumed_to_need_every_batch():
    keras = keras_oracle()
    assert CallbackList([keras.callbacks.Callback()]).needs_batch_hooks("train")


def test_batch_logs_stay_on_device_and_epoch_logs_become_floats():
    seen = {}

    class Recorder(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen["batch"] = logs

        def on_epoch_end(self, epoch, logs=None):
            seen["epoch"] = logs

    callback_list = CallbackList([Recorder()])
    loss = jnp.float32(0.5)
    callback_list.on_train_batch_end(0, {"loss": loss, "nested": {"acc": jnp.float32(0.25)}})
    assert seen["batch"]["loss"] is loss and isinstance(seen["batch"]["acc"], jax.Array)
    callback_list.on_epoch_end(0, {"loss": loss, "val_loss": jnp.float32(1.5)})
    assert seen["epoch"] == {"loss": 0.5, "val_loss": 1.5}
    assert all(type(v) is float for v in seen["epoch"].values())


def test_history_collects_every_key_and_is_set_on_the_model():
    model = FakeModel()
    epoch_logs = [{"loss": 1.0 - 0.1 * e, "accuracy": 0.5 + 0.1 * e, "val_loss": 2.0 - e}
                  for e in range(3)]
    run_fit(CallbackList, [], model, epoch_logs)
    history = model.history
    assert isinstance(history, callbacks.History)
    assert history.epoch == [0, 1, 2]
    assert history.history == {key: [logs[key] for logs in epoch_logs] for key in epoch_logs[0]}
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 2}


def test_history_matches_keras_for_the_same_script():
    keras = keras_oracle()
    epoch_logs = [{"loss": 1.0 / (e + 1), "val_loss": 2.0 / (e + 1)} for e in range(3)]
    ours, theirs = FakeModel(), FakeModel()
    run_fit(CallbackList, [], ours, epoch_logs)
    run_fit(keras.callbacks.CallbackList, [], theirs, epoch_logs)
    assert ours.history.history == theirs.history.history
    assert ours.history.epoch == theirs.history.epoch


def test_existing_history_and_progbar_are_not_duplicated():
    history, progbar = callbacks.History(), callbacks.ProgbarLogger()
    callback_list = CallbackList([history, [progbar]], add_history=True, add_progbar=True)
    assert callback_list.callbacks == [history, progbar]


def _visible(text):
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return [line.rstrip() for line in re.split(r"[\r\n]", text) if line.strip()]


def test_progbar_logger_verbose_2_prints_one_line_per_epoch(capsys):
    callback_list = CallbackList(add_progbar=True, verbose=2, epochs=2, steps=3)
    callback_list.on_train_begin()
    for epoch in range(2):
        callback_list.on_epoch_begin(epoch)
        for step in range(3):
            callback_list.on_train_batch_end(step, {"loss": jnp.float32(0.5)})
        callback_list.on_test_begin()  # validation inside fit prints nothing of its own
        callback_list.on_test_batch_end(0, {"loss": jnp.float32(9.0)})
        callback_list.on_test_end({"loss": 9.0})
        callback_list.on_epoch_end(epoch, {"loss": 0.25, "val_loss": 0.75})
    callback_list.on_train_end()
    lines = _visible(capsys.readouterr().out)
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.fullmatch(r"3/3 - \d+s - \d+[mu]?s/step - loss: 0\.2500 - val_loss: 0\.7500", lines[1])
    assert len(lines) == 4


def test_progbar_logger_verbose_1_draws_the_bar_and_final_epoch_logs(capsys):
    callback_list = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=4)
    callback_list.on_train_begin()
    callback_list.on_epoch_begin(0)
    for step in range(4):
        callback_list.on_train_batch_end(step, {"loss": jnp.float32(0.5)})
    callback_list.on_epoch_end(0, {"loss": 0.25})
    callback_list.on_train_end()
    lines = _visible(capsys.readouterr().out)
    assert lines[0].startswith("1/4 ━") and lines[0].endswith("- loss: 0.5000")
    assert re.fullmatch(r"4/4 ━{20} \d+s \d+[mu]?s/step - loss: 0\.2500", lines[-1])


def test_progbar_logger_in_evaluate_and_predict(capsys):
    callback_list = CallbackList(add_progbar=True, verbose=2, steps=2)
    callback_list.on_test_begin()
    callback_list.on_test_batch_end(1, {"loss": jnp.float32(1.0)})
    callback_list.on_test_end({"loss": 1.0})
    callback_list.on_predict_begin()
    callback_list.on_predict_batch_end(1, {"outputs": jnp.ones((2, 3))})
    callback_list.on_predict_end()
    lines = _visible(capsys.readouterr().out)
    assert re.fullmatch(r"2/2 - \d+s - \d+[mu]?s/step - loss: 1\.0000", lines[0])
    assert re.fullmatch(r"2/2 - \d+s - \d+[mu]?s/step", lines[1])


def test_lambda_callback_calls_the_given_functions():
    events = []
    callback = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: events.append(("epoch_end", epoch, logs["loss"])),
        on_train_batch_end=lambda batch, logs: events.append(("batch_end", batch)),
        on_train_end=lambda logs: events.append(("train_end",)),
        on_test_begin=lambda logs: events.append(("test_begin",)),
    )
    run_fit(CallbackList, [callback], FakeModel(), [{"loss": 1.0}], steps=2)
    CallbackList([callback]).on_test_begin()
    assert events == [("batch_end", 0), ("batch_end", 1), ("epoch_end", 0, 1.0), ("train_end",),
                      ("test_begin",)]
