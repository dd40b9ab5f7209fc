"""The notebook progress bar: picked by fit(verbose="auto") in a kernel, tqdm widgets driven headless."""

import numpy as np

import workbench as keras
from workbench.callbacks import CallbackList, ProgbarLogger
from workbench.notebook import _display, progress
from workbench.notebook.progress import NotebookProgbarLogger


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def _data(n=64):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 4)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def test_outside_a_kernel_auto_keeps_the_text_bar():
    assert not _display.in_notebook()
    callbacks = CallbackList([], add_progbar="auto")
    assert type(callbacks._progbar) is ProgbarLogger


def test_in_a_kernel_auto_picks_the_widget_bar_but_verbose_1_keeps_text(monkeypatch):
    monkeypatch.setattr(_display, "in_notebook", lambda: True)
    assert type(CallbackList([], add_progbar="auto")._progbar) is NotebookProgbarLogger
    assert type(CallbackList([], add_progbar=True)._progbar) is ProgbarLogger


def test_fit_auto_in_a_kernel_runs_the_widget_bar_to_completion(monkeypatch):
    monkeypatch.setattr(_display, "in_notebook", lambda: True)
    seen = []
    original = NotebookProgbarLogger.on_train_end

    def record(self, logs=None):
        seen.append(self)
        original(self, logs)

    monkeypatch.setattr(NotebookProgbarLogger, "on_train_end", record)
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=16, epochs=3, validation_data=(x, y))
    (bar,) = seen
    assert bar.epoch_bar.n == bar.epoch_bar.total == 3
    assert bar.step_bar.n == bar.step_bar.total == 4
    assert set(bar.epoch_bar.postfix.split(", ")) >= {"loss=" + f"{model.history.history['loss'][-1]:.4f}"}
    assert "val_mae" in bar.epoch_bar.postfix
    assert bar.step_bar.desc.startswith("Epoch 3/3")


def test_evaluate_and_predict_auto_in_a_kernel_show_one_finished_bar(monkeypatch):
    monkeypatch.setattr(_display, "in_notebook", lambda: True)
    bars = []
    original = NotebookProgbarLogger._new_bar

    def record(self, *args):
        bar = original(self, *args)
        bars.append(bar)
        return bar

    monkeypatch.setattr(NotebookProgbarLogger, "_new_bar", record)
    x, y = _data()
    model = _model()
    model.evaluate(x, y, batch_size=16)
    model.predict(x, batch_size=32)
    assert [(bar.desc.split(":")[0], bar.n, bar.total) for bar in bars] == [("Evaluate", 4, 4), ("Predict", 2, 2)]
    assert "mae" in bars[0].postfix


def test_step_metrics_are_read_at_most_ten_times_a_second(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(progress, "_clock", lambda: now[0])
    reads = []
    original = progress._format_logs
    monkeypatch.setattr(progress, "_format_logs", lambda logs: reads.append(1) or original(logs))
    bar = NotebookProgbarLogger()
    bar.set_params({"verbose": 1, "epochs": 1, "steps": 100})
    bar.on_train_begin()
    bar.on_epoch_begin(0)
    for step in range(100):
        now[0] += 0.01  # 100 steps in one second
        bar.on_train_batch_end(step, {"loss": np.float32(step)})
    assert 9 <= len(reads) <= 11
    bar.on_epoch_end(0, {"loss": 1.0})
    bar.on_train_end()
    assert bar.step_bar.n == 100


def test_in_notebook_needs_a_zmq_shell_with_a_kernel(monkeypatch):
    import types

    class ZMQInteractiveShell:
        kernel = object()

    class TerminalInteractiveShell:
        kernel = None

    for shell, expected in [(ZMQInteractiveShell(), True), (TerminalInteractiveShell(), False), (None, False)]:
        fake = types.SimpleNamespace(get_ipython=lambda shell=shell: shell)
        monkeypatch.setitem(__import__("sys").modules, "IPython", fake)
        assert _display.in_notebook() is expected
