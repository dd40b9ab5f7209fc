"""What LiveCurves adds to fit(): the MLP 784-256-256-10, batch 128, from fit_overhead.py.

Each round fits the same model for `--epochs` epochs with and without a LiveCurves callback (in
alternating order, after a warm-up), and reports the fastest and the median wall time of each. On a
busy machine the wall times are noisy, so it also reports the time spent inside the callback's own
hooks (the host syncs of its batch samples included), which does not depend on the noise.
`--widget` also attaches the notebook widget (its figure is serialized as a kernel would send it).
Run: `python benchmarks/live_curves_overhead.py`. The issue's budget is 3%.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import workbench as keras  # noqa: E402
from workbench.notebook import _display  # noqa: E402
from workbench.notebook.live_curves import LiveCurves  # noqa: E402


def build():
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def timed_fit(model, x, y, epochs, callbacks):
    start = time.perf_counter()
    model.fit(x, y, batch_size=128, epochs=epochs, verbose=0, shuffle=False, validation_split=0.1,
              callbacks=callbacks)
    return time.perf_counter() - start


_HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")


def instrumented(curves, spent):
    """`curves` with each hook timed into `spent[0]`."""
    for name in _HOOKS:
        hook = getattr(curves, name)

        def timed(*args, hook=hook, **kwargs):
            start = time.perf_counter()
            try:
                return hook(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        setattr(curves, name, timed)
    return curves


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--widget", action="store_true", help="attach the notebook widget too")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128 * 48, 784)).astype("float32")
    y = rng.integers(0, 10, size=(128 * 48,)).astype("int32")
    model = build()
    timed_fit(model, x, y, 1, [])  # compile
    timed_fit(model, x, y, 1, [LiveCurves()])
    if args.widget:
        from workbench.notebook import plotly_widget

        _display.in_notebook = lambda: True
        plotly_widget.display = lambda *a, **k: None
    plain, live, updates, in_hooks = [], [], [], []
    for round_index in range(args.rounds):
        order = (False, True) if round_index % 2 == 0 else (True, False)
        for with_curves in order:
            spent = [0.0]
            curves = instrumented(LiveCurves(), spent)
            seconds = timed_fit(model, x, y, args.epochs, [curves] if with_curves else [])
            (live if with_curves else plain).append(seconds)
            if with_curves:
                updates.append(curves.state.update_count)
                in_hooks.append(spent[0])
    print(f"MLP 784-256-256-10, batch 128, {args.epochs} epochs x 48 steps (+ validation), "
          f"{args.rounds} rounds{', widget attached' if args.widget else ''}")
    for label, statistic in (("fastest", min), ("median", statistics.median)):
        base, with_live = statistic(plain), statistic(live)
        print(f"  {label}: without {base:.3f} s, with LiveCurves {with_live:.3f} s: "
              f"{100 * (with_live - base) / base:+.2f}%")
    hooks, base = statistics.median(in_hooks), min(plain)
    print(f"  inside LiveCurves' hooks: {1000 * hooks:.1f} ms per fit = {100 * hooks / base:.2f}% of the fastest "
          f"fit without it ({statistics.median(updates)} figure updates per fit)")

if __name__ == "__main__":
    main()
