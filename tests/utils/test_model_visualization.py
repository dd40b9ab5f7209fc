"""plot_model writes real images with no Graphviz; model_to_dot needs pydot and says so."""

import inspect
import sys
import types
import xml.etree.ElementTree as ElementTree

import pytest

import workbench as keras
from workbench import layers
from workbench.api_export import get_object_for_name
from workbench.utils import model_to_dot, plot_model

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def residual():
    inputs = keras.Input((16,), name="features")
    x = layers.Dense(16, activation="relu", name="hidden")(inputs)
    y = layers.Dense(16, name="branch")(x)
    inner_in = keras.Input((16,), name="inner_in")
    inner = keras.Model(inner_in, layers.Dense(16, name="inner_dense")(inner_in), name="inner")
    merged = layers.Add(name="merge")([x, inner(y)])
    return keras.Model(inputs, layers.Dense(3, activation="softmax", name="probs")(merged), name="residual")


def test_png_is_written_and_readable(residual, tmp_path):
    from PIL import Image

    path = tmp_path / "model.png"
    result = plot_model(residual, to_file=str(path), show_shapes=True, show_layer_names=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        width, height = image.size
        assert 200 < width < 5000 and 300 < height < 8000
        assert len(image.getcolors(1 << 20)) > 10  # boxes, text and edges were drawn
    assert type(result).__name__ == "Image"


def test_dpi_scales_the_raster_image(residual, tmp_path):
    from PIL import Image

    plot_model(residual, to_file=str(tmp_path / "a.png"), dpi=72)
    plot_model(residual, to_file=str(tmp_path / "b.png"), dpi=144)
    with Image.open(tmp_path / "a.png") as a, Image.open(tmp_path / "b.png") as b:
        assert b.size[0] == pytest.approx(2 * a.size[0], abs=2)
        assert b.size[1] == pytest.approx(2 * a.size[1], abs=2)


def test_svg_parses_and_names_every_layer(residual, tmp_path):
    path = tmp_path / "model.svg"
    plot_model(residual, to_file=str(path), show_layer_names=True, expand_nested=True, show_shapes=True)
    root = ElementTree.parse(path).getroot()
    texts = [element.text for element in root.iter(SVG + "text")]
    names = ["features", "hidden", "branch", "inner_dense", "merge", "probs"]
    assert all(any(text.startswith(name + " (") for text in texts) for name in names)
    assert "Output shape: (None, 3)" in texts
    assert len([g for g in root.iter(SVG + "g") if g.get("class") == "node"]) == len(names)
    assert [g.find(SVG + "text").text for g in root.iter(SVG + "g") if g.get("class") == "group"] == ["inner"]
    assert len(list(root.iter(SVG + "polyline"))) == 6


def test_lr_layout_runs_left_to_right(residual, tmp_path):
    from PIL import Image

    plot_model(residual, to_file=str(tmp_path / "tb.png"), dpi=72)
    plot_model(residual, to_file=str(tmp_path / "lr.png"), dpi=72, rankdir="LR")
    with Image.open(tmp_path / "tb.png") as tb, Image.open(tmp_path / "lr.png") as lr:
        assert tb.size[1] > tb.size[0] and lr.size[0] > lr.size[1]


def test_optional_lines_follow_the_flags(residual, tmp_path):
    path = tmp_path / "m.svg"
    plot_model(residual, to_file=str(path), show_dtype=True, show_layer_activations=True, show_trainable=True)
    texts = [e.text for e in ElementTree.parse(path).getroot().iter(SVG + "text")]
    assert "Dense" in texts and not any(t.startswith("hidden (") for t in texts)  # names off by default
    assert "Activation: relu" in texts and "Activation: softmax" in texts
    assert "Output dtype: float32" in texts and "Trainable: True" in texts


@pytest.mark.parametrize("suffix,magic", [(".jpg", b"\xff\xd8"), (".pdf", b"%PDF"), ("", b"\x89PNG")])
def test_other_formats(residual, tmp_path, suffix, magic):
    path = tmp_path / f"model{suffix}"
    plot_model(residual, to_file=str(path), dpi=50)
    assert path.read_bytes()[: len(magic)] == magic


def test_sequential_and_subclassed_models_are_drawn(tmp_path):
    sequential = keras.Sequential([keras.Input((4,)), layers.Dense(2, name="only")])
    plot_model(sequential, to_file=str(tmp_path / "s.svg"), show_layer_names=True)
    assert "only (Dense)" in (tmp_path / "s.svg").read_text()

    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.a, self.b = layers.Dense(3, name="a"), layers.Dense(1, name="b")

        def call(self, x):
            return self.b(self.a(x))

    import numpy as np

    tiny = Tiny()
    tiny(np.zeros((2, 5), "float32"))
    plot_model(tiny, to_file=str(tmp_path / "t.svg"), show_layer_names=True)
    svg = (tmp_path / "t.svg").read_text()
    assert "a (Dense)" in svg and 'stroke-dasharray="5 4"' in svg  # order, not data flow


def test_bad_arguments_raise_clear_errors(residual, tmp_path):
    with pytest.raises(ValueError, match=r"\.png, \.jpg.*to_file='.*model\.bmp'.*'bmp'"):
        plot_model(residual, to_file=str(tmp_path / "model.bmp"))
    with pytest.raises(ValueError, match=r"`rankdir` must be one of .*rankdir='XY'"):
        plot_model(residual, to_file=str(tmp_path / "m.png"), rankdir="XY")
    with pytest.raises(ValueError, match=r"unrecognized keyword arguments: \['colour'\]"):
        plot_model(residual, to_file=str(tmp_path / "m.png"), colour="red")
    with pytest.raises(ValueError, match="layer_range"):
        plot_model(residual, to_file=str(tmp_path / "m.png"), layer_range=("hidden", "probs"))
    with pytest.raises(ValueError, match=r"`dpi` must be a positive number.*dpi=0"):
        plot_model(residual, to_file=str(tmp_path / "m.png"), dpi=0)
    with pytest.raises(ValueError, match="not built yet.*model.build"):
        plot_model(keras.Sequential([layers.Dense(2)]), to_file=str(tmp_path / "m.png"))


def test_signature_matches_keras():
    keras_oracle = pytest.importorskip("keras")
    for ours, theirs in [(plot_model, keras_oracle.utils.plot_model),
                         (model_to_dot, keras_oracle.utils.model_to_dot)]:
        assert inspect.signature(ours) == inspect.signature(theirs)
    assert get_object_for_name("keras.utils.plot_model") is plot_model
    assert get_object_for_name("keras.utils.model_to_dot") is model_to_dot


def test_model_to_dot_without_pydot_points_to_plot_model(residual, monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match=r"needs pydot.*plot_model\(model, to_file='model.svg'\)"):
        model_to_dot(residual)


def test_model_to_dot_builds_a_pydot_graph_when_pydot_is_there(residual, monkeypatch):
    class Dot:
        def __init__(self, graph_type):
            self.attributes, self.nodes, self.edges = {}, [], []

        def set(self, key, value):
            self.attributes[key] = value

        def set_node_defaults(self, **kwargs):
            pass

        def add_node(self, node):
            self.nodes.append(node)

        def add_edge(self, edge):
            self.edges.append(edge)

    fake = types.SimpleNamespace(Dot=Dot, Node=lambda name, **kw: (name, kw), Edge=lambda a, b: (a, b))
    monkeypatch.setitem(sys.modules, "pydot", fake)
    dot = model_to_dot(residual, show_shapes=True, rankdir="LR")
    assert dot.attributes["rankdir"] == "LR"
    assert [name for name, _ in dot.nodes] == ["features", "hidden", "branch", "inner", "merge", "probs"]
    assert ("merge", "probs") in dot.edges
    assert "Output shape: (None, 3)" in dict(dot.nodes)["probs"]["label"]
