import json
import os

import numpy as np
import pytest

from tests.callbacks.fake_model import FakeModel, run_fit
from tests.layer_test import keras_oracle
from workbench.callbacks import BackupAndRestore, CallbackList

LOGS = [{"loss": 1.0 / (e + 1)} for e in range(5)]


def interrupted_then_resumed(tmp_path, first=BackupAndRestore, second=BackupAndRestore,
                             first_list=CallbackList, second_list=CallbackList, **kwargs):
    backup_dir = str(tmp_path / "backup")
    with pytest.raises(RuntimeError, match="interrupted at epoch 3"):
        run_fit(first_list, [first(backup_dir, **kwargs)], FakeModel(), LOGS, interrupt_at_epoch=3)
    with open(os.path.join(backup_dir, "training_metadata.json")) as file:
        assert json.load(file)["epoch"] == 3
    model = FakeModel()
    callback = second(backup_dir, **kwargs)
    ran = run_fit(second_list, [callback], model, LOGS)
    return ran, model, callback, backup_dir


def test_second_run_resumes_from_the_saved_epoch_and_weights(tmp_path):
    ran, model, callback, backup_dir = interrupted_then_resumed(tmp_path)
    assert ran == [3, 4]
    assert callback._initial_epoch == 3
    assert model.saved[0].endswith(".weights.h5")
    np.testing.assert_array_equal(model.get_weights()[0], [4.0, 4.0])
    assert not os.path.exists(backup_dir)  # deleted once fit completes
    assert model._initial_epoch is None  # so the next fit() starts from its own initial_epoch


def test_resumes_from_a_keras_backup_and_keras_resumes_from_ours(tmp_path):
    keras = keras_oracle()
    ran, *_ = interrupted_then_resumed(tmp_path / "a", first=keras.callbacks.BackupAndRestore,
                                       first_list=keras.callbacks.CallbackList)
    assert ran == [3, 4]
    ran, *_ = interrupted_then_resumed(tmp_path / "b", second=keras.callbacks.BackupAndRestore,
                                       second_list=keras.callbacks.CallbackList)
    assert ran == [3, 4]


def test_keeps_the_backup_when_asked(tmp_path):
    backup_dir = tmp_path / "backup"
    run_fit(CallbackList, [BackupAndRestore(backup_dir, delete_checkpoint=False)], FakeModel(), LOGS)
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]


class CrashingSave(FakeModel):
    """Writes half a file, then dies, the way a killed process would leave it."""

    def save_weights(self, filepath, overwrite=True):
        with open(filepath, "w") as file:
            file.write('{"kind": "wei')
        raise RuntimeError("killed while saving")


def test_an_interrupted_save_leaves_the_previous_backup_whole(tmp_path, monkeypatch):
    backup_dir = str(tmp_path / "backup")
    callback = BackupAndRestore(backup_dir)
    model = FakeModel()
    callback.set_model(model)
    model.set_weights([np.full(2, 7.0)])
    callback.on_epoch_end(0)
    model.__class__ = CrashingSave
    with pytest.raises(RuntimeError, match="killed while saving"):
        callback.on_epoch_end(1)
    restored = FakeModel()
    fresh = BackupAndRestore(backup_dir)
    fresh.set_model(restored)
    fresh.on_train_begin()
    np.testing.assert_array_equal(restored.get_weights()[0], [7.0, 7.0])
    assert restored._initial_epoch == 1

    # A crash while writing the metadata leaves the old metadata, never a torn file.
    model.__class__ = FakeModel
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(OSError, match="disk gone"):
        callback.on_epoch_end(2)
    with open(os.path.join(backup_dir, "training_metadata.json")) as file:
        assert json.load(file) == {"epoch": 1, "batch": 0}


def test_double_checkpoint_falls_back_to_the_previous_backup(tmp_path):
    backup_dir = str(tmp_path / "backup")
    callback = BackupAndRestore(backup_dir, double_checkpoint=True)
    model = FakeModel()
    callback.set_model(model)
    for epoch in range(2):
        model.set_weights([np.full(2, float(epoch))])
        callback.on_epoch_end(epoch)
    with open(os.path.join(backup_dir, "latest.weights.h5"), "w") as file:
        file.write("corrupt")
    restored = FakeModel()
    fresh = BackupAndRestore(backup_dir, double_checkpoint=True)
    fresh.set_model(restored)
    fresh.on_train_begin()
    np.testing.assert_array_equal(restored.get_weights()[0], [0.0, 0.0])
    assert restored._initial_epoch == 1


def test_batch_frequency_saves_mid_epoch(tmp_path):
    backup_dir = str(tmp_path / "backup")
    callback = BackupAndRestore(backup_dir, save_freq=3)
    model = FakeModel()
    callback.set_model(model)
    callback.on_epoch_begin(0)
    for batch in range(7):
        callback.on_train_batch_end(batch)
    assert len(model.saved) == 2
    with open(os.path.join(backup_dir, "training_metadata.json")) as file:
        assert json.load(file) == {"epoch": 0, "batch": 5}


def test_validates_arguments():
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        BackupAndRestore("dir", save_freq="batch")


def test_unbuilt_model_is_rejected(tmp_path):
    model = FakeModel()
    model.built = False
    callback = BackupAndRestore(str(tmp_path))
    callback.set_model(model)
    with pytest.raises(ValueError, match="must be built"):
        callback.on_train_begin()
