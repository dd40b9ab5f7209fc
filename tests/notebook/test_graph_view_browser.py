"""plot_model in a real JupyterLab, driven by Chromium: `view.expand()` run in a later cell redraws
the graph shown earlier (slow; runs in CI; skips here without Chromium or Playwright)."""

import nbformat
import pytest

from tests.notebook import lab_harness

SETUP = """\
import workbench as keras
from workbench.notebook import plot_model
encoder = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, name="inner_dense"),
                            keras.layers.Dense(4, name="inner_out")], name="encoder")
features = keras.Input((8,), name="features")
model = keras.Model(features, keras.layers.Dense(1, name="score")(encoder(features)), name="scorer")
view = plot_model(model)
view"""

# Node labels end with "<n> params"; edge labels are shapes.
NODE_LABELS = "() => [...document.querySelectorAll('.workbench-graph-view .textpoint')].filter(t => / params$/.test(t.textContent)).length"


def _node_names(page):
    """The names of the drawn nodes: a label reads like "score (Dense)(None, 1)17 params"."""
    labels = page.evaluate("""() => [...document.querySelectorAll('.workbench-graph-view .textpoint')]
        .map(t => t.textContent).filter(t => / params$/.test(t))""")
    return sorted(label.split("(")[0].strip() for label in labels)


@pytest.mark.slow
def test_expand_in_a_later_cell_redraws_the_graph_in_jupyterlab(tmp_path):
    lab_harness.require_browser()
    root, work = tmp_path / "root", tmp_path / "work"
    root.mkdir()
    work.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell("")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(notebook, root / "graph.ipynb")

    with lab_harness.jupyterlab(root, work) as (base, token), lab_harness.chromium_page(work, (1400, 1400)) as page:
        lab_harness.open_and_run_all(page, base, token, "graph.ipynb")
        page.wait_for_function(f"() => ({NODE_LABELS})() === 3", timeout=30_000)
        assert _node_names(page) == ["encoder", "features", "score"]
        # The static copy (for saved notebooks and other front ends) is hidden under the live view.
        page.wait_for_function("""() => [...document.querySelectorAll('.jp-RenderedPlotly')]
            .filter(n => n.layout?.meta?.startsWith('workbench-graph-'))
            .every(n => n.closest('.jp-OutputArea-child').style.display === 'none')""", timeout=10_000)
        first_output = page.locator(".jp-CodeCell").first.locator(".jp-OutputArea")
        first_output.screenshot(path=str(tmp_path / "graph_collapsed.png"))

        last_cell = page.locator(".jp-CodeCell").last
        last_cell.locator(".cm-content").click()
        page.keyboard.insert_text('view.expand("encoder");')
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(f"() => ({NODE_LABELS})() === 4", timeout=30_000)
        assert _node_names(page) == ["features", "inner_dense", "inner_out", "score"]
        # Redrawn in place, in the first cell's output: one live view on the page, none in the later cell.
        assert page.locator(".workbench-graph-view").count() == 1
        assert first_output.locator(".workbench-graph-view").count() == 1
        assert page.locator("text=Traceback").count() == 0
        assert page.locator("text=Error displaying widget").count() == 0
        first_output.screenshot(path=str(tmp_path / "graph_expanded.png"))
    print(f"screenshots in {tmp_path}")
