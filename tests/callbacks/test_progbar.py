import re

import jax.numpy as jnp
import pytest

from tests.layer_test import keras_oracle
from workbench.utils import Progbar
from workbench.utils import progbar as progbar_module

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class CountingScalar:
    """A device value stand-in that counts how often it is read to the host."""

    reads = 0

    def __init__(self, value):
        self.value = value

    def __array__(self, dtype=None, copy=None):
        CountingScalar.reads += 1
        import numpy as np

        return np.asarray(self.value, dtype=dtype)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(progbar_module, "_clock", fake)
    return fake


def visible_lines(text):
    """Each drawn frame: ANSI codes and backspaces dropped, split where a redraw starts."""
    text = ANSI.sub("", text).replace("\b", "")
    return [frame.rstrip() for frame in re.split(r"[\r\n]", text) if frame.strip()]


def keras_lines(monkeypatch, capsys, script, **kwargs):
    """Runs `script(bar, clock)` on real Keras's Progbar with a fake clock."""
    keras_oracle()
    from keras.src.utils import progbar as keras_progbar

    fake = FakeClock()
    monkeypatch.setattr(keras_progbar, "time", type("T", (), {"time": staticmethod(fake)}))
    bar = keras_progbar.Progbar(**kwargs)
    capsys.readouterr()
    script(bar, fake)
    return visible_lines(capsys.readouterr().out)


def our_lines(clock, capsys, script, **kwargs):
    bar = Progbar(**kwargs)
    capsys.readouterr()
    script(bar, clock)
    return visible_lines(capsys.readouterr().out)


def three_steps_then_done(bar, clock):
    for step in (1, 2, 3):
        clock.now += 0.005
        bar.update(step, [("loss", 0.1234), ("tiny", 0.00001)])
    for step in range(4, 11):
        clock.now += 0.005
        bar.update(step, [("loss", 0.1234), ("tiny", 0.00001)])


def test_bar_line_reads_like_keras(clock, capsys):
    def script(bar, fake):
        fake.now += 0.015
        bar.update(3, [("loss", 0.1234)])

    ours = our_lines(clock, capsys, script, target=10)
    assert ours == [" 3/10 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.1234"]


@pytest.mark.parametrize("verbose", [1, 2])
def test_output_matches_keras_progbar(clock, capsys, monkeypatch, verbose):
    ours = our_lines(clock, capsys, three_steps_then_done, target=10, verbose=verbose, interval=0)
    theirs = keras_lines(monkeypatch, capsys, three_steps_then_done, target=10, verbose=verbose,
                         interval=0)
    assert ours[-1] == theirs[-1]
    if verbose == 2:
        assert ours == theirs == ["10/10 - 0s - 5ms/step - loss: 0.1234 - tiny: 1.0000e-05"]


def test_unknown_target_counts_up(clock, capsys):
    def script(bar, fake):
        fake.now += 0.5
        bar.update(5, [("loss", 2.0)])
        fake.now += 0.5
        bar.update(7, finalize=True)

    assert our_lines(clock, capsys, script, target=None) == [
        "      5/Unknown 0s 100ms/step - loss: 2.0000",
        "      7/Unknown 1s 143ms/step - loss: 2.0000",
    ]


@pytest.fixture
def transfers(monkeypatch):
    """Counts the calls that read values from the device."""
    calls = []
    real = progbar_module.jax.device_get
    monkeypatch.setattr(progbar_module.jax, "device_get", lambda tree: calls.append(1) or real(tree))
    return calls


def test_many_fast_updates_draw_few_times_and_read_the_device_once_per_draw(clock, capsys,
                                                                             transfers):
    bar = Progbar(target=1000, interval=0.1)
    capsys.readouterr()
    for step in range(1, 1001):
        clock.now += 0.001  # 1000 steps in one second
        bar.update(step, [("loss", jnp.float32(0.5))])
    draws = len(visible_lines(capsys.readouterr().out))
    assert 2 <= draws <= 12  # about 10 a second, plus the final line
    assert len(transfers) == draws


def test_stateful_metrics_read_each_drawn_value_once(clock, capsys):
    CountingScalar.reads = 0
    bar = Progbar(target=1000, interval=0.1, stateless_metrics=())
    for step in range(1, 1001):
        clock.now += 0.001
        bar.update(step, [("loss", CountingScalar(0.5)), ("acc", CountingScalar(0.25))])
    draws = len(visible_lines(capsys.readouterr().out))
    assert CountingScalar.reads == 2 * draws


def test_averages_stateless_metrics_weighted_by_steps(clock, capsys):
    bar = Progbar(target=4, verbose=2)
    bar.update(1, [("loss", jnp.float32(1.0)), ("lr", 0.5)])
    bar.update(3, [("loss", jnp.float32(4.0)), ("lr", 0.5)])  # counts for 2 steps
    assert bar._read_values()["loss"] == pytest.approx((1 + 4 * 2) / 3)
    bar_stateful = Progbar(target=4, stateful_metrics=["loss"], verbose=0)
    bar_stateful.update(1, [("loss", 1.0)])
    bar_stateful.update(2, [("loss", 3.0)])
    assert bar_stateful._read_values()["loss"] == 3.0


def test_add_advances_and_finalizes_at_target(clock, capsys):
    bar = Progbar(target=3, verbose=2)
    bar.add(1, [("loss", 1.0)])
    bar.add(2, [("loss", 3.0)])
    assert bar._seen_so_far == 3
    assert visible_lines(capsys.readouterr().out) == ["3/3 - 0s - 0s/step - loss: 3.0000"]


def test_verbose_zero_prints_nothing(clock, capsys):
    bar = Progbar(target=2, verbose=0)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_rejects_both_metric_lists():
    with pytest.raises(ValueError, match="not both"):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


def test_signature_matches_keras():
    import inspect

    keras = keras_oracle()
    assert inspect.signature(Progbar) == inspect.signature(keras.utils.Progbar)
    for method in ("update", "add"):
        assert inspect.signature(getattr(Progbar, method)) == inspect.signature(
            getattr(keras.utils.Progbar, method))
