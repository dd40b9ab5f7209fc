"""LiveCurves: training curves that update while `fit()` runs, in the notebook cell that runs it."""

import math
import operator
import time

import jax
import numpy as np

from workbench.callbacks.callback import Callback
from workbench.callbacks.monitor_callback import _HIGHER_IS_BETTER, _model_metrics
from workbench.notebook import _display
from workbench.notebook.curves_figure import ALL_RUNS, curves_figure

# Tests drive the throttle through this name.
_clock = time.monotonic
CURRENT_RUN = "this run"


def _panel_of(metric):
    if metric in ("lr", "learning_rate") or metric.startswith("learning_rate_"):
        return "learning_rate"
    return metric.removeprefix("val_")


class Run:
    """The curves of one training run: epoch points and batch-level points, per metric."""

    def __init__(self, name):
        self.name = name
        self.epochs = {}  # metric -> ([x], [y]); x is the 1-based epoch
        self.batches = {}  # metric -> ([x], [y]); x is fractional: epoch + share of its steps

    @classmethod
    def from_history(cls, name, history):
        """A run from a `History` (or anything with a `.history` dict) or a dict of lists."""
        values = getattr(history, "history", history)
        if not isinstance(values, dict) or not all(isinstance(v, (list, tuple)) for v in values.values()):
            raise TypeError(
                "LiveCurves(compare=...) expects History objects (as returned by fit()) or dicts "
                f"of lists like {{'loss': [0.9, 0.5]}}. Received: {type(history).__name__}. Pass "
                "`model.fit(...)`'s return value, or `history.history`."
            )
        run = cls(name)
        epochs = list(getattr(history, "epoch", None) or [])
        for metric, series in values.items():
            xs = [e + 1 for e in epochs] if len(epochs) == len(series) else list(range(1, len(series) + 1))
            run.epochs[metric] = (xs, [float(v) for v in series])
        return run

    def add_epoch(self, epoch, logs):
        for metric, value in logs.items():
            xs, ys = self.epochs.setdefault(metric, ([], []))
            xs.append(epoch + 1)
            ys.append(value)

    def add_batch(self, x, values, max_points):
        for metric, value in values.items():
            xs, ys = self.batches.setdefault(metric, ([], []))
            xs.append(x)
            ys.append(value)
            if len(xs) > 4 * max_points:  # keep memory and cost bounded: halve the resolution
                self.batches[metric] = (xs[::2], ys[::2])

    def metrics_of(self, panel):
        names = [m for m in self.epochs if _panel_of(m) == panel]
        return sorted(names, key=lambda m: m.startswith("val_"))

    def epoch_points(self, metric):
        return self.epochs.get(metric, ([], []))

    def batch_points(self, metric):
        return self.batches.get(metric, ([], []))

    @property
    def last_epoch(self):
        return max((xs[-1] for xs, _ in self.epochs.values() if xs), default=0)

    def as_history(self):
        """The epoch values as a dict of lists, like `History.history` (to compare later runs)."""
        return {metric: list(ys) for metric, (_, ys) in self.epochs.items()}


class CurvesState:
    """What the chart shows, kept in Python: tests and tools read it without a browser.

    Attributes:
        runs: The compared runs, then the current run (`current`), as `Run` objects.
        monitor: The metric that picks the best epoch.
        best_epoch: The 0-based index of the best epoch so far, or None.
        best_value: The monitored value at that epoch.
        update_count: How many times the figure was rebuilt and sent to the display.
    """

    def __init__(self, runs, monitor):
        self.runs = runs
        self.current = runs[-1]
        self.monitor = monitor
        self.best_epoch = None
        self.best_value = None
        self.update_count = 0

    @property
    def panels(self):
        """Panel names: `loss` first, then each metric, then `learning_rate` if it ever changed."""
        panels = []
        for run in self.runs:
            for metric in run.epochs:
                panel = _panel_of(metric)
                if panel not in panels and panel != "learning_rate":
                    panels.append(panel)
        panels.sort(key=lambda p: p != "loss")
        if any(len(set(ys)) > 1 for run in self.runs for m, (_, ys) in run.epochs.items()
               if _panel_of(m) == "learning_rate"):
            panels.append("learning_rate")
        return panels

    def point_counts(self, run=None):
        """`{metric: number of epoch points}` of the current run (or of the run named `run`)."""
        chosen = self.current if run is None else next(r for r in self.runs if r.name == run)
        return {metric: len(xs) for metric, (xs, _) in chosen.epochs.items()}


