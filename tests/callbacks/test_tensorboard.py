import sys
import types

import numpy as np
import pytest

from tests.callbacks.fake_model import FakeModel, run_fit
from workbench.callbacks import CallbackList, TensorBoard


class FakeSummaryWriter:
    """Records what tensorboardX's SummaryWriter would write."""

    writers = {}

    def __init__(self, logdir):
        self.logdir = logdir
        self.scalars = []
        self.histograms = []
        self.closed = False
        FakeSummaryWriter.writers[logdir] = self

    def add_scalar(self, tag, value, global_step=None):
        assert type(value) is float
        self.scalars.append((tag, value, global_step))

    def add_histogram(self, tag, values, global_step=None):
        self.histograms.append((tag, np.shape(values), global_step))

    def flush(self):
        pass

    def close(self):
        self.closed = True


@pytest.fixture
def tensorboardx(monkeypatch):
    FakeSummaryWriter.writers = {}
    monkeypatch.setitem(sys.modules, "tensorboardX", types.SimpleNamespace(SummaryWriter=FakeSummaryWriter))
    return FakeSummaryWriter.writers


def test_epoch_scalars_go_to_train_and_validation_dirs(tmp_path, tensorboardx):
    logs = [{"loss": 1.0, "val_loss": 2.0}, {"loss": 0.5, "val_loss": 1.5}]
    run_fit(CallbackList, [TensorBoard(tmp_path)], FakeModel(learning_rate=0.1), logs)
    train, validation = tensorboardx[str(tmp_path / "train")], tensorboardx[str(tmp_path / "validation")]
    assert train.scalars == [("epoch_loss", 1.0, 0), ("epoch_learning_rate", 0.1, 0),
                             ("epoch_loss", 0.5, 1), ("epoch_learning_rate", 0.1, 1)]
    assert validation.scalars == [("epoch_loss", 2.0, 0), ("epoch_loss", 1.5, 1)]
    assert train.closed and validation.closed


def test_batch_scalars_every_update_freq_batches(tmp_path, tensorboardx):
    callback = TensorBoard(tmp_path, update_freq=2)
    run_fit(CallbackList, [callback], FakeModel(), [{"loss": 1.0}] * 2, steps=3,
            batch_logs=lambda epoch, step: {"loss": float(10 * epoch + step)})
    batch = [s for s in tensorboardx[str(tmp_path / "train")].scalars if s[0].startswith("batch_")]
    assert batch == [("batch_loss", 1.0, 2), ("batch_loss", 10.0, 4), ("batch_loss", 12.0, 6)]
    assert CallbackList([callback]).needs_batch_hooks("train")
    assert not CallbackList([TensorBoard(tmp_path)]).needs_batch_hooks("train")


def test_weight_histograms(tmp_path, tensorboardx):
    model = FakeModel()
    model.weights = [np.zeros((2, 3)), np.zeros(3)]
    run_fit(CallbackList, [TensorBoard(tmp_path, histogram_freq=2)], model, [{"loss": 1.0}] * 3)
    assert [h[2] for h in tensorboardx[str(tmp_path / "train")].histograms] == [0, 0, 2, 2]


def test_without_tensorboardx_raises_a_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match="pip install tensorboardX"):
        TensorBoard()
