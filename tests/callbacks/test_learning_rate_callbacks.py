import numpy as np
import pytest

from tests.callbacks.fake_model import FakeModel, run_fit
from tests.layer_test import keras_oracle
from workbench.callbacks import CallbackList, LearningRateScheduler, ReduceLROnPlateau


class LearningRateRecorder:
    """Wraps a callback list so each epoch's starting learning rate is recorded."""

    def __init__(self, list_class):
        self.list_class = list_class
        self.rates = []

    def __call__(self, callbacks, **kwargs):
        callback_list = self.list_class(callbacks, **kwargs)
        model, rates = kwargs["model"], self.rates
        original = callback_list.on_epoch_end

        def on_epoch_end(epoch, logs=None):
            rates.append(float(model.optimizer.learning_rate))
            original(epoch, logs)

        callback_list.on_epoch_end = on_epoch_end
        return callback_list


def test_reduce_lr_on_plateau_reduces_after_patience():
    model = FakeModel(learning_rate=1.0)
    recorder = LearningRateRecorder(CallbackList)
    callback = ReduceLROnPlateau(factor=0.5, patience=2, min_lr=0.2)
    val_loss = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    run_fit(recorder, [callback], model, [{"loss": 1.0, "val_loss": v} for v in val_loss])
    # No improvement from epoch 1 on: halve at the end of epochs 2, 4 and 6, floored at 0.2.
    assert recorder.rates == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2]
    # The logged rate is the one the epoch trained with.
    assert model.history.history["learning_rate"] == recorder.rates
    assert model.optimizer.learning_rate == 0.2


@pytest.mark.parametrize("kwargs, val_loss", [
    (dict(factor=0.5, patience=1), [1.0, 0.9, 0.95, 0.96, 0.8, 0.85, 0.86, 0.87]),
    (dict(factor=0.5, patience=1, cooldown=2), [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7]),
    (dict(factor=0.1, patience=0, min_lr=0.005), [1.0, 1.1, 1.2, 1.3, 1.4]),
    (dict(factor=0.5, patience=1, min_delta=0.1), [1.0, 0.95, 0.92, 0.7, 0.69, 0.68]),
    (dict(factor=0.5, patience=1, mode="max", monitor="val_accuracy"), [0.1, 0.2, 0.15, 0.1, 0.3]),
])
def test_reduce_lr_on_plateau_matches_keras(kwargs, val_loss):
    keras = keras_oracle()
    logs = [{"loss": 1.0, "val_loss": v, "val_accuracy": v} for v in val_loss]
    rates = []
    for list_class, callback_class in ((CallbackList, ReduceLROnPlateau),
                                       (keras.callbacks.CallbackList, keras.callbacks.ReduceLROnPlateau)):
        recorder = LearningRateRecorder(list_class)
        model = FakeModel(learning_rate=1.0)
        run_fit(recorder, [callback_class(**kwargs)], model, logs)
        rates.append(recorder.rates + [model.optimizer.learning_rate])
        assert model.history.history["learning_rate"] == recorder.rates
    np.testing.assert_allclose(rates[0], rates[1])


def test_reduce_lr_on_plateau_rejects_factor_of_one():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.0)


def test_learning_rate_scheduler_sets_the_rate_at_each_epoch_start():
    model = FakeModel(learning_rate=0.1)
    recorder = LearningRateRecorder(CallbackList)
    schedule = LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.5)
    run_fit(recorder, [schedule], model, [{"loss": 1.0}] * 5)
    assert recorder.rates == pytest.approx([0.1, 0.1, 0.05, 0.025, 0.0125])
    assert model.history.history["learning_rate"] == pytest.approx(recorder.rates)


def test_learning_rate_scheduler_accepts_a_one_argument_schedule(capsys):
    model = FakeModel()
    recorder = LearningRateRecorder(CallbackList)
    run_fit(recorder, [LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1), verbose=1)], model,
            [{"loss": 1.0}] * 3)
    assert recorder.rates == pytest.approx([0.01, 0.02, 0.03])
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.02." in capsys.readouterr().out


def test_learning_rate_scheduler_requires_a_float():
    with pytest.raises(ValueError, match="should be a float"):
        run_fit(CallbackList, [LearningRateScheduler(lambda epoch, lr: "fast")], FakeModel(),
                [{"loss": 1.0}])


def test_multi_optimizer_rates_are_scheduled_and_logged_per_optimizer():
    class Inner:
        def __init__(self, name, learning_rate):
            self.name, self.learning_rate = name, learning_rate

    model = FakeModel()
    model.optimizer.optimizers = [Inner("a", 1.0), Inner("b", 2.0)]
    run_fit(CallbackList, [LearningRateScheduler(lambda epoch, lr: lr / 2)], model, [{"loss": 1.0}])
    assert model.history.history["learning_rate_a"] == [0.5]
    assert model.history.history["learning_rate_b"] == [1.0]
