"""LiveCurves headless: the Python-side state and figure after fits, throttling, decimation."""

import json

import numpy as np
import pytest

import workbench as keras
from workbench.callbacks import History
from workbench.notebook import _display, live_curves
from workbench.notebook.curves_figure import curves_figure, decimate
from workbench.notebook.live_curves import LiveCurves


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x[:, :1] * 2).astype("float32")


def _model(optimizer="adam"):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    return model


def _traces(curves):
    return {trace["name"]: trace for trace in curves.figure["data"]}


def test_after_n_epochs_each_curve_has_n_points_and_train_and_val_share_a_panel():
    x, y = _data()
    curves = LiveCurves()
    _model().fit(x, y, epochs=3, batch_size=16, validation_split=0.25, callbacks=[curves], verbose=0)
    assert curves.state.panels == ["loss", "mae"]
    counts = curves.state.point_counts()
    assert {k: counts[k] for k in ("loss", "val_loss", "mae", "val_mae")} == {
        "loss": 3, "val_loss": 3, "mae": 3, "val_mae": 3}
    traces = _traces(curves)
    assert traces["loss"]["x"] == [1, 2, 3] and traces["loss"]["yaxis"] == traces["val_loss"]["yaxis"] == "y"
    assert traces["mae"]["yaxis"] == traces["val_mae"]["yaxis"] == "y2"
    assert curves.history["val_loss"] == pytest.approx(traces["val_loss"]["y"])


def test_best_epoch_is_what_early_stopping_would_keep():
    x, y = _data()
    curves = LiveCurves()
    stopper = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
    history = _model().fit(x, y, epochs=4, batch_size=16, validation_split=0.25, callbacks=[curves, stopper],
                           verbose=0)
    val_loss = history.history["val_loss"]
    assert curves.state.monitor == "val_loss"
    assert curves.state.best_epoch == int(np.argmin(val_loss)) == stopper.best_epoch
    star = _traces(curves)[f"best epoch ({curves.state.best_epoch + 1})"]
    assert star["x"] == [curves.state.best_epoch + 1] and star["y"] == [pytest.approx(min(val_loss))]
    assert len(curves.figure["layout"]["shapes"]) == len(curves.state.panels)  # a dotted line per panel


def test_monitor_defaults_to_loss_without_validation_and_mode_max_keeps_the_highest():
    curves = LiveCurves(mode="max")
    curves.set_params({"epochs": 3, "steps": 1})
    curves.on_train_begin()
    for epoch, loss in enumerate([0.5, 0.9, 0.7]):
        curves.on_epoch_begin(epoch)
        curves.on_epoch_end(epoch, {"loss": loss})
    curves.on_train_end()
    assert (curves.state.monitor, curves.state.best_epoch, curves.state.best_value) == ("loss", 1, 0.9)


def test_learning_rate_panel_appears_only_when_the_rate_changes():
    x, y = _data()
    constant = LiveCurves()
    _model().fit(x, y, epochs=3, batch_size=16, callbacks=[constant], verbose=0)
    assert constant.state.point_counts()["learning_rate"] == 3
    assert "learning_rate" not in constant.state.panels
    changing = LiveCurves()
    decay = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5)
    _model(keras.optimizers.SGD(decay)).fit(x, y, epochs=3, batch_size=16, callbacks=[changing], verbose=0)
    assert changing.state.panels == ["loss", "mae", "learning_rate"]
    assert _traces(changing)["learning_rate"]["y"] == pytest.approx([0.05, 0.025, 0.0125])


def test_compare_overlays_earlier_runs_with_a_run_picker():
    x, y = _data()
    model = _model()
    first = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    curves = LiveCurves(compare=[first, {"loss": [3.0, 2.0, 1.0]}])
    model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, callbacks=[curves], verbose=0)
    assert [run.name for run in curves.state.runs] == ["run 1", "run 2", "this run"]
    traces = _traces(curves)
    assert traces["val_loss (run 1)"]["y"] == pytest.approx(first.history["val_loss"])
    assert traces["loss (run 2)"]["x"] == [1, 2, 3] and traces["loss (run 2)"]["line"]["dash"] != "solid"
    picker = curves.figure["layout"]["updatemenus"][1]
    assert [b["label"] for b in picker["buttons"]] == ["all runs", "run 1", "run 2", "this run"]
    only_run_2 = picker["buttons"][2]["args"][0]["visible"]
    names = [t["name"] for t in curves.figure["data"]]
    assert [n for n, v in zip(names, only_run_2) if v] == ["loss (run 2)"]


def test_fitting_again_keeps_the_previous_run_for_comparison():
    x, y = _data()
    model, curves = _model(), LiveCurves()
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[curves], verbose=0)
    model.fit(x, y, epochs=3, batch_size=16, callbacks=[curves], verbose=0)
    assert [r.name for r in curves.state.runs] == ["run 1", "this run"]
    assert curves.state.point_counts("run 1")["loss"] == 2 and curves.state.point_counts()["loss"] == 3


