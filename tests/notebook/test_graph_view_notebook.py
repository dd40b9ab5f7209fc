"""A graph view saved in an executed notebook weighs kilobytes: no plotly.js, no widget state."""

import json
import os

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

SETUP = """\
import os
os.environ["KERAS_BACKEND"] = "jax"
import workbench as keras
from workbench import layers
from workbench.notebook import plot_model

inputs = keras.Input((10, 32))
attention = layers.MultiHeadAttention(num_heads=4, key_dim=8)(inputs, inputs)
x = layers.LayerNormalization()(layers.Add()([inputs, attention]))
feed = layers.Dense(32)(layers.Dense(64, activation="relu")(x))
block = keras.Model(inputs, layers.LayerNormalization()(layers.Add()([x, feed])), name="block")
outer_in = keras.Input((10, 32))
outer = keras.Model(outer_in, layers.Dense(2)(block(outer_in)), name="outer")
"""


@pytest.mark.slow
def test_executed_notebook_keeps_graph_views_small(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell("plot_model(block)"),
                      nbformat.v4.new_code_cell("view = plot_model(outer)\nview"),
                      nbformat.v4.new_code_cell("view.expand('block');"),
                      nbformat.v4.new_code_cell("block.summary()")]
    monkeypatch.setenv("KERAS_BACKEND", "jax")  # the kernel inherits this process's environment
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])))
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    path = tmp_path / "graph.ipynb"
    nbformat.write(notebook, path)
    transformer_output = json.dumps(notebook.cells[1].outputs)
    assert "application/vnd.plotly.v1+json" in notebook.cells[1].outputs[0]["data"]
    assert len(transformer_output) < 80_000, len(transformer_output)
    updated = notebook.cells[2].outputs[0]["data"]["text/plain"]
    assert "expanded=['block']" in updated  # the update reached the output shown two cells earlier
    summary = notebook.cells[4].outputs[0]["data"]
    assert "text/html" in summary and 'Model: "block"' in summary["text/plain"]
    assert path.stat().st_size < 300_000, path.stat().st_size
    print(f"transformer view output: {len(transformer_output)} B; whole notebook: {path.stat().st_size} B")
