"""The plotly figure of the live curves, as plain JSON: one panel per metric, a grid of panels.

This module builds dicts only and imports no plotting library. Each trace is decimated to at
most `max_points` points, so the cost of one figure stays bounded however long training runs.
"""

import math

# Plotly's default colours: training, validation, then batch-level points of training.
TRAIN_COLOR, VAL_COLOR, LR_COLOR = "#1f77b4", "#ff7f0e", "#2ca02c"
_COMPARE_DASHES = ("dash", "dot", "dashdot", "longdash")
ALL_RUNS = "all runs"
PANEL_HEIGHT = 260


def decimate(xs, ys, max_points, keep_x=None):
    """At most `max_points` evenly spread points; the first, the last and `keep_x` stay."""
    count = len(xs)
    if count <= max_points:
        return list(xs), list(ys)
    step = (count - 1) / (max_points - 1)
    indices = {round(i * step) for i in range(max_points)}
    if keep_x is not None and keep_x in xs:
        indices.add(xs.index(keep_x))
    indices = sorted(indices)
    return [xs[i] for i in indices], [ys[i] for i in indices]


def _axis_names(index):
    suffix = "" if index == 0 else str(index + 1)
    return f"x{suffix}", f"y{suffix}", f"xaxis{suffix}", f"yaxis{suffix}"


def _grid(count):
    columns = 1 if count == 1 else 2
    return columns, math.ceil(count / columns)


def _panel_layout(panels, log_scale):
    """Axes placed on a grid, each panel titled by its metric."""
    columns, rows = _grid(len(panels))
    layout = {}
    annotations = []
    x_gap, y_gap = 0.08, 0.16 / max(rows - 1, 1)
    width = (1 - x_gap * (columns - 1)) / columns
    height = (1 - y_gap * (rows - 1)) / rows
    for index, panel in enumerate(panels):
        row, column = divmod(index, columns)
        x0 = column * (width + x_gap)
        y1 = 1 - row * (height + y_gap)
        x_ref, y_ref, x_axis, y_axis = _axis_names(index)
        bottom = index + columns >= len(panels)
        layout[x_axis] = {"domain": [x0, x0 + width], "anchor": y_ref,
                          "title": {"text": "epoch"} if bottom else None}
        layout[y_axis] = {"domain": [y1 - height, y1], "anchor": x_ref,
                          "type": "log" if log_scale else "linear", "exponentformat": "power"}
        annotations.append({"text": f"<b>{panel}</b>", "x": x0 + width / 2, "y": y1, "xref": "paper",
                            "yref": "paper", "xanchor": "center", "yanchor": "bottom", "showarrow": False})
    return layout, annotations, rows


def _menus(panel_count, run_names, data, log_scale, shown_run):
    """The log-scale buttons and the run picker: plain plotly `updatemenus`, no extra front end."""
    axes = [_axis_names(i)[3] for i in range(panel_count)]
    menus = [{
        "type": "buttons", "direction": "right", "showactive": True, "active": int(log_scale),
        "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom", "pad": {"b": 28},
        "name": "scale",
        "buttons": [
            {"label": "linear", "method": "relayout", "args": [{f"{a}.type": "linear" for a in axes}]},
            {"label": "log", "method": "relayout", "args": [{f"{a}.type": "log" for a in axes}]},
        ],
    }]
    if len(run_names) > 1:
        choices = [ALL_RUNS] + run_names
        menus.append({
            "type": "dropdown", "direction": "down", "showactive": True,
            "active": choices.index(shown_run) if shown_run in choices else 0,
            "x": 1, "y": 1.0, "xanchor": "right", "yanchor": "bottom", "pad": {"b": 28},
            "name": "run",
            "buttons": [{"label": name, "method": "restyle",
                         "args": [{"visible": [name in (ALL_RUNS, trace["meta"]["run"]) for trace in data]}]}
                        for name in choices],
        })
    return menus


def _trace(name, run, xs, ys, axis_index, color, dash, group, first_panel, width=2, mode="lines+markers"):
    x_ref, y_ref, _, _ = _axis_names(axis_index)
    return {
        "type": "scatter", "mode": mode, "name": name, "x": xs, "y": ys, "xaxis": x_ref, "yaxis": y_ref,
        "line": {"color": color, "dash": dash, "width": width}, "marker": {"size": 5},
        "legendgroup": group, "showlegend": first_panel, "meta": {"run": run},
        "hovertemplate": f"{name}<br>epoch %{{x:.4~g}}: %{{y:.5~g}}<extra>{run}</extra>",
    }


