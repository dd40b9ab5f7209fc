"""The progress bar `fit(verbose="auto")` shows in a notebook: tqdm's widget bar."""

import math
import time

import jax

from workbench.callbacks.progbar_logger import _REFRESH_INTERVAL, ProgbarLogger

# Tests drive the refresh throttle through this name.
_clock = time.monotonic


def _format_logs(logs):
    """Flat logs as short strings; device scalars are read here, in one transfer."""
    values = jax.device_get(dict(logs or {}))
    shown = {}
    for key, value in values.items():
        try:
            value = float(value)
        except (TypeError, ValueError):
            continue
        shown[key] = f"{value:.4f}" if abs(value) > 1e-3 or value == 0 else f"{value:.3e}"
    return shown


class NotebookProgbarLogger(ProgbarLogger):
    """A `ProgbarLogger` drawn as Jupyter widgets (tqdm's notebook bar).

    `fit()` shows two bars: the epochs, with the last epoch's metrics, and the steps of
    the current epoch, with the running metrics and the time left. `evaluate()` and
    `predict()` show one bar of steps. Metrics are read from the device at most 10 times
    a second, as the text bar does. `fit(verbose="auto")` picks this bar when it runs
    in a Jupyter kernel; `verbose=1` keeps the text bar.
    """

    def __init__(self):
        super().__init__()
        self.epoch_bar = None
        self.step_bar = None
        self._last_read = -math.inf

    def _new_bar(self, total, desc, unit):
        from tqdm.notebook import tqdm

        return tqdm(total=total, desc=desc, unit=unit, leave=True, mininterval=_REFRESH_INTERVAL,
                    dynamic_ncols=True)

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.epoch_bar = self.step_bar = None
        if self.epochs > 1:
            self.epoch_bar = self._new_bar(self.epochs, "Epochs", "epoch")

    def on_epoch_begin(self, epoch, logs=None):
        self._open_step_bar(f"Epoch {epoch + 1}/{self.epochs}")

    def on_epoch_end(self, epoch, logs=None):
        self._finish_step_bar(logs)
        if self.epoch_bar is not None:
            self.epoch_bar.set_postfix(_format_logs(logs), refresh=False)
            self.epoch_bar.update(1)

    def on_train_end(self, logs=None):
        super().on_train_end(logs)
        for bar in (self.step_bar, self.epoch_bar):
            if bar is not None:
                bar.close()

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._open_step_bar("Evaluate")

    def on_predict_begin(self, logs=None):
        self._open_step_bar("Predict")

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finish_step_bar(logs)
            self.step_bar.close()

    def on_predict_end(self, logs=None):
        self._finish_step_bar(None)
        self.step_bar.close()

    def _open_step_bar(self, desc):
        self.seen = 0
        self._last_read = -math.inf
        if self.step_bar is None or not self._called_in_fit:
            self.step_bar = self._new_bar(self.target, desc, "step")
        else:
            self.step_bar.reset(total=self.target)
            self.step_bar.set_description(desc, refresh=False)

    def _update_progbar(self, batch, logs):
        if self.step_bar is None:
            self._open_step_bar("")
        self.step_bar.update(batch + 1 - self.seen)
        self.seen = batch + 1
        now = _clock()
        if logs and now - self._last_read >= _REFRESH_INTERVAL:
            self._last_read = now
            self.step_bar.set_postfix(_format_logs(logs), refresh=False)

    def _finish_step_bar(self, logs):
        if self.step_bar is None:
            self._open_step_bar("")
        if self.step_bar.total is None:
            self.step_bar.total = self.seen
        self.step_bar.update(self.step_bar.total - self.step_bar.n)
        if logs:
            self.step_bar.set_postfix(_format_logs(logs), refresh=False)
        self.step_bar.refresh()
