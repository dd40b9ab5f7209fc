import numpy as np

from tests.callbacks.fake_model import FakeModel, run_fit
from tests.callbacks.test_tensorboard_events import read_events
from workbench.callbacks import CallbackList, TensorBoard


def scalars(directory, prefix=""):
    events = read_events(directory)
    return sorted((event.step, tag, event.value) for tag in events.Tags()["scalars"]
                  if tag.startswith(prefix) for event in events.Scalars(tag))


def test_epoch_scalars_go_to_train_and_validation_dirs(tmp_path):
    logs = [{"loss": 1.0, "val_loss": 2.0}, {"loss": 0.5, "val_loss": 1.5}]
    run_fit(CallbackList, [TensorBoard(tmp_path)], FakeModel(learning_rate=0.125), logs)
    assert scalars(tmp_path / "train") == [(0, "epoch_learning_rate", 0.125), (0, "epoch_loss", 1.0),
                                           (1, "epoch_learning_rate", 0.125), (1, "epoch_loss", 0.5)]
    assert scalars(tmp_path / "validation") == [(0, "epoch_loss", 2.0), (1, "epoch_loss", 1.5)]


def test_train_end_closes_the_event_files(tmp_path):
    callback = TensorBoard(tmp_path)
    run_fit(CallbackList, [callback], FakeModel(), [{"loss": 1.0, "val_loss": 2.0}])
    assert callback._writers == {}


def test_batch_scalars_every_update_freq_batches(tmp_path):
    callback = TensorBoard(tmp_path, update_freq=2)
    run_fit(CallbackList, [callback], FakeModel(), [{"loss": 1.0}] * 2, steps=3,
            batch_logs=lambda epoch, step: {"loss": float(10 * epoch + step)})
    assert scalars(tmp_path / "train", "batch_") == [(2, "batch_loss", 1.0), (4, "batch_loss", 10.0),
                                                     (6, "batch_loss", 12.0)]
    assert CallbackList([callback]).needs_batch_hooks("train")
    assert not CallbackList([TensorBoard(tmp_path)]).needs_batch_hooks("train")


def test_weight_histograms_every_histogram_freq_epochs(tmp_path):
    model = FakeModel()
    model.weights = [np.zeros((2, 3)), np.zeros(3)]
    run_fit(CallbackList, [TensorBoard(tmp_path, histogram_freq=2)], model, [{"loss": 1.0}] * 3)
    events = read_events(tmp_path / "train")
    steps = [event.step for tag in events.Tags()["histograms"] for event in events.Histograms(tag)]
    assert sorted(steps) == [0, 0, 2, 2]
