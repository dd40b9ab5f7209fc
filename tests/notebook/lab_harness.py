"""Runs a notebook in a real JupyterLab and Chromium: start, run all, wait, and shut down cleanly.

Facts this relies on are in shared/reference/browser-testing-notes.md: `--allow-root`, the
kernel is ready only when the status bar says Idle, Run All is `runmenu:run-all`, windowing
mode `none` keeps every cell in the DOM, and kernels must be shut down through the API.
"""

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def browser_missing_reason():
    """Why the browser test cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (install it with `apt-get install -y chromium`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the `playwright` package is missing (`pip install -e '.[dev]'`)"
    return None


def require_browser():
    """Skips the calling test when the browser is missing; in CI, where .ci/run installs it, fails."""
    import pytest

    reason = browser_missing_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"The browser test must run in CI, but {reason}. .ci/run installs Chromium.")
        pytest.skip(reason)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


@contextlib.contextmanager
def jupyterlab(root, work):
    """A JupyterLab server on a free loopback port, serving `root`; yields (base_url, token)."""
    token = secrets.token_hex(16)
    port = _free_port()
    settings = work / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(work / "runtime"), JUPYTER_CONFIG_DIR=str(work / "config"),
               JUPYTER_DATA_DIR=str(work / "data"), KERAS_BACKEND="jax", PYTHONPATH=os.getcwd())
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
               f"--LabApp.user_settings_dir={work / 'settings'}", f"--LabApp.workspaces_dir={work / 'workspaces'}"]
    log = open(work / "jupyterlab.log", "wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {work / 'jupyterlab.log'}") from None
                time.sleep(0.5)
        yield base, token
    finally:
        _shutdown(server, base, token, work)
        log.close()


def _shutdown(server, base, token, work):
    with contextlib.suppress(OSError):  # kernels have their own process groups: stop them first
        for kernel in _get(f"{base}/api/kernels?token={token}"):
            request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
            urllib.request.urlopen(request, timeout=10).close()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    # Anything still naming our temp folder (an orphaned kernel) is ours to stop.
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if str(work).encode() in handle.read():
                    os.kill(int(pid), signal.SIGKILL)


@contextlib.contextmanager
def chromium_page(work, viewport=(1400, 1000)):
    """A Playwright page in Debian's Chromium, with a fresh profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(work / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def open_and_run_all(page, base, token, notebook, timeout_s=240):
    """Opens `notebook`, waits for a ready kernel, runs all cells, and waits until none is pending."""
    page.goto(f"{base}/lab/tree/{notebook}?token={token}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    # An early "idle" is not a ready kernel: wait for the status bar too.
    page.wait_for_function("() => /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText ?? '')",
                           timeout=120_000)
    page.click("text=Run", timeout=30_000)  # the Run menu in the menu bar
    page.click("[data-command='runmenu:run-all']")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell')]
                .filter(cell => cell.querySelector('.cm-content')?.innerText.trim())
                .map(cell => cell.querySelector('.jp-InputPrompt')?.innerText ?? '');
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
        }""", timeout=timeout_s * 1000)


def screenshot_notebook(page, path):
    """A screenshot from the top of the notebook. JupyterLab scrolls inside its panel, so make the
    viewport tall enough up front: resizing it later makes plotly re-measure its outputs."""
    page.evaluate("() => { (document.querySelector('.jp-WindowedPanel-outer') ?? document.body).scrollTop = 0; }")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