def curves_figure(state, max_points=500, log_scale=False, shown_run=ALL_RUNS, title=None):
    """The figure dict for a `CurvesState`, ready for `application/vnd.plotly.v1+json`.

    Args:
        state: The `CurvesState` of a `LiveCurves` callback.
        max_points: The most points one trace may have; longer histories are decimated.
        log_scale: Whether the y axes start in log scale.
        shown_run: `"all runs"`, or the one run name whose traces are visible.
        title: Optional figure title.
    """
    panels = state.panels
    run_names = [run.name for run in state.runs]
    best_x = None if state.best_epoch is None else state.best_epoch + 1
    data = []
    for index, panel in enumerate(panels):
        for run_number, run in enumerate(state.runs):
            current = run is state.current
            dash = "solid" if current else _COMPARE_DASHES[run_number % len(_COMPARE_DASHES)]
            visible = shown_run in (ALL_RUNS, run.name)
            for metric in run.metrics_of(panel):
                xs, ys = run.epoch_points(metric)
                keep = best_x if current and metric == state.monitor else None
                xs, ys = decimate(xs, ys, max_points, keep_x=keep)
                color = LR_COLOR if panel == "learning_rate" else (
                    VAL_COLOR if metric.startswith("val_") else TRAIN_COLOR)
                name = metric if current else f"{metric} ({run.name})"
                trace = _trace(name, run.name, xs, ys, index, color, dash, name, index == 0 or panel == "learning_rate")
                if not current:
                    trace["opacity"] = 0.55
                trace["visible"] = visible
                data.append(trace)
                batch_xs, batch_ys = run.batch_points(metric)
                if batch_xs:
                    batch_xs, batch_ys = decimate(batch_xs, batch_ys, max_points)
                    batch = _trace(f"{name} (batches)", run.name, batch_xs, batch_ys, index, color, dash,
                                   name, False, width=1, mode="lines")
                    batch["opacity"] = 0.35 if current else 0.2
                    batch["visible"] = visible
                    data.append(batch)
    shapes = []
    if best_x is not None:
        for index, panel in enumerate(panels):
            x_ref, y_ref, _, _ = _axis_names(index)
            shapes.append({"type": "line", "xref": x_ref, "yref": f"{y_ref} domain", "x0": best_x, "x1": best_x,
                           "y0": 0, "y1": 1, "line": {"color": "#888", "dash": "dot", "width": 1}})
            if panel == state.monitor.removeprefix("val_"):
                data.append({
                    "type": "scatter", "mode": "markers", "name": f"best epoch ({best_x})",
                    "x": [best_x], "y": [state.best_value], "xaxis": x_ref, "yaxis": y_ref,
                    "marker": {"symbol": "star", "size": 14, "color": "#d62728"}, "showlegend": True,
                    "meta": {"run": state.current.name}, "visible": shown_run in (ALL_RUNS, state.current.name),
                    "hovertemplate": f"best {state.monitor}<br>epoch %{{x}}: %{{y:.5~g}}<extra></extra>",
                })
    layout, annotations, rows = _panel_layout(panels, log_scale) if panels else ({}, [], 1)
    layout.update({
        "height": PANEL_HEIGHT * rows + 150, "margin": {"t": 80, "b": 90, "l": 60, "r": 20},
        "annotations": annotations, "shapes": shapes, "hovermode": "closest",
        "uirevision": "workbench-live-curves", "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0.5, "xanchor": "center"},
        "updatemenus": _menus(len(panels), run_names, data, log_scale, shown_run) if panels else [],
        "template": {"layout": {"plot_bgcolor": "#fafafa", "paper_bgcolor": "white"}},
    })
    if title:
        layout["title"] = {"text": title, "x": 0.5}
    if not panels:
        layout["annotations"] = [{"text": "waiting for the first epoch…", "showarrow": False,
                                  "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}]
        layout["xaxis"], layout["yaxis"] = {"visible": False}, {"visible": False}
    return {"data": data, "layout": layout, "config": {"displaylogo": False, "responsive": True}}
