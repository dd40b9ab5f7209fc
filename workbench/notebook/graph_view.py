"""The interactive layer-graph viewer: a plotly figure shown through plotly's MIME type and a small widget.

A `GraphView` keeps its state in Python (`expanded`, `nodes`, `edges`, `layout`) and renders a plain
figure dict, so the saved notebook holds a few kilobytes of JSON and no plotly.js. A display is two
outputs: the figure as plotly's MIME type (with an SVG fallback), which every front end and every
saved notebook shows, then, in a kernel, a `PlotlyFigureWidget` holding the same figure. In
JupyterLab the widget's view draws the figure with the page's plotly.js and hides the static copy.
`expand()` and `collapse()` set the widget's figure, which the view redraws in place (JupyterLab's
plotly renderer ignores updates to an output it has drawn), and update the static copy through its
display id for saved notebooks and other front ends. The figure's own buttons switch between
precomputed views without a kernel.
"""

import html
import math
import uuid

from workbench.notebook import _display
from workbench.notebook.graph import (
    FAMILY_COLORS,
    _all_nested_ids,
    format_shape,
    inner_functional,
    layer_config,
    model_graph,
    sparkline,
    weight_summaries,
)
from workbench.notebook.graph_layout import check_rankdir, layered_layout
from workbench.utils.model_visualization import LINE_HEIGHT, PADDING, text_width, to_svg

_MAX_HEIGHT = 900.0
_CONFIG_KEYS = 16
_VALUE_CHARACTERS = 60
_MAX_SVG_FALLBACK = 100_000


def _escape(value):
    return html.escape(str(value), quote=False)


def _short(value):
    if isinstance(value, dict) and "class_name" in value:  # a serialized object, e.g. an initializer
        inner = value.get("config") or {}
        if value["class_name"] == "DTypePolicy" and "name" in inner:
            return inner["name"]
        arguments = ", ".join(f"{k}={v!r}" for k, v in inner.items() if not isinstance(v, dict))
        value = f"{value['class_name']}({arguments})"
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= _VALUE_CHARACTERS else text[: _VALUE_CHARACTERS - 1] + "…"


def hover_text(node):
    """What hovering a node shows: class, shapes, parameters, config, and each weight's histogram."""
    lines = [f"<b>{_escape(node.name)}</b> ({_escape(node.class_name)}), {node.family}",
             f"input: {_escape(node.input_shape)}", f"output: {_escape(node.output_shape)}",
             f"params: {node.params:,}"]
    config = layer_config(node.layer) if node.layer is not None else {}
    if config:
        lines.append("<b>config</b>")
        shown = [key for key in config if key != "name"][:_CONFIG_KEYS]
        lines.extend(f"  {_escape(key)}: {_escape(_short(config[key]))}" for key in shown)
        if len(config) - 1 > len(shown):
            lines.append(f"  … {len(config) - 1 - len(shown)} more")
    weights = weight_summaries(node.layer) if node.layer is not None and hasattr(node.layer, "weights") else []
    if weights:
        lines.append("<b>weights</b>")
        for weight in weights[:_CONFIG_KEYS]:
            shape = format_shape(weight["shape"])
            line = f"  {_escape(weight['name'])} {shape} {weight['dtype']}"
            if "counts" in weight and weight["min"] == weight["max"]:
                line += f" all {weight['min']:.3g}"
            elif "counts" in weight:
                line += (f" {sparkline(weight['counts'])} [{weight['min']:.3g}, {weight['max']:.3g}]"
                         f" μ={weight['mean']:.3g} σ={weight['std']:.3g}")
            lines.append(line)
        if len(weights) > _CONFIG_KEYS:
            lines.append(f"  … {len(weights) - _CONFIG_KEYS} more")
    if node.expandable:
        lines.append(f"<i>nested model: view.expand({node.id!r})</i>")
    return "<br>".join(lines)


def node_lines(node):
    return [node.label, node.output_shape, f"{node.params:,} params"]


def _rounded(value):
    """Coordinates to 0.1 layout points: a third of the figure's JSON is digits nobody can see."""
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


