"""model.summary() in notebooks: an HTML table next to the unchanged text; terminals keep the text."""

import pytest

import workbench as keras
from workbench import layers
from workbench.utils import summary_utils
from workbench.utils.summary_html import summary_html


@pytest.fixture
def model():
    inputs = keras.Input((6,), name="features")
    x = layers.Dense(8, name="hidden")(inputs)
    x = layers.BatchNormalization(name="norm")(x)
    inner_in = keras.Input((8,), name="inner_in")
    inner = keras.Model(inner_in, layers.Dense(4, name="inner_dense")(inner_in), name="inner")
    outputs = layers.Concatenate(name="join")([inner(x), x])
    return keras.Model(inputs, outputs, name="demo")


def printed(model, **options):
    lines = []
    model.summary(print_fn=lines.append, **options)
    return lines


def test_html_has_every_layer_and_the_totals(model):
    html = summary_html(model)
    for name in ["features", "hidden", "norm", "inner", "join"]:
        assert f"<b>{name}</b>" in html
    assert "(Dense)</span>" in html and "(Functional)</span>" in html
    total = model.count_params()
    assert f"<b>Total params:</b> {total:,} " in html
    assert "<b>Non-trainable params:</b> 16 " in html  # the moving mean and variance
    assert "<th>Connected to</th>" in html


def test_html_shows_nested_layers_indented_when_expanded(model):
    html = summary_html(model, expand_nested=True, show_trainable=True)
    assert "└ </span><b>inner_dense</b>" in html
    assert "<th>Trainable</th>" in html


def test_text_goes_to_print_fn_outside_notebooks(model, capsys):
    assert not summary_utils.in_notebook_kernel()
    model.summary()
    assert capsys.readouterr().out.splitlines() == printed(model)
    assert printed(model)[0] == 'Model: "demo"'


def test_notebook_kernels_get_html_and_the_same_text_in_one_display(model, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(summary_utils, "in_notebook_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    model.summary(line_length=90)
    (bundle, options), = shown
    assert options == {"raw": True}
    assert bundle["text/plain"].splitlines() == printed(model, line_length=90)
    assert "<table>" in bundle["text/html"] and "<b>join</b>" in bundle["text/html"]
    shown.clear()
    lines = printed(model)  # an explicit print_fn keeps the text path
    assert shown == [] and lines[0] == 'Model: "demo"'


def test_models_render_as_their_summary_in_notebooks(model):
    assert model._repr_html_() == summary_html(model)
    assert keras.Sequential([layers.Dense(2)])._repr_html_() is None  # not built: plain repr
