"""A stand-in model and a scripted fit() loop, for driving callbacks without a trainer."""

import json
import os

import numpy as np


class FakeOptimizer:
    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate
        self.name = "sgd"
        self.built = True


class FakeModel:
    """Weights are one array; `save*` write them to JSON marker files; syncs are counted."""

    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.built = True
        self.metrics = []
        self.trainable_variables = []
        self.sync_calls = 0
        self.saved = []
        self._weights = [np.zeros(2)]

    def _sync_state_to_variables(self):
        self.sync_calls += 1

    def get_weights(self):
        return [w.copy() for w in self._weights]

    def set_weights(self, weights):
        self._weights = [np.array(w) for w in weights]

    def _write(self, kind, filepath, overwrite):
        assert overwrite is True
        with open(filepath, "w") as file:
            json.dump({"kind": kind, "weights": [w.tolist() for w in self._weights]}, file)
        self.saved.append(os.fspath(filepath))

    def save(self, filepath, overwrite=True):
        self._write("model", filepath, overwrite)

    def save_weights(self, filepath, overwrite=True):
        self._write("weights", filepath, overwrite)

    def load_weights(self, filepath):
        with open(filepath) as file:
            self.set_weights(json.load(file)["weights"])


def run_fit(callback_list_class, callbacks, model, epoch_logs, steps=2, batch_logs=None,
            interrupt_at_epoch=None, **params):
    """Plays fit(): one entry of `epoch_logs` per epoch; the weights become `[epoch, epoch]`.

    Returns the epochs that ran. With `interrupt_at_epoch`, raises there (no on_train_end).
    """
    epochs = len(epoch_logs)
    params = {"verbose": 0, "epochs": epochs, "steps": steps, **params}
    callback_list = callback_list_class(callbacks, add_history=True, model=model, **params)
    model.stop_training = False
    callback_list.on_train_begin()
    ran = []
    for epoch in range(getattr(model, "_initial_epoch", None) or 0, epochs):
        if epoch == interrupt_at_epoch:
            raise RuntimeError(f"interrupted at epoch {epoch}")
        callback_list.on_epoch_begin(epoch)
        for step in range(steps):
            callback_list.on_train_batch_begin(step)
            logs = batch_logs(epoch, step) if batch_logs else {"loss": epoch_logs[epoch].get("loss", 0.0)}
            callback_list.on_train_batch_end(step, logs)
        model.set_weights([np.full(2, float(epoch))])
        callback_list.on_epoch_end(epoch, dict(epoch_logs[epoch]))
        ran.append(epoch)
        if model.stop_training:
            break
    callback_list.on_train_end()
    return ran
