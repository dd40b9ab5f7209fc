import numpy as np
import pytest

from tests.callbacks.fake_model import FakeModel, run_fit
from tests.layer_test import keras_oracle
from workbench.callbacks import CallbackList, EarlyStopping

VAL_LOSS = [1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]


def logs_for(values, key="val_loss"):
    return [{"loss": 1.0, key: v} for v in values]


def test_stops_after_patience_and_restores_the_best_weights():
    model = FakeModel()
    callback = EarlyStopping(patience=2, restore_best_weights=True)
    ran = run_fit(CallbackList, [callback], model, logs_for(VAL_LOSS))
    assert ran == [0, 1, 2, 3]  # best at epoch 1; epochs 2 and 3 did not improve
    assert callback.stopped_epoch == 3 and callback.best_epoch == 1 and callback.best == 0.5
    np.testing.assert_array_equal(model.get_weights()[0], [1.0, 1.0])  # the weights after epoch 1


def test_keeps_last_weights_without_restore():
    model = FakeModel()
    run_fit(CallbackList, [EarlyStopping(patience=1)], model, logs_for(VAL_LOSS))
    np.testing.assert_array_equal(model.get_weights()[0], [2.0, 2.0])


SCENARIOS = [
    dict(values=VAL_LOSS, kwargs=dict(patience=2)),
    dict(values=VAL_LOSS, kwargs=dict(patience=0)),
    dict(values=[1.0, 0.95, 0.92, 0.91, 0.905], kwargs=dict(patience=1, min_delta=0.02)),
    dict(values=[1.0, 0.9, 0.8, 0.7, 0.6, 0.5], kwargs=dict(patience=2, baseline=0.55)),
    dict(values=[0.5, 0.6, 0.7, 0.8, 0.9], kwargs=dict(patience=1, start_from_epoch=2)),
    dict(values=[0.5, 0.6, 0.55, 0.7], kwargs=dict(patience=1, mode="max"), key="val_accuracy"),
    dict(values=[0.5, 0.6, 0.55, 0.54], kwargs=dict(patience=1, monitor="val_accuracy", mode="max"),
         key="val_accuracy"),
    dict(values=[0.9, 0.8, 0.85, 0.86], kwargs=dict(patience=1, monitor="loss"), key="loss"),
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_stops_at_the_same_epoch_as_keras(scenario):
    keras = keras_oracle()
    key = scenario.get("key", "val_loss")
    kwargs = dict(scenario["kwargs"], restore_best_weights=True)
    if key != "val_loss":
        kwargs.setdefault("monitor", key)
    logs = [{key: v} if key == "loss" else {"loss": 1.0, key: v} for v in scenario["values"]]
    ours, theirs = EarlyStopping(**kwargs), keras.callbacks.EarlyStopping(**kwargs)
    our_model, their_model = FakeModel(), FakeModel()
    ran = run_fit(CallbackList, [ours], our_model, logs)
    assert ran == run_fit(keras.callbacks.CallbackList, [theirs], their_model, logs)
    assert (ours.stopped_epoch, ours.best_epoch, ours.wait) == (
        theirs.stopped_epoch, theirs.best_epoch, theirs.wait)
    np.testing.assert_array_equal(our_model.get_weights()[0], their_model.get_weights()[0])


def test_auto_mode_maximizes_accuracy_and_reads_metric_direction():
    class Metric:
        def __init__(self, name, direction):
            self.name, self._direction = name, direction

    model = FakeModel()
    model.metrics = [Metric("score", "up")]
    callback = EarlyStopping(monitor="val_score", patience=0)
    ran = run_fit(CallbackList, [callback], model, logs_for([0.1, 0.2, 0.15], key="val_score"))
    assert ran == [0, 1, 2]
    callback = EarlyStopping(monitor="val_accuracy", patience=0)
    ran = run_fit(CallbackList, [callback], FakeModel(), logs_for([0.1, 0.2, 0.15], "val_accuracy"))
    assert ran == [0, 1, 2] and callback.best == 0.2


def test_unknown_metric_direction_asks_for_a_mode():
    callback = EarlyStopping(monitor="val_mystery")
    with pytest.raises(ValueError, match="mode='max'"):
        run_fit(CallbackList, [callback], FakeModel(), logs_for([1.0], key="val_mystery"))


def test_missing_monitor_warns_and_never_stops():
    callback = EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match="not available"):
        ran = run_fit(CallbackList, [callback], FakeModel(), [{"loss": 1.0}] * 3)
    assert ran == [0, 1, 2]


def test_unknown_mode_falls_back_to_auto():
    with pytest.warns(UserWarning, match="unknown"):
        assert EarlyStopping(mode="sideways").mode == "auto"


def test_reusable_across_fits():
    callback = EarlyStopping(patience=1)
    run_fit(CallbackList, [callback], FakeModel(), logs_for(VAL_LOSS))
    ran = run_fit(CallbackList, [callback], FakeModel(), logs_for([3.0, 2.0, 1.0]))
    assert ran == [0, 1, 2] and callback.stopped_epoch == 0
