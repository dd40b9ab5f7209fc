import csv

import jax.numpy as jnp
import numpy as np

from tests.callbacks.fake_model import FakeModel, run_fit
from tests.layer_test import keras_oracle
from workbench.callbacks import CallbackList, CSVLogger


def read_rows(path, separator=","):
    with open(path, newline="") as file:
        return list(csv.reader(file, delimiter=separator))


def test_writes_a_header_and_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    logs = [{"loss": 0.5, "accuracy": 0.75, "val_loss": 0.625}, {"loss": 0.25, "accuracy": 0.875}]
    run_fit(CallbackList, [CSVLogger(path)], FakeModel(), logs)
    assert read_rows(path) == [
        ["epoch", "accuracy", "loss", "val_loss"],
        ["0", "0.75", "0.5", "0.625"],
        ["1", "0.875", "0.25", "NA"],
    ]


def test_adds_validation_columns_when_the_first_epoch_has_none(tmp_path):
    path = tmp_path / "log.csv"
    run_fit(CallbackList, [CSVLogger(path, separator=";")], FakeModel(),
            [{"loss": 0.5}, {"loss": 0.25, "val_loss": 0.75}])
    assert read_rows(path, ";") == [["epoch", "loss", "val_loss"], ["0", "0.5", "NA"],
                                    ["1", "0.25", "0.75"]]


def test_append_continues_the_file_without_a_second_header(tmp_path):
    path = tmp_path / "log.csv"
    run_fit(CallbackList, [CSVLogger(path)], FakeModel(), [{"loss": 0.5}])
    run_fit(CallbackList, [CSVLogger(path, append=True)], FakeModel(), [{"loss": 0.25}])
    assert read_rows(path) == [["epoch", "loss", "val_loss"], ["0", "0.5", "NA"],
                               ["0", "0.25", "NA"]]
    run_fit(CallbackList, [CSVLogger(path)], FakeModel(), [{"loss": 0.125}])
    assert read_rows(path) == [["epoch", "loss", "val_loss"], ["0", "0.125", "NA"]]


def test_each_row_is_on_disk_when_its_epoch_ends(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    callback_list = CallbackList([logger], model=FakeModel())
    callback_list.on_train_begin()
    callback_list.on_epoch_end(0, {"loss": jnp.float32(0.5)})
    assert read_rows(path) == [["epoch", "loss", "val_loss"], ["0", "0.5", "NA"]]
    callback_list.on_train_end()
    assert logger.csv_file.closed


def test_file_matches_keras(tmp_path):
    keras = keras_oracle()
    logs = [{"loss": 0.5, "vector": np.array([1.0, 2.0]), "note": "ok"}, {"loss": 0.25}]
    run_fit(CallbackList, [CSVLogger(tmp_path / "ours.csv")], FakeModel(), logs)
    run_fit(keras.callbacks.CallbackList, [keras.callbacks.CSVLogger(tmp_path / "keras.csv")],
            FakeModel(), logs)
    assert (tmp_path / "ours.csv").read_text() == (tmp_path / "keras.csv").read_text()
