import numpy as np
import pytest

import workbench as wb
from tests.callbacks.fake_model import FakeModel
from workbench.callbacks import CallbackList, SwapEMAWeights


class EMAOptimizer:
    """Has what SwapEMAWeights reads from an optimizer built with `use_ema=True`."""

    def __init__(self, weights, averages):
        self.use_ema = True
        self.learning_rate = 0.1
        self._trainable_variables = [wb.Variable(np.array(w, "float32")) for w in weights]
        self._model_variables_moving_average = [wb.Variable(np.array(a, "float32")) for a in averages]

    def model_values(self):
        return [v.numpy().tolist() for v in self._trainable_variables]

    def average_values(self):
        return [v.numpy().tolist() for v in self._model_variables_moving_average]


def make(swap_on_epoch=False, epochs=2):
    model = FakeModel()
    model.optimizer = EMAOptimizer([[1.0, 2.0]], [[0.5, 0.5]])
    callback_list = CallbackList([SwapEMAWeights(swap_on_epoch)], model=model, epochs=epochs)
    return model.optimizer, callback_list, model


def test_evaluation_and_prediction_see_the_ema_weights():
    optimizer, callback_list, model = make()
    callback_list.on_test_begin()
    assert optimizer.model_values() == [[0.5, 0.5]]
    callback_list.on_test_end({"loss": 1.0})
    assert optimizer.model_values() == [[1.0, 2.0]]
    assert optimizer.average_values() == [[0.5, 0.5]]
    callback_list.on_predict_begin()
    assert optimizer.model_values() == [[0.5, 0.5]]
    callback_list.on_predict_end()
    assert optimizer.model_values() == [[1.0, 2.0]]
    assert model.sync_calls >= 4  # each swap works on synced variables


def test_swap_on_epoch_holds_ema_weights_between_epochs_and_finalizes_at_the_last():
    optimizer, callback_list, _ = make(swap_on_epoch=True, epochs=2)
    callback_list.on_epoch_begin(0)
    callback_list.on_test_begin()
    callback_list.on_test_end({"loss": 1.0})
    callback_list.on_epoch_end(0, {"loss": 1.0})
    assert optimizer.model_values() == [[0.5, 0.5]]
    callback_list.on_epoch_begin(1)
    assert optimizer.model_values() == [[1.0, 2.0]]
    callback_list.on_epoch_end(1, {"loss": 1.0})
    # finalize_variable_values will copy the averages in: they must hold the EMA weights.
    assert optimizer.model_values() == optimizer.average_values() == [[0.5, 0.5]]


def test_requires_an_ema_optimizer():
    model = FakeModel()
    callback_list = CallbackList([SwapEMAWeights()], model=model)
    with pytest.raises(ValueError, match="use_ema=True"):
        callback_list.on_test_begin()
