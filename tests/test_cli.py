"""The `workbench` console script: argument parsing, clear errors, and `serve` end to end."""

import importlib.metadata
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

import workbench
from workbench import layers
from workbench.cli import build_parser, main


def test_console_script_points_at_main():
    scripts = {e.name: e.value for e in importlib.metadata.entry_points(group="console_scripts")}
    assert scripts.get("workbench") == "workbench.cli:main"


def test_serve_defaults():
    args = build_parser().parse_args(["serve", "model.keras"])
    assert (args.command, args.model, args.host, args.port) == ("serve", "model.keras",
                                                                "127.0.0.1", 8000)
    assert (args.max_batch_size, args.batch_timeout_ms, args.no_warmup) == (32, 5.0, False)
    args = build_parser().parse_args(["serve", "m.keras", "--port", "9000", "--max-batch-size",
                                      "8", "--batch-timeout-ms", "0.5", "--no-warmup"])
    assert (args.port, args.max_batch_size, args.batch_timeout_ms, args.no_warmup) == (
        9000, 8, 0.5, True)


@pytest.mark.parametrize("argv,message", [
    ([], "COMMAND"),
    (["serve"], "model"),
    (["serve", "m.keras", "--port", "70000"], "between 0 and 65535"),
    (["serve", "m.keras", "--max-batch-size", "0"], "positive integer"),
    (["serve", "m.keras", "--batch-timeout-ms", "-1"], ">= 0"),
    (["predict"], "invalid choice"),
], ids=["no-command", "no-model", "port", "batch-size", "timeout", "unknown-command"])
def test_bad_arguments_exit_with_usage(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_model_file_is_a_clear_error(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "absent.keras")]) == 1
    err = capsys.readouterr().err
    assert "absent.keras' does not exist" in err and "Traceback" not in err


def test_invalid_model_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"this is not a zip archive")
    assert main(["serve", str(path)]) == 1
    err = capsys.readouterr().err
    assert "could not load" in err and "broken.keras" in err and "Traceback" not in err


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_serve_subprocess_answers_predictions(tmp_path):
    pytest.importorskip("uvicorn")
    model = workbench.Sequential([workbench.Input((3,)), layers.Dense(2)], name="tiny")
    path = tmp_path / "tiny.keras"
    model.save(path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, KERAS_BACKEND="jax")
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "serve", str(path), "--port", str(port),
         "--max-batch-size", "4", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert _get(f"{url}/healthz")["status"] == "ok"
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not start: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        assert _get(f"{url}/v1/metadata")["model_name"] == "tiny"
        x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]], "float32")
        call = urllib.request.Request(f"{url}/v1/predict", method="POST",
                                      data=json.dumps({"inputs": x.tolist()}).encode())
        with urllib.request.urlopen(call, timeout=30) as response:
            outputs = np.array(json.loads(response.read())["outputs"])
        np.testing.assert_allclose(outputs, model.predict(x, verbose=0), atol=1e-5)
    finally:
        process.terminate()
        process.wait(30)
