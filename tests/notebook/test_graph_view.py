"""GraphView: the state stays in Python, expand/collapse redraws in place, the figure is valid plotly."""

import json
import xml.etree.ElementTree as ElementTree

import pytest

from workbench.notebook import GraphView, plot_model


def node_ids(view):
    return [node.id for node in view.nodes]


def test_plot_model_returns_a_view_of_the_collapsed_graph(nested):
    view = plot_model(nested)
    assert isinstance(view, GraphView)
    assert node_ids(view) == ["tokens", "block", "wrapper", "head"]
    assert view.expanded == set() and view.nested == ["block", "wrapper", "wrapper/inner", "head"]


def test_expand_and_collapse_change_the_node_set(nested):
    view = plot_model(nested)
    view.expand("block")
    assert "block" not in node_ids(view) and "block/attention" in node_ids(view)
    view.expand("wrapper/inner")  # opens its parent too
    assert view.expanded == {"block", "wrapper", "wrapper/inner"}
    assert "wrapper/inner/inner_dense" in node_ids(view)
    view.collapse("wrapper")  # closes what is inside it too
    assert view.expanded == {"block"} and "wrapper" in node_ids(view)
    view.toggle("block")
    assert node_ids(view) == ["tokens", "block", "wrapper", "head"]
    assert len(plot_model(nested, expanded=True).nodes) == 11


def test_unknown_nested_model_is_rejected_with_the_choices(nested, transformer):
    view = plot_model(nested)
    with pytest.raises(ValueError, match=r"'blok' is not a nested model of 'outer'.*\['block', 'wrapper'"):
        view.expand("blok")
    with pytest.raises(ValueError, match="this model has no nested models"):
        plot_model(transformer).collapse("attention")
    with pytest.raises(ValueError, match="rankdir"):
        plot_model(transformer, rankdir="sideways")


def test_hover_shows_config_and_weight_shapes_with_histograms(transformer):
    view = plot_model(transformer)
    text = view.hover("attention")
    assert "num_heads: 4" in text and "key_dim: 8" in text
    assert "attention/query/kernel (32, 4, 8) float32" in text
    assert "μ=" in text and any(block in text for block in "▁▂▃▄▅▆▇█")
    assert "attention/query/bias (4, 8) float32 all 0" in text
    assert "kernel_initializer: GlorotUniform(" in text  # serialized objects read as calls
    histograms = view.weight_histograms("feed_1", bins=5)
    assert [h["shape"] for h in histograms] == [(32, 64), (64,)]
    assert sum(histograms[0]["counts"]) == 32 * 64


def test_figure_is_valid_plotly_with_shapes_on_edges(transformer):
    go = pytest.importorskip("plotly.graph_objects")
    view = plot_model(transformer)
    figure = view.figure()
    go.Figure(figure)  # raises on any invalid property
    labels = next(trace for trace in figure["data"] if trace.get("name") == "tensors")
    assert len(labels["text"]) == len(view.edges)
    assert "(None, 10, 64)" in labels["text"]
    hovered = [text for trace in figure["data"] if trace.get("customdata") for text in trace["hovertext"]]
    assert len(hovered) == len(view.nodes)
    node_boxes = [s for s in figure["layout"]["shapes"] if s["type"] == "rect"]
    assert len(node_boxes) == len(view.nodes)
    assert "updatemenus" not in figure["layout"]  # nothing nested, nothing to switch


