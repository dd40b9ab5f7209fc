"""TerminateOnNaN: stop training when the loss becomes NaN or infinite."""

import math

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback


@keras_export("keras.callbacks.TerminateOnNaN")
class TerminateOnNaN(Callback):
    """Stops training when a NaN or infinite loss is encountered.

    It reads `logs["loss"]` after each batch hook call, which waits for the device.
    The trainer may still fuse steps: the logged loss is the epoch's running mean, so
    once a step produces NaN every later reading is NaN too, and training stops at
    the end of that fused execution.

    Args:
        raise_error: If True, raise a `RuntimeError` instead of setting
            `model.stop_training = True`.

    Example:

    >>> model.fit(x, y, callbacks=[TerminateOnNaN()])  # doctest: +SKIP
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def _needs_batch_hooks(self, mode):
        return False

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(loss)  # the one host sync of this callback
        if math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                "Terminating training immediately."
            )
        print(f"Batch {batch}: Invalid loss, terminating training")
        self._model.stop_training = True
