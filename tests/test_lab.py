"""`make lab` builds the right `jupyter lab` command, and the server it starts answers."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from workbench import lab


@pytest.fixture
def root(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01_quickstart.ipynb").write_text(json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return str(tmp_path)


def test_command_serves_the_quickstart_on_localhost_and_the_port(root):
    command = lab.build_command(port=8899, token="abc", root_dir=root, browser=True, root=False,
                                python="/venv/bin/python")
    assert command[:5] == ["/venv/bin/python", "-m", "jupyter", "lab",
                           os.path.join("notebooks", "01_quickstart.ipynb")]
    assert "--ServerApp.port=8899" in command and "--ServerApp.ip=127.0.0.1" in command
    assert "--ServerApp.port_retries=0" in command
    assert f"--ServerApp.root_dir={root}" in command
    assert "--IdentityProvider.token=abc" in command
    assert "--no-browser" not in command and "--allow-root" not in command


def test_headless_linux_gets_no_browser_and_root_gets_allow_root(root):
    command = lab.build_command(root_dir=root, browser=False, root=True)
    assert "--no-browser" in command and "--allow-root" in command
    assert not lab.has_browser("linux", {})
    assert lab.has_browser("linux", {"WAYLAND_DISPLAY": "wayland-0"})
    assert lab.has_browser("linux", {"DISPLAY": ":0"})
    assert lab.has_browser("darwin", {})


def test_each_launch_gets_a_fresh_token(root):
    first, second = (next(a for a in lab.build_command(root_dir=root) if "token=" in a)
                     for _ in range(2))
    assert first != second and len(first.split("=")[1]) == 48


def test_url_carries_the_token():
    assert (lab.lab_url(8899, "abc")
            == "http://127.0.0.1:8899/lab/tree/notebooks/01_quickstart.ipynb?token=abc")


@pytest.mark.parametrize("port", [0, 70000, "8888", True])
def test_a_bad_port_says_how_to_pass_one(root, port):
    with pytest.raises(ValueError, match=f"Received: port={port!r}.*make lab PORT=8899"):
        lab.build_command(port=port, root_dir=root)


def test_a_missing_notebook_is_named(root):
    with pytest.raises(FileNotFoundError, match="nope.ipynb"):
        lab.build_command(notebook="nope.ipynb", root_dir=root)


def test_dry_run_prints_the_command(capsys):
    assert lab.main(["--port", "8899", "--dry-run", "--no-browser"]) == 0
    printed = capsys.readouterr().out
    assert "jupyter lab notebooks/01_quickstart.ipynb" in printed
    assert "--ServerApp.port=8899" in printed and "--no-browser" in printed


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.slow
def test_jupyterlab_starts_and_answers_with_the_token(root):
    port = _free_port()
    command = lab.build_command(port=port, token="secret-token", root_dir=root, browser=False,
                                python=sys.executable)
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        status, body = None, b""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and status != 200:
            assert server.poll() is None, "jupyter lab exited early"
            try:
                status, body = _get(f"http://127.0.0.1:{port}/api/status?token=secret-token")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert status == 200 and "started" in json.loads(body)
        assert _get(f"http://127.0.0.1:{port}/api/status")[0] == 403
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
