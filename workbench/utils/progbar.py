"""A text progress bar, as `keras.utils.Progbar`, that reads device values only when it draws."""

import math
import sys
import time

import jax
import numpy as np

from workbench.api_export import keras_export

# Progbar reads the clock through this name, so tests can drive it with a fake clock.
_clock = time.perf_counter

# Past this many unread values for one metric, fold them into the running total.
_MAX_PENDING = 1024

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"


def _write(message):
    sys.stdout.write(message)
    sys.stdout.flush()


def _to_float(value):
    value = np.asarray(value)
    return float(value if value.ndim == 0 else value.mean())


def _format_number(value):
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


def _format_duration(seconds):
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _format_time_per_unit(seconds, unit_name):
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


@keras_export("keras.utils.Progbar")
class Progbar:
    """Displays a progress bar.

    Values may be JAX device scalars. The bar keeps them as they are and reads them
    from the device only when it draws, in one transfer, so a fast loop that calls
    `update()` every step costs no host sync between refreshes.

    Args:
        target: Total number of steps expected, None if unknown.
        width: Progress bar width on screen.
        verbose: Verbosity mode: 0 (silent), 1 (a bar, redrawn at most once per
            `interval`), 2 (one line when the target is reached).
        interval: Minimum time between two redraws, in seconds.
        stateful_metrics: Names of metrics shown as they are. Every other metric is
            averaged over the steps seen. Give this or `stateless_metrics`, not both.
        stateless_metrics: Names of metrics that are averaged. Every other metric is
            shown as it is.
        unit_name: Display name for step counts (usually "step" or "sample").

    Example:

    >>> bar = Progbar(10, verbose=2)
    >>> for step in range(1, 11):
    ...     bar.update(step, [("loss", 1.0 / step)])  # doctest: +SKIP
    10/10 - 0s - 0us/step - loss: 0.2929
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar takes `stateful_metrics` or `stateless_metrics`, not both. Received: "
                f"stateful_metrics={stateful_metrics}, stateless_metrics={stateless_metrics}."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ()) if stateless_metrics is None else None
        self.stateless_metrics = set(stateless_metrics) if stateless_metrics is not None else None
        self._dynamic_display = (
            (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()) or "ipykernel" in sys.modules
        )
        self._seen_so_far = 0
        # name -> [total, count]: `total` is a host float or the latest raw value of a
        # stateful metric; `_pending` holds the weighted raw values not yet read.
        self._values = {}
        self._pending = {}
        self._start = _clock()
        self._last_update = -math.inf
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _is_averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Updates the progress bar.

        Args:
            current: Index of the current step.
            values: List of `(name, value_for_last_step)` tuples. Averaged metrics
                are averaged over the steps seen; the others are shown as given.
            finalize: Whether this is the last update. Defaults to
                `current >= self.target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            self._record(name, value, current, finalize)
        self._seen_so_far = current

        now = _clock()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw_bar(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target:
            self._draw_line(current, now, time_per_unit)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, name, value, current, finalize):
        if name not in self._values:
            self._values[name] = [0.0, 0]
            self._pending[name] = []
        if not self._is_averaged(name) or finalize:
            self._values[name] = [value, 1]
            self._pending[name] = []
            return
        # At least 1, so a finalizing repeat of the last step still counts.
        weight = max(current - self._seen_so_far, 1)
        self._pending[name].append((value, weight))
        self._values[name][1] += weight
        if len(self._pending[name]) > _MAX_PENDING:
            self._read_values()

    def _read_values(self):
        """Reads all values from the device in one transfer; returns name -> mean."""
        raw = jax.device_get({name: (self._values[name][0], self._pending[name])
                              for name in self._values})
        means = {}
        for name in self._values:  # in first-seen order; device_get sorts dict keys
            total, pending = raw[name]
            total = _to_float(total) + sum(_to_float(v) * w for v, w in pending)
            self._values[name][0] = total
            self._pending[name] = []
            means[name] = total / max(1, self._values[name][1])
        return means

    def _metrics_text(self, separator):
        return "".join(f"{separator}{name}: {_format_number(mean)}"
                       for name, mean in self._read_values().items())

    def _draw_bar(self, current, now, time_per_unit, finalize):
        if self.target:
            digits = int(math.log10(self.target)) + 1
            count = f"{current:{digits}d}/{self.target}"
            done = min(int(self.width * current / self.target), self.width)
            bar_parts = [(count, _BOLD), (" ", ""), ("━" * done, _GREEN),
                         ("━" * (self.width - done), _GREY)]
        else:
            bar_parts = [(f"{current:7d}/Unknown", "")]
        if self.target and not finalize:
            timing = _format_duration(time_per_unit * (self.target - current))  # the ETA
        else:
            timing = f"{now - self._start:.0f}s"  # time taken
        parts = bar_parts + [
            (" ", ""), (timing, _BOLD),
            (" " + _format_time_per_unit(time_per_unit, self.unit_name), ""),
            (self._metrics_text(" - "), ""),
        ]
        plain = "".join(text for text, _ in parts)
        if self._dynamic_display:
            styled = "".join(f"{style}{text}{_RESET}" if style and text else text
                             for text, style in parts)
            padding = " " * max(self._prev_total_width - len(plain), 0)
            message = "\r" + styled + padding + ("\n" if finalize else "")
        else:
            message = plain + "\n"
        self._prev_total_width = len(plain)
        _write(message)

    def _draw_line(self, current, now, time_per_unit):
        digits = int(math.log10(self.target)) + 1
        line = (f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s - "
                f"{_format_time_per_unit(time_per_unit, self.unit_name)}")
        _write(line + self._metrics_text(" - ") + "\n")

    def _estimate_step_duration(self, current, now):
        """Seconds per step, leaving out the first step (compilation) once there are more."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit
