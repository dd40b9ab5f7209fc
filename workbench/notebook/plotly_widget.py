"""A small widget that shows a plotly figure and redraws it in place, with plotly.js loaded once per page.

LiveCurves and `plot_model` both show their figures through it. A plotly `FigureWidget` carries its
own copy of plotly.js (about 5 MB) into every notebook that saves widget state. This widget carries
only the figure's JSON and a small view (`static/figure_view.js`). The view draws
with the plotly.js that JupyterLab's plotly renderer loads once per page, and redraws with
`Plotly.react` whenever Python sets `figure` (JupyterLab's plotly renderer ignores updates to an
output it has drawn). To get plotly.js loaded, each display starts with a plotly output: a blank
one-pixel figure, or a static copy of the figure that front ends without widgets show instead. The
view hides that output once it draws.
"""

import pathlib

import anywidget
import traitlets
from IPython.display import display

# Package data, so installed wheels carry it; extensions/plotly_figure/ links to it.
_VIEW = pathlib.Path(__file__).resolve().parent / "static" / "figure_view.js"
LOADER_META = "workbench-plotly-loader"

# Rendered by JupyterLab's plotly renderer, which sets window.Plotly for the view.
PLOTLY_LOADER = {
    "application/vnd.plotly.v1+json": {
        "data": [],
        "layout": {"meta": LOADER_META, "height": 1, "width": 1, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                   "xaxis": {"visible": False}, "yaxis": {"visible": False}},
        "config": {"staticPlot": True, "displayModeBar": False},
    },
    "text/plain": "",
}


class PlotlyFigureWidget(anywidget.AnyWidget):
    """State: a plotly figure as JSON, a one-line summary, and the buttons clicked in the view.

    `figure["layout"]["meta"]` names the static copy of the figure, if one was shown before the
    widget: the view hides that copy. `choices` maps the `name` of an `updatemenus` entry to the
    label of the button last clicked in it; menus without a name are not reported. `css_class`
    is the class of the view's plot element (`workbench-live-curves`, `workbench-graph-view`).
    """

    _esm = _VIEW.read_text()
    figure = traitlets.Dict().tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    choices = traitlets.Dict().tag(sync=True)
    css_class = traitlets.Unicode("workbench-plotly-figure").tag(sync=True)

    def __repr__(self):
        return f"PlotlyFigureWidget({self.css_class!r}, {self.summary!r})"


def show_figure_widget(widget, stand_in=PLOTLY_LOADER, display_id=None):
    """Displays `stand_in` (a plotly MIME bundle, loading plotly.js), then `widget`; returns `widget`.

    Pass `display_id` to update the stand-in later with `update_display`, for saved notebooks and
    front ends without widgets.
    """
    display(stand_in, raw=True, display_id=display_id)
    display(widget)
    return widget