class LiveCurves(Callback):
    """Live training curves in the notebook: one panel per metric, updated while `fit()` runs.

    The training and `val_` curves of a metric share a panel; the learning rate gets its own
    panel once it changes. Between epochs the panels show batch-level points (the running
    mean of the epoch so far, read from the device at most every `update_interval` seconds).
    A star and a dotted line mark the best epoch, the one `EarlyStopping(restore_best_weights=True)`
    or `ModelCheckpoint(save_best_only=True)` with the same `monitor` and `mode` would keep.
    Buttons in the figure switch the y axes to log scale and pick which run to show.

    The figure updates in place, at most every `update_interval` seconds, never clearing the
    other output of the cell; the last state is always drawn when training ends. Outside a
    Jupyter kernel (a script, a terminal) it draws nothing and keeps its state in `state`.
    Fitting again with the same callback keeps the earlier run for comparison.

    Args:
        monitor: The metric that picks the best epoch. Defaults to `"val_loss"` when the
            model validates, else `"loss"`.
        mode: `"auto"`, `"min"` or `"max"`, as for `EarlyStopping`.
        compare: Earlier runs to overlay: a list of `History` objects (what `fit()` returns)
            or dicts of lists, or a dict `{name: history}`.
        batch_points: Whether to draw batch-level points between epochs.
        max_points: The most points one curve may have; longer curves are decimated.
        update_interval: The least number of seconds between two updates of the figure.
        log_scale: Whether the y axes start in log scale.
        title: Optional figure title.

    Example:

    >>> first = model.fit(x, y, epochs=10, validation_split=0.2)  # doctest: +SKIP
    >>> curves = LiveCurves(compare=[first])  # doctest: +SKIP
    >>> model.fit(x, y, epochs=10, validation_split=0.2, callbacks=[curves])  # doctest: +SKIP
    >>> curves.state.best_epoch  # doctest: +SKIP
    """

    def __init__(self, monitor=None, mode="auto", compare=None, batch_points=True, max_points=500,
                 update_interval=0.2, log_scale=False, title=None):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"LiveCurves expects mode 'auto', 'min' or 'max'. Received: mode={mode!r}.")
        if not isinstance(max_points, int) or max_points < 10:
            raise ValueError(
                f"LiveCurves expects max_points to be an integer of at least 10. Received: "
                f"max_points={max_points!r}. Try max_points=500."
            )
        if not isinstance(update_interval, (int, float)) or update_interval < 0:
            raise ValueError(
                f"LiveCurves expects update_interval to be a number of seconds >= 0. Received: "
                f"update_interval={update_interval!r}. Try update_interval=0.2 (5 updates a second)."
            )
        if compare is None:
            compare = []
        if isinstance(compare, dict) and not all(isinstance(v, (list, tuple)) for v in compare.values()):
            runs = [Run.from_history(str(name), history) for name, history in compare.items()]
        else:
            if not isinstance(compare, (list, tuple)):
                compare = [compare]
            runs = [Run.from_history(f"run {i + 1}", history) for i, history in enumerate(compare)]
        self.state = CurvesState(runs + [Run(CURRENT_RUN)], monitor)
        self.mode = mode
        self.batch_points = batch_points
        self.max_points = max_points
        self.update_interval = update_interval
        self.log_scale = log_scale
        self.shown_run = ALL_RUNS
        self.title = title
        self.figure = None
        self.widget = None
        self._monitor_op = None
        self._last_update = -math.inf
        self._last_sample = -math.inf
        self._dirty = False
        self._epoch = 0
        self._steps = None

    def _needs_batch_hooks(self, mode):
        # Batch-level points are samples: one call per fused execution is enough.
        return False

    @property
    def history(self):
        """The current run's epoch values as a dict of lists (pass it to `compare=` later)."""
        return self.state.current.as_history()

    # -- hooks -----------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._steps = (self.params or {}).get("steps")
        self._last_update = -math.inf
        self.widget = None
        if _display.in_notebook():
            from workbench.notebook.plotly_widget import PlotlyFigureWidget, show_figure_widget

            choices = {"scale": "log" if self.log_scale else "linear", "run": self.shown_run}
            self.widget = show_figure_widget(PlotlyFigureWidget(css_class="workbench-live-curves", choices=choices))
        self._update()

    def on_epoch_begin(self, epoch, logs=None):
        current = self.state.current
        if epoch + 1 <= current.last_epoch:  # a new fit from the start: keep the old run to compare
            current.name = f"run {len(self.state.runs)}"
            self.state.runs.append(Run(CURRENT_RUN))
            self.state.current = self.state.runs[-1]
            self.state.best_epoch = self.state.best_value = None
        self._epoch = epoch
        self._last_sample = _clock()

    def on_train_batch_end(self, batch, logs=None):
        if not self.batch_points or not logs:
            return
        now = _clock()
        if now - self._last_sample >= self.update_interval and self._steps:
            self._last_sample = now
            # The one host sync of this callback between epochs, at most every update_interval.
            values = jax.device_get({k: v for k, v in logs.items() if not k.startswith("val_")})
            values = {k: float(v) for k, v in values.items() if getattr(v, "ndim", 0) == 0}
            self.state.current.add_batch(self._epoch + (batch + 1) / self._steps, values, self.max_points)
            self._dirty = True
        if self._dirty and now - self._last_update >= self.update_interval:
            self._update(now)

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: float(v) for k, v in (logs or {}).items() if isinstance(v, (int, float))}
        if not any(_panel_of(k) == "learning_rate" for k in logs):
            learning_rate = self._learning_rate()
            if learning_rate is not None:
                logs["learning_rate"] = learning_rate
        self.state.current.add_epoch(epoch, logs)
        self._track_best(epoch, logs)
        self._dirty = True
        now = _clock()
        if now - self._last_update >= self.update_interval:
            self._update(now)

    def on_train_end(self, logs=None):
        if self._dirty:
            self._update()

    # -- internals -------------------------------------------------------------------------
    def _learning_rate(self):
        optimizer = getattr(self._model, "optimizer", None)
        try:
            return float(np.asarray(optimizer.learning_rate))
        except (AttributeError, TypeError, ValueError):
            return None

    def _track_best(self, epoch, logs):
        state = self.state
        if state.monitor is None:
            state.monitor = "val_loss" if "val_loss" in logs else "loss"
        if state.monitor not in logs:
            return
        if self._monitor_op is None:
            self._monitor_op = self._direction(state.monitor)
        value = logs[state.monitor]
        if state.best_value is None or self._monitor_op(value, state.best_value):
            state.best_epoch, state.best_value = epoch, value

    def _direction(self, monitor):
        if self.mode != "auto":
            return operator.lt if self.mode == "min" else operator.gt
        name = monitor.removeprefix("val_")
        if name == "loss" or name.endswith("_loss"):
            return operator.lt
        for metric in _model_metrics(self._model):
            if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                return operator.gt if metric._direction == "up" else operator.lt
        return operator.gt if name in _HIGHER_IS_BETTER or name.endswith("accuracy") else operator.lt

    def _update(self, now=None):
        if self.widget is not None:  # choices made in the figure's menus come back through the widget
            choices = self.widget.choices
            self.log_scale = choices.get("scale", "linear") == "log"
            self.shown_run = choices.get("run", self.shown_run)
        self.figure = curves_figure(self.state, max_points=self.max_points, log_scale=self.log_scale,
                                    shown_run=self.shown_run, title=self.title)
        self.state.update_count += 1
        self._dirty = False
        self._last_update = _clock() if now is None else now
        if self.widget is not None:
            self.widget.summary = self.summary()
            self.widget.figure = self.figure

    def summary(self):
        """One line of text: the last epoch's values and the best epoch."""
        run = self.state.current
        last = {m: ys[-1] for m, (_, ys) in run.epochs.items() if ys}
        text = ", ".join(f"{m}={v:.4g}" for m, v in last.items()) or "no epoch yet"
        if self.state.best_epoch is not None:
            text += f" | best epoch {self.state.best_epoch + 1}: {self.state.monitor}={self.state.best_value:.4g}"
        return f"LiveCurves (epoch {run.last_epoch}): {text}"
