"""LearningRateScheduler: set the learning rate from a function of the epoch."""

import numpy as np

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback
from workbench.callbacks.learning_rate_utils import (
    get_learning_rate,
    log_learning_rates,
    optimizers_of,
)


@keras_export("keras.callbacks.LearningRateScheduler")
class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch from `schedule(epoch, lr)`.

    It also logs the learning rate at the end of each epoch as `logs["learning_rate"]`.

    Args:
        schedule: A function of the epoch index (from 0) and the current learning
            rate (a float) that returns the new learning rate (a float). A function
            of the epoch alone also works.
        verbose: `0` is silent, `1` prints a message on each update.

    Example:

    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = LearningRateScheduler(scheduler)
    >>> model.fit(x, y, epochs=15, callbacks=[callback])  # doctest: +SKIP
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_learning_rate(self, optimizer, epoch):
        learning_rate = get_learning_rate(optimizer)
        try:
            learning_rate = self.schedule(epoch, learning_rate)
        except TypeError:  # the older one-argument form, schedule(epoch)
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.floating)):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate}"
            )
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        for suffix, optimizer in optimizers_of(self.model):
            learning_rate = self._update_learning_rate(optimizer, epoch)
            if self.verbose > 0:
                name = f" {suffix[1:]}" if suffix else ""
                print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting{name} learning rate to "
                      f"{learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            log_learning_rates(self.model, logs)
