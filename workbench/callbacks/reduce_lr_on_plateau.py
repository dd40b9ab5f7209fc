"""ReduceLROnPlateau: lower the learning rate when a metric has stopped improving."""

import warnings

import numpy as np

from workbench.api_export import keras_export
from workbench.callbacks.learning_rate_utils import (
    get_learning_rate,
    log_learning_rates,
    optimizers_of,
)
from workbench.callbacks.monitor_callback import MonitorCallback


@keras_export("keras.callbacks.ReduceLROnPlateau")
class ReduceLROnPlateau(MonitorCallback):
    """Reduces the learning rate when a metric has stopped improving.

    After `patience` epochs without improvement of `monitor`, the learning rate is
    multiplied by `factor`, but never below `min_lr`. It also logs the current
    learning rate as `logs["learning_rate"]`.

    Args:
        monitor: The quantity to watch. Defaults to `"val_loss"`.
        factor: Factor by which the learning rate is reduced:
            `new_lr = lr * factor`. Must be below 1.
        patience: Number of epochs without improvement after which the learning rate
            is reduced.
        verbose: `0` is silent, `1` prints a message on each reduction.
        mode: `"auto"`, `"min"` or `"max"`: which way `monitor` improves.
        min_delta: Threshold for measuring a new optimum, to count only
            significant changes.
        cooldown: Number of epochs to wait after a reduction before counting again.
        min_lr: Lower bound on the learning rate.

    Example:

    >>> reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
    >>> model.fit(x, y, callbacks=[reduce_lr])  # doctest: +SKIP
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # late, so the model's metrics exist
        logs = {} if logs is None else logs
        log_learning_rates(self.model, logs)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs)}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_learning_rates(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce_learning_rates(self, epoch):
        reduced = False
        for suffix, optimizer in optimizers_of(self.model):
            old_lr = get_learning_rate(optimizer)
            if old_lr <= np.float32(self.min_lr):
                continue
            new_lr = max(old_lr * self.factor, self.min_lr)
            optimizer.learning_rate = new_lr
            reduced = True
            if self.verbose > 0:
                name = f" {suffix[1:]}" if suffix else ""
                print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{name} learning rate to {new_lr}.")
        return reduced
