"""The web API over real HTTP on 127.0.0.1: predictions, batching, metadata and bad requests."""

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

import workbench
from workbench import layers

uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("fastapi")

from workbench.export.serve import create_app  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url, body=None, method=None):
    """Sends `body` (bytes, or an object sent as JSON); returns (status, decoded JSON)."""
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
    call = urllib.request.Request(url, data=body, method=method,
                                  headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Running:
    """A uvicorn server in a thread, answering real HTTP on 127.0.0.1."""

    def __init__(self, app):
        self.url = f"http://127.0.0.1:{free_port()}"
        config = uvicorn.Config(app, host="127.0.0.1", port=int(self.url.rsplit(":", 1)[1]),
                                log_level="warning", limit_concurrency=200)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


def mlp():
    return workbench.Sequential([workbench.Input((4,)), layers.Dense(8, activation="relu"),
                                 layers.Dense(3)], name="scorer")


@pytest.fixture(scope="module")
def single():
    model = mlp()
    server = Running(create_app(model, max_batch_size=64, batch_timeout_ms=100))
    yield model, server.url
    server.stop()


def test_predict_matches_model_predict(single):
    model, url = single
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    status, body = request(f"{url}/v1/predict", {"inputs": x.tolist()})
    assert status == 200
    np.testing.assert_allclose(np.array(body["outputs"]), model.predict(x, verbose=0), atol=1e-5)


def test_metadata_and_health(single):
    _, url = single
    status, meta = request(f"{url}/v1/metadata")
    assert status == 200 and meta["model_name"] == "scorer"
    assert meta["inputs"] == [{"name": "input_layer", "shape": [None, 4], "dtype": "float32"}]
    assert meta["outputs"][0]["shape"] == [None, 3] and meta["max_batch_size"] == 64
    assert request(f"{url}/healthz") == (200, {"status": "ok", "model_name": "scorer"})


def test_concurrent_requests_are_batched_and_answered_individually(single):
    model, url = single
    rng = np.random.default_rng(1)
    inputs = [rng.normal(size=(1 + i % 3, 4)).astype("float32") for i in range(16)]
    answers = [None] * len(inputs)
    start = threading.Barrier(len(inputs))
    before = request(f"{url}/v1/stats")[1]

    def client(index):
        start.wait()
        answers[index] = request(f"{url}/v1/predict", {"inputs": inputs[index].tolist()})

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for x, (status, body) in zip(inputs, answers):
        assert status == 200
        np.testing.assert_allclose(np.array(body["outputs"]), model.predict(x, verbose=0),
                                   atol=1e-5)
    after = request(f"{url}/v1/stats")[1]
    served = after["requests"] - before["requests"]
    assert served == len(inputs)
    assert after["rows"] - before["rows"] == sum(len(x) for x in inputs)
    assert after["batches"] - before["batches"] < served


BAD_REQUESTS = [
    (b"{not json", 400, "not valid JSON"),
    ({"values": [[1, 2, 3, 4]]}, 400, '"inputs" key'),
    ([[1, 2, 3, 4]], 400, '"inputs" key'),
    ({"inputs": [[1, 2, 3]]}, 400, "shape ['batch', 4]; received shape [1, 3]"),
    ({"inputs": [1, 2, 3, 4]}, 400, "Wrap a single example in a list"),
    ({"inputs": [["a", "b", "c", "d"]]}, 400, "must hold numbers"),
    ({"inputs": [[1, 2, 3, 4], [1]]}, 400, "ragged"),
    ({"inputs": [[None, 1, 2, 3]]}, 400, "must hold numbers"),
    ({"inputs": {"pixels": [[1, 2, 3, 4]]}}, 400, "must have the keys ['input_layer']"),
    ({"inputs": []}, 400, "no rows"),
    ({"inputs": [[0.0] * 4] * 65}, 413, "at most 64 rows"),
]


@pytest.mark.parametrize("body,status,message", BAD_REQUESTS,
                         ids=[f"bad{i}" for i in range(len(BAD_REQUESTS))])
def test_bad_requests_get_4xx_naming_the_problem(single, body, status, message):
    _, url = single
    got_status, got = request(f"{url}/v1/predict", body)
    assert got_status == status
    assert message in got["error"]


def test_server_still_answers_after_bad_requests(single):
    model, url = single
    for body, _, _ in BAD_REQUESTS:
        request(f"{url}/v1/predict", body)
    assert request(f"{url}/healthz")[0] == 200
    x = np.ones((2, 4), "float32")
    status, body = request(f"{url}/v1/predict", {"inputs": x.tolist()})
    assert status == 200
    np.testing.assert_allclose(np.array(body["outputs"]), model.predict(x, verbose=0), atol=1e-5)
    assert request(f"{url}/v1/predict", method="GET")[0] == 405


def test_multi_input_multi_output_model_takes_and_returns_dicts():
    numbers = workbench.Input((3,), name="numbers")
    tokens = workbench.Input((2,), name="tokens", dtype="int32")
    joined = layers.Concatenate()([numbers, layers.Flatten()(layers.Embedding(5, 2)(tokens))])
    model = workbench.Model([numbers, tokens], [layers.Dense(1, name="score")(joined),
                                                layers.Dense(2, name="logits")(joined)])
    server = Running(create_app(model, max_batch_size=8, batch_timeout_ms=1))
    try:
        x = {"numbers": [[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]], "tokens": [[1, 4], [0, 3]]}
        status, body = request(f"{server.url}/v1/predict", {"inputs": x})
        assert status == 200 and sorted(body["outputs"]) == ["logits", "score"]
        expected = model.predict([np.array(x["numbers"], "float32"),
                                  np.array(x["tokens"], "int32")], verbose=0)
        np.testing.assert_allclose(body["outputs"]["score"], expected[0], atol=1e-5)
        np.testing.assert_allclose(body["outputs"]["logits"], expected[1], atol=1e-5)
        status, body = request(f"{server.url}/v1/predict", {"inputs": x["numbers"]})
        assert status == 400 and "keys ['numbers', 'tokens']" in body["error"]
        status, body = request(f"{server.url}/v1/predict",
                               {"inputs": {"numbers": x["numbers"], "tokens": [[1, 2]]}})
        assert status == 400 and "same number of rows" in body["error"]
    finally:
        server.stop()


def test_inputs_with_a_fixed_batch_dimension_are_refused():
    model = workbench.Sequential([workbench.Input((4,), batch_size=2), layers.Dense(1)])
    with pytest.raises(ValueError, match="free .None. batch"):
        create_app(model)
