"""LiveCurves and plot_model in a real JupyterLab, driven by Chromium (slow; runs in CI).

In CI a missing Chromium or Playwright fails the test; elsewhere it skips with the reason.
"""

import nbformat
import pytest

from tests.notebook import lab_harness

EPOCHS = 4

SETUP = """\
import numpy as np
import workbench as keras
from workbench.notebook import LiveCurves, plot_model
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 8)).astype("float32")
y = (x[:, :1] * 2 + 1).astype("float32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu", name="hidden"),
                          keras.layers.Dense(1, name="output")], name="regressor")
model.compile(optimizer="adam", loss="mse", metrics=["mae"])"""

FIT = f"""\
curves = LiveCurves()
history = model.fit(x, y, epochs={EPOCHS}, batch_size=32, validation_split=0.25, callbacks=[curves])"""

# After the figure's "log" button is clicked, one more epoch arrives from Python.
ONE_MORE_EPOCH = f"curves.state.current.add_epoch({EPOCHS}, {{'loss': 0.5}}); curves._update()"


def _points(page):
    return page.locator(".workbench-live-curves .scatterlayer .trace .point").count()


@pytest.mark.slow
def test_live_curves_and_graph_render_in_jupyterlab(tmp_path):
    lab_harness.require_browser()
    root, work = tmp_path / "root", tmp_path / "work"
    root.mkdir()
    work.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(FIT),
                      nbformat.v4.new_code_cell("plot_model(model)"), nbformat.v4.new_code_cell("")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(notebook, root / "live.ipynb")

    with lab_harness.jupyterlab(root, work) as (base, token), lab_harness.chromium_page(work, (1400, 2000)) as page:
        lab_harness.open_and_run_all(page, base, token, "live.ipynb")
        # Per epoch: loss, val_loss, mae, val_mae; plus the best-epoch star. Batch curves are lines.
        expected = 4 * EPOCHS + 1
        page.wait_for_function(
            f"() => document.querySelectorAll('.workbench-live-curves .scatterlayer .trace .point').length === {expected}",
            timeout=30_000)
        assert page.locator(".workbench-live-curves .g-gtitle, .workbench-live-curves .annotation-text",
                            has_text="loss").count() >= 1
        assert page.locator(".widget-hprogress").count() >= 2  # tqdm's epoch and step bars
        graph_labels = page.locator(".workbench-graph-view text", has_text="hidden")
        assert graph_labels.count() >= 1 and graph_labels.first.is_visible()
        assert page.locator("text=Traceback").count() == 0
        assert page.locator("text=Error displaying widget").count() == 0
        lab_harness.screenshot_notebook(page, tmp_path / "live_curves.png")

        page.locator(".workbench-live-curves .updatemenu-button", has_text="log").first.dispatch_event("click")
        page.wait_for_function("() => document.querySelector('.workbench-live-curves')._fullLayout.yaxis.type === 'log'")
        last_cell = page.locator(".jp-CodeCell").last
        last_cell.locator(".cm-content").click()
        page.keyboard.insert_text(ONE_MORE_EPOCH)
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(
            f"() => document.querySelectorAll('.workbench-live-curves .scatterlayer .trace .point').length === {expected + 1}",
            timeout=30_000)
        # Redrawn in place with the user's choice kept: still log scale, still one plot.
        assert page.evaluate("document.querySelector('.workbench-live-curves')._fullLayout.yaxis.type") == "log"
        assert page.locator(".workbench-live-curves").count() == 1
        assert _points(page) == expected + 1
        page.screenshot(path=str(tmp_path / "live_curves_log.png"))
    print(f"screenshots in {tmp_path}")
