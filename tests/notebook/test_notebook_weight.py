"""A notebook with three fits under LiveCurves and two graph views, executed by nbclient with widget
state saved, stays small: no widget carries its own plotly.js (slow; runs in CI)."""

import nbformat
import pytest

LIMIT_BYTES = 1_500_000

SETUP = """\
import numpy as np
import workbench as keras
from workbench.notebook import LiveCurves, plot_model
rng = np.random.default_rng(0)
x = rng.normal(size=(512, 8)).astype("float32")
y = (x[:, :1] * 2 + 1).astype("float32")
def make_model(width):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(width, activation="relu"),
                              keras.layers.Dense(1)], name=f"mlp_{width}")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model"""


def _fit(width, compare):
    return (f"curves_{width} = LiveCurves(compare={compare})\n"
            f"history_{width} = make_model({width}).fit(x, y, epochs=8, batch_size=32, validation_split=0.25, "
            f"callbacks=[curves_{width}])")


@pytest.mark.slow
def test_three_live_fits_and_two_graphs_save_under_the_limit(tmp_path):
    from nbclient import NotebookClient

    cell = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell(SETUP), cell(_fit(16, "[]")), cell("plot_model(make_model(16))"),
                      cell(_fit(32, "[history_16]")), cell("plot_model(make_model(32))"),
                      cell(_fit(64, "[history_16, history_32]"))]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    path = tmp_path / "executed.ipynb"
    nbformat.write(notebook, path)
    size = path.stat().st_size

    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    widget_state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    figures = [s["state"] for s in widget_state.values() if s["state"].get("_esm") and "figure" in s["state"]]
    curves = [f for f in figures if f["css_class"] == "workbench-live-curves"]
    assert len(curves) == 3  # the three live figures were saved, each with its final figure
    assert [len(c["figure"]["data"]) > 0 for c in curves] == [True] * 3
    assert len([f for f in figures if f["css_class"] == "workbench-graph-view"]) == 2  # the live graph views
    graphs = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})
              and "workbench-plotly-loader" not in str(o["data"]["application/vnd.plotly.v1+json"]["layout"])]
    assert len(graphs) == 2
    assert max(len(s["state"].get("_esm", "")) for s in widget_state.values()) < 10_000
    print(f"saved notebook: {size:,} bytes")
    assert size < LIMIT_BYTES, f"the executed notebook is {size:,} bytes; the limit is {LIMIT_BYTES:,}"