def test_compare_rejects_what_is_not_a_history():
    with pytest.raises(TypeError, match="compare=.*History.*Received: int"):
        LiveCurves(compare=[3])
    with pytest.raises(ValueError, match="mode 'auto', 'min' or 'max'. Received: mode='best'"):
        LiveCurves(mode="best")
    with pytest.raises(ValueError, match="max_points.*Received: max_points=2"):
        LiveCurves(max_points=2)


def test_a_fast_loop_is_throttled_and_the_final_state_is_complete(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(live_curves, "_clock", lambda: now[0])
    curves = LiveCurves(update_interval=0.2)
    curves.set_params({"epochs": 100, "steps": 10})
    curves.on_train_begin()
    for epoch in range(100):  # 100 epochs in one second
        curves.on_epoch_begin(epoch)
        for step in range(10):
            now[0] += 0.001
            curves.on_train_batch_end(step, {"loss": np.float32(1.0 / (epoch + 1))})
        curves.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1)})
    curves.on_train_end()
    # one at the start, at most one per 0.2 s, one final flush
    assert curves.state.update_count <= 1 + 5 + 1
    assert _traces(curves)["loss"]["x"] == list(range(1, 101))
    assert curves.state.best_epoch == 99


def test_long_histories_are_decimated_to_a_bounded_figure():
    curves = LiveCurves(max_points=50, update_interval=0)
    curves.set_params({"epochs": 5000, "steps": 1})
    curves.on_train_begin()
    values = np.linspace(2, 1, 5000)
    for epoch in range(5000):
        curves.on_epoch_begin(epoch)
        curves.on_epoch_end(epoch, {"loss": float(values[epoch]) + (0.5 if epoch == 3333 else 0)})
    curves.on_train_end()
    loss = _traces(curves)["loss"]
    assert len(loss["x"]) <= 51 and loss["x"][0] == 1 and loss["x"][-1] == 5000
    assert curves.state.best_epoch + 1 in loss["x"]  # the best point survives decimation
    assert len(json.dumps(curves.figure)) < 20_000
    assert decimate(list(range(10)), list(range(10)), 20) == (list(range(10)), list(range(10)))


def test_batch_points_are_sampled_between_epochs_and_bounded(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(live_curves, "_clock", lambda: now[0])
    curves = LiveCurves(max_points=10, update_interval=0.2)
    curves.set_params({"epochs": 2, "steps": 100})
    curves.on_train_begin()
    for epoch in range(2):
        curves.on_epoch_begin(epoch)
        for step in range(100):
            now[0] += 0.05
            curves.on_train_batch_end(step, {"loss": np.float32(step), "mae": np.float32(1)})
        curves.on_epoch_end(epoch, {"loss": 1.0, "mae": 1.0})
    curves.on_train_end()
    xs, _ = curves.state.current.batch_points("loss")
    assert 10 <= len(xs) <= 40 and all(0 < v <= 2 for v in xs)  # 50 samples, halved past 4*max
    batch = _traces(curves)["loss (batches)"]
    assert batch["mode"] == "lines" and len(batch["x"]) <= 10


def test_no_front_end_means_no_output_and_no_widget(capsys):
    assert not _display.in_notebook()
    x, y = _data()
    curves = LiveCurves()
    _model().fit(x, y, epochs=2, batch_size=16, callbacks=[curves], verbose=0)
    assert curves.widget is None and curves.state.update_count >= 2
    assert capsys.readouterr().out == ""


def test_in_a_kernel_the_widget_holds_the_figure_and_the_view_choices(monkeypatch):
    shown = []
    monkeypatch.setattr(_display, "in_notebook", lambda: True)
    monkeypatch.setattr("workbench.notebook.plotly_widget.display", lambda *a, **k: shown.append(a[0]))
    x, y = _data()
    curves = LiveCurves()
    _model().fit(x, y, epochs=2, batch_size=16, callbacks=[curves], verbose=0)
    assert shown[0]["application/vnd.plotly.v1+json"]["layout"]["meta"] == "workbench-plotly-loader"
    assert shown[1] is curves.widget and curves.widget.figure == curves.figure
    assert "best epoch" in curves.widget.summary
    assert len(curves.widget._esm) < 10_000  # the view only: no plotly.js inside
    assert curves.widget.css_class == "workbench-live-curves"
    curves.widget.choices = {**curves.widget.choices, "scale": "log"}  # as the view does when "log" is clicked
    curves._update()
    assert curves.figure["layout"]["yaxis"]["type"] == "log"


def test_figure_of_an_empty_state_waits_for_the_first_epoch():
    figure = curves_figure(LiveCurves().state)
    assert figure["data"] == [] and "waiting" in figure["layout"]["annotations"][0]["text"]


def test_history_objects_keep_their_epoch_numbers():
    history = History()
    history.epoch, history.history = [2, 3], {"loss": [0.4, 0.3]}
    curves = LiveCurves(compare={"resumed": history})
    assert curves.state.runs[0].epoch_points("loss") == ([3, 4], [0.4, 0.3])
