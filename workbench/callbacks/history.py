"""History: records each epoch's logs; `fit()` returns it."""

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback


@keras_export("keras.callbacks.History")
class History(Callback):
    """Records the epoch-level logs of `fit()`.

    Every `fit()` adds one, and returns it; it is also `model.history`.

    Attributes:
        history: Dict from each log key (`"loss"`, `"val_loss"`, ...) to the list of
            its values, one per epoch.
        epoch: The list of epoch indices seen.
        params: The training parameters (`verbose`, `epochs`, `steps`).

    Example:

    >>> history = model.fit(x, y, epochs=3, verbose=0)  # doctest: +SKIP
    >>> history.history["loss"]  # doctest: +SKIP
    [0.71, 0.52, 0.43]
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def _needs_batch_hooks(self, mode):
        return False

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        # `_model`, not `model`: recording history needs no weights, so no state sync.
        if self._model is not None:
            self._model.history = self