def test_figure_buttons_switch_between_precomputed_views(nested):
    figure = plot_model(nested, expanded=["head"]).figure()
    buttons = figure["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == ["as set", "expand all", "collapse all"]
    for button in buttons:
        visible = button["args"][0]["visible"]
        assert len(visible) == len(figure["data"]) and any(visible)
    shown = [t for t, v in zip(figure["data"], buttons[1]["args"][0]["visible"]) if v and t.get("customdata")]
    assert "wrapper/inner/inner_dense" in [i for trace in shown for i in trace["customdata"]]


def test_mime_bundle_is_small_json_with_an_svg_fallback(transformer):
    bundle = plot_model(transformer)._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.plotly.v1+json", "image/svg+xml", "text/plain"}
    size = len(json.dumps(bundle))
    assert size < 60_000, size  # a plotly.js copy or a FigureWidget state would be megabytes
    svg = ElementTree.fromstring(bundle["image/svg+xml"])
    texts = " ".join(element.text or "" for element in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert all(name in texts for name in ["attention", "norm_1", "feed_2", "residual_2"])
    assert bundle["text/plain"].startswith("<GraphView of 'block': 8 nodes, 9 edges")


def test_expanding_redraws_the_displayed_output_in_place(nested, monkeypatch):
    import IPython.display

    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: calls.append(("display", obj, kw)))
    monkeypatch.setattr(IPython.display, "update_display", lambda obj, **kw: calls.append(("update", obj, kw)))
    view = plot_model(nested)
    view._ipython_display_()
    view.expand("head")
    assert [c[0] for c in calls] == ["display", "update"]
    assert calls[0][2]["display_id"] == calls[1][2]["display_id"] is not None
    assert "head/pool" in calls[1][1]["text/plain"] or "expanded=['head']" in calls[1][1]["text/plain"]


def _customdata(figure):
    visible = [t for t in figure["data"] if t.get("customdata") and t.get("visible")]
    return {node_id for trace in visible for node_id in trace["customdata"]}


def test_in_a_kernel_expand_and_collapse_update_the_widget_figure(nested, monkeypatch):
    import IPython.display

    from workbench.notebook import _display

    shown, updates = [], []
    monkeypatch.setattr(_display, "in_notebook", lambda: True)
    monkeypatch.setattr("workbench.notebook.plotly_widget.display", lambda obj, **kw: shown.append((obj, kw)))
    monkeypatch.setattr(IPython.display, "update_display", lambda obj, **kw: updates.append((obj, kw)))
    view = plot_model(nested)
    view._ipython_display_()
    (static, static_kw), (widget, _) = shown
    assert widget is view.widget and widget.css_class == "workbench-graph-view"
    assert static_kw["display_id"] is not None  # the static copy stays updatable for saved notebooks
    figure = static["application/vnd.plotly.v1+json"]
    assert widget.figure == figure and figure["layout"]["meta"] == f"workbench-graph-{static_kw['display_id']}"
    assert _customdata(widget.figure) == {"tokens", "block", "wrapper", "head"}

    view.expand("block")
    assert {"block/attention", "block/norm_2"} <= _customdata(widget.figure)
    assert "block" not in _customdata(widget.figure)
    assert updates[-1][1]["display_id"] == static_kw["display_id"]
    assert updates[-1][0]["application/vnd.plotly.v1+json"] == widget.figure
    view.collapse("block")
    assert _customdata(widget.figure) == {"tokens", "block", "wrapper", "head"}
    assert len(shown) == 2 and len(updates) == 2  # redrawn in place: nothing displayed again


def test_outside_a_kernel_expand_is_silent_and_makes_no_widget(nested, capsys):
    view = plot_model(nested)
    view.expand("block").collapse("block").expand_all()
    assert view.widget is None and capsys.readouterr() == ("", "")


def test_sequential_and_subclassed_models_render(sequential, subclassed):
    for model in (sequential, subclassed):
        bundle = plot_model(model)._repr_mimebundle_()
        assert bundle["application/vnd.plotly.v1+json"]["data"]
    assert "(subclassed)" in plot_model(subclassed).figure()["layout"]["title"]["text"]


def test_importing_workbench_imports_no_plotting_library():
    import subprocess
    import sys

    code = "import sys, workbench, workbench.notebook; print(any(m.split('.')[0] in ('plotly', 'ipywidgets') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