class GraphView:
    """An interactive drawing of `model`'s layer graph, whose state stays inspectable from Python.

    Args:
        model: A Functional, Sequential or subclassed model.
        expanded: Ids of nested models to draw opened (`"encoder"`, `"encoder/block"`), or True for all.
        rankdir: `"TB"` (top to bottom) or `"LR"` (left to right); `"BT"` and `"RL"` reverse them.

    Example:

    >>> view = GraphView(model)
    >>> view.expand("encoder")     # the drawing above updates in place
    >>> [node.id for node in view.nodes]
    """

    def __init__(self, model, expanded=(), rankdir="TB"):
        check_rankdir(rankdir)
        self.model = model
        self.rankdir = rankdir
        functional = inner_functional(model)
        self.nested = _all_nested_ids(functional) if functional is not None else []
        self._expanded = set()
        self._display_id = None
        self.widget = None  # the PlotlyFigureWidget shown in a kernel, which redraws live
        self._graph_cache = {}
        self._set_expanded(self.nested if expanded is True else expanded, redraw=False)

    @property
    def expanded(self):
        """The ids of the nested models drawn opened (a copy; change it with expand/collapse)."""
        return set(self._expanded)

    @property
    def graph(self):
        return self._graph_and_layout(frozenset(self._expanded))[0]

    @property
    def layout(self):
        return self._graph_and_layout(frozenset(self._expanded))[1]

    @property
    def nodes(self):
        return self.graph.nodes

    @property
    def edges(self):
        return self.graph.edges

    def _check(self, name):
        if name not in self.nested:
            raise ValueError(
                f"{name!r} is not a nested model of {self.model.name!r}. Nested models you can expand or "
                f"collapse: {self.nested or 'none (this model has no nested models)'}."
            )

    def _set_expanded(self, names, redraw=True):
        names = set(names)
        for name in names:
            self._check(name)
        for name in list(names):  # opening "a/b" opens "a" too
            parts = name.split("/")
            names.update("/".join(parts[:i]) for i in range(1, len(parts)))
        self._expanded = names
        if redraw:
            self._redraw()

    def expand(self, name):
        """Draws the layers of nested model `name` in its place."""
        self._set_expanded(self._expanded | {name})
        return self

    def collapse(self, name):
        """Draws nested model `name` (and everything inside it) as one box again."""
        self._check(name)
        self._set_expanded({n for n in self._expanded if n != name and not n.startswith(name + "/")})
        return self

    def toggle(self, name):
        return self.collapse(name) if name in self._expanded else self.expand(name)

    def expand_all(self):
        self._set_expanded(self.nested)
        return self

    def collapse_all(self):
        self._set_expanded(())
        return self

    def _graph_and_layout(self, expanded):
        if expanded not in self._graph_cache:
            graph = model_graph(self.model, expanded=expanded)
            sizes = {n.id: (max(text_width(t) for t in node_lines(n)) + 2 * PADDING, 3 * LINE_HEIGHT + 2 * PADDING)
                     for n in graph.nodes}
            layout = layered_layout([n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges],
                                    sizes, rankdir=self.rankdir)
            self._graph_cache[expanded] = (graph, layout)
        return self._graph_cache[expanded]

    def hover(self, node_id):
        """The hover text of one node (HTML as plotly shows it)."""
        return hover_text(self.graph.node(node_id))

    def weight_histograms(self, node_id, bins=12):
        """Shape, statistics and histogram (`counts`, `edges`) of each weight of one node's layer."""
        return weight_summaries(self.graph.node(node_id).layer, bins=bins)

    def _state(self, expanded, visible):
        from workbench.utils.model_visualization import group_boxes

        graph, layout = self._graph_and_layout(frozenset(expanded))
        scale = min(1.0, _MAX_HEIGHT / max(layout.height, 1.0)) if layout.rankdir in ("TB", "BT") else 1.0
        font = max(6.0, 11.0 * scale)
        shapes, annotations, traces = [], [], []
        for group_id, (left, top, right, bottom) in group_boxes(graph, layout).items():
            shapes.append({"type": "rect", "x0": left, "y0": top, "x1": right, "y1": bottom, "layer": "below",
                           "fillcolor": "rgba(255,243,224,0.6)", "line": {"color": "#e65100", "dash": "dot"}})
            annotations.append({"x": left + 4, "y": top + 2, "text": _escape(group_id), "showarrow": False,
                                "xanchor": "left", "yanchor": "top", "font": {"color": "#e65100", "size": font}})
        xs, ys, label_x, label_y, label_text, label_hover, tips = [], [], [], [], [], [], []
        for edge in graph.edges:
            route = layout.routes[(edge.source, edge.target)]
            xs += [p[0] for p in route] + [None]
            ys += [p[1] for p in route] + [None]
            (x0, y0), (x1, y1) = route[len(route) // 2 - 1], route[len(route) // 2]
            label_x.append((x0 + x1) / 2)
            label_y.append((y0 + y1) / 2)
            label_text.append(_escape(edge.shape))
            label_hover.append(f"{_escape(edge.source)} → {_escape(edge.target)}<br>{_escape(edge.shape)}")
            (ax, ay), (x, y) = route[-2], route[-1]
            length = math.hypot(x - ax, y - ay) or 1.0
            tips.append((x - 3 * (x - ax) / length, y - 3 * (y - ay) / length,
                         math.degrees(math.atan2(x - ax, ay - y))))  # clockwise from up; y points down
        traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
                       "line": {"color": "#888", "width": 1.2}, "showlegend": False, "visible": visible})
        traces.append({"type": "scatter", "mode": "markers", "x": [t[0] for t in tips], "y": [t[1] for t in tips],
                       "marker": {"symbol": "triangle-up", "size": 7, "color": "#666", "angle": [t[2] for t in tips]},
                       "hoverinfo": "skip", "showlegend": False, "visible": visible, "name": "arrows"})
        traces.append({"type": "scatter", "mode": "text", "x": label_x, "y": label_y, "text": label_text,
                       "hovertext": label_hover, "hoverinfo": "text", "textfont": {"size": font * 0.8, "color": "#555"},
                       "showlegend": False, "visible": visible, "name": "tensors"})
        by_family = {}
        for node in graph.nodes:
            by_family.setdefault(node.family, []).append(node)
            (x, y), (w, h) = layout.positions[node.id], layout.sizes[node.id]
            shapes.append({"type": "rect", "x0": x - w / 2, "y0": y - h / 2, "x1": x + w / 2, "y1": y + h / 2,
                           "fillcolor": FAMILY_COLORS[node.family], "line": {"color": "#37474f", "width": 1},
                           "layer": "below"})
        for family, members in by_family.items():
            traces.append({
                "type": "scatter", "mode": "markers+text", "name": family, "showlegend": False,
                "x": [layout.positions[n.id][0] for n in members], "y": [layout.positions[n.id][1] for n in members],
                "text": ["<b>{}</b><br>{}<br>{}".format(*(_escape(t) for t in node_lines(n))) for n in members],
                "customdata": [n.id for n in members], "hovertext": [hover_text(n) for n in members],
                "hoverinfo": "text", "textfont": {"size": font}, "visible": visible,
                "marker": {"symbol": "square", "size": 30, "color": FAMILY_COLORS[family], "opacity": 0.01,
                           "line": {"width": 0}},
            })
            traces.append({"type": "scatter", "mode": "markers", "name": family, "x": [None], "y": [None],
                           "visible": visible, "hoverinfo": "skip",
                           "marker": {"symbol": "square", "size": 12, "color": FAMILY_COLORS[family],
                                      "line": {"color": "#37474f", "width": 1}}})
        return traces, shapes, annotations, layout

    def figure(self):
        """The plotly figure as a plain dict (`data`, `layout`), with buttons when models are nested."""
        states = [("as set", self._expanded)]
        if self.nested:
            states += [("expand all", set(self.nested)), ("collapse all", set())]
        unique, seen = [], set()
        for label, expanded in states:
            if frozenset(expanded) not in seen:
                seen.add(frozenset(expanded))
                unique.append((label, expanded))
        data, views = [], []
        for index, (label, expanded) in enumerate(unique):
            traces, shapes, annotations, layout = self._state(expanded, visible=index == 0)
            views.append((label, len(data), len(traces), shapes, annotations))
            data.extend(traces)
        _, _, _, shapes, annotations = views[0]
        layout = self.layout
        height = min(_MAX_HEIGHT, layout.height + 80) if self.rankdir in ("TB", "BT") else min(_MAX_HEIGHT, layout.height + 120)
        figure_layout = {
            "title": {"text": f"{_escape(self.model.name)} ({self.graph.kind})", "x": 0.01},
            "height": max(height, 250), "showlegend": True, "dragmode": "pan", "hovermode": "closest",
            "hoverlabel": {"align": "left", "font": {"family": "monospace", "size": 11}},
            "xaxis": {"visible": False, "constrain": "domain"},
            "yaxis": {"visible": False, "autorange": "reversed", "scaleanchor": "x"},
            "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "plot_bgcolor": "white",
            "shapes": shapes, "annotations": annotations,
            "legend": {"itemclick": False, "itemdoubleclick": False},
        }
        if len(views) > 1:
            buttons = []
            for label, start, count, view_shapes, view_annotations in views:
                visible = [start <= i < start + count for i in range(len(data))]
                buttons.append({"label": label, "method": "update",
                                "args": [{"visible": visible}, {"shapes": view_shapes, "annotations": view_annotations}]})
            figure_layout["updatemenus"] = [{"type": "buttons", "direction": "right", "buttons": buttons,
                                             "x": 1.0, "xanchor": "right", "y": 1.08, "yanchor": "bottom",
                                             "showactive": True}]
        return _rounded({"data": data, "layout": figure_layout})

    def to_svg(self):
        """A static SVG of the current view (the fallback for front ends without plotly)."""
        graph, layout = self._graph_and_layout(frozenset(self._expanded))
        return to_svg(graph, layout, {n.id: node_lines(n) for n in graph.nodes})

    def __repr__(self):
        return (f"<GraphView of {self.model.name!r}: {len(self.nodes)} nodes, {len(self.edges)} edges, "
                f"expanded={sorted(self._expanded)}>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        figure = self.figure()
        figure["config"] = {"displaylogo": False, "scrollZoom": True, "responsive": True}
        if self._display_id is not None:  # names the static copy, which the widget's view hides
            figure["layout"]["meta"] = f"workbench-graph-{self._display_id}"
        bundle = {"application/vnd.plotly.v1+json": figure, "text/plain": repr(self)}
        svg = self.to_svg()
        if len(svg) <= _MAX_SVG_FALLBACK:  # big graphs keep the notebook light; plot_model(to_file=...) draws them
            bundle["image/svg+xml"] = svg
        return bundle

    def _ipython_display_(self):
        if self._display_id is None:
            self._display_id = uuid.uuid4().hex
        bundle = self._repr_mimebundle_()
        if self.widget is None and _display.in_notebook():
            from workbench.notebook.plotly_widget import PlotlyFigureWidget

            self.widget = PlotlyFigureWidget(css_class="workbench-graph-view")
        if self.widget is None:
            from IPython.display import display

            display(bundle, raw=True, display_id=self._display_id)
            return
        from workbench.notebook.plotly_widget import show_figure_widget

        self.widget.figure = bundle["application/vnd.plotly.v1+json"]
        show_figure_widget(self.widget, stand_in=bundle, display_id=self._display_id)

    def _redraw(self):
        if self._display_id is None:
            return
        from IPython.display import update_display

        bundle = self._repr_mimebundle_()
        if self.widget is not None:
            self.widget.figure = bundle["application/vnd.plotly.v1+json"]
        update_display(bundle, raw=True, display_id=self._display_id)


def plot_model(model, expanded=(), rankdir="TB"):
    """An interactive, zoomable drawing of `model`'s layer graph; show it as a cell's last line.

    Hover a box for its config and its weights' shapes and histograms. Nested models are one box
    until `view.expand(name)` (or the figure's "expand all" button) opens them.

    Args:
        model: A Functional, Sequential or subclassed model.
        expanded: Ids of nested models to show opened, or True for all.
        rankdir: `"TB"` draws top to bottom, `"LR"` left to right.

    Returns:
        A `GraphView`.
    """
    return GraphView(model, expanded=expanded, rankdir=rankdir)
