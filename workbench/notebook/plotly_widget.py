"""The widget that shows LiveCurves in a notebook, with plotly.js loaded once per page.

A plotly `FigureWidget` carries its own copy of plotly.js (about 5 MB) into every notebook
that saves widget state. This widget carries only the figure's JSON and a small view
(`extensions/live_curves/curves_view.js`). The view draws with the plotly.js that JupyterLab's
plotly renderer loads once per page; to get it loaded, each display starts with a blank,
one-pixel plotly output.
"""

import pathlib

import anywidget
import traitlets
from IPython.display import display

from workbench.notebook.curves_figure import ALL_RUNS

_VIEW = pathlib.Path(__file__).resolve().parents[2] / "extensions" / "live_curves" / "curves_view.js"

# Rendered by JupyterLab's plotly renderer, which sets window.Plotly for the view.
PLOTLY_LOADER = {
    "application/vnd.plotly.v1+json": {
        "data": [],
        "layout": {"meta": "workbench-plotly-loader", "height": 1, "width": 1, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                   "xaxis": {"visible": False}, "yaxis": {"visible": False}},
        "config": {"staticPlot": True, "displayModeBar": False},
    },
    "text/plain": "",
}


class CurvesWidget(anywidget.AnyWidget):
    """State: the plotly figure as JSON, a one-line summary, and the menu choices made in the view."""

    _esm = _VIEW.read_text()
    figure = traitlets.Dict().tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    log_scale = traitlets.Bool(False).tag(sync=True)
    shown_run = traitlets.Unicode(ALL_RUNS).tag(sync=True)

    def __repr__(self):
        return f"CurvesWidget({self.summary!r})"


def show_curves_widget(live_curves):
    """Displays a new widget for `live_curves` in the current cell and returns it."""
    widget = CurvesWidget(log_scale=live_curves.log_scale, shown_run=live_curves.shown_run)
    display(PLOTLY_LOADER, raw=True)
    display(widget)
    return widget
