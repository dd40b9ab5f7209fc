"""The shared base of callbacks that watch one metric: EarlyStopping, ModelCheckpoint, ReduceLROnPlateau."""

import operator
import warnings

from workbench.callbacks.callback import Callback

# Used only when the model's metric objects do not say which way is better.
_HIGHER_IS_BETTER = ("accuracy", "acc", "auc", "precision", "recall", "f1_score", "fbeta_score",
                     "r2_score", "iou", "mean_iou")


def _model_metrics(model):
    """The model's metric objects, with the compiled containers opened up."""
    found = []
    pending = list(getattr(model, "metrics", None) or [])
    while pending:
        metric = pending.pop(0)
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, (list, tuple)):
            pending[:0] = list(inner)
        else:
            found.append(metric)
    return found


class MonitorCallback(Callback):
    """A callback that compares a monitored metric against its best value so far.

    Args:
        monitor: Name of the logged quantity to watch, e.g. `"val_loss"`.
        mode: `"min"`, `"max"` or `"auto"` (losses go down; for other metrics the
            model's metric objects say which way is better).
        baseline: The value to beat at first, or None.
        min_delta: The smallest change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown; expected 'auto', 'min' or "
                "'max'. Falling back to 'auto'.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            self.monitor_op = self._auto_monitor_op()
        if self.monitor_op is operator.lt:
            self.min_delta = -abs(self.min_delta)

    def _auto_monitor_op(self):
        name = self.monitor.removeprefix("val_")
        if name == "loss" or name.endswith("_loss"):
            return operator.lt
        for metric in _model_metrics(self._model):
            if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                return operator.gt if metric._direction == "up" else operator.lt
        if name in _HIGHER_IS_BETTER or name.endswith("accuracy"):
            return operator.gt
        raise ValueError(
            f"{type(self).__name__} received monitor={self.monitor}, but cannot tell whether that "
            "metric should be maximized or minimized. Pass `mode='max'` to keep the highest value, "
            "or `mode='min'` to keep the lowest."
        )

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        return self.monitor_op(float(monitor_value) - self.min_delta, float(reference_value))
