"""A web API for a model: `workbench serve model.keras`, or `create_app(model)` in Python.

Routes:
    POST /v1/predict   `{"inputs": [[...], ...]}` (or `{"inputs": {"name": [...], ...}}` for a
                       model with several inputs) -> `{"outputs": [...]}` (or a dict by output
                       name when the model has several outputs). Concurrent requests are
                       batched together (see `workbench.export.batching`).
    GET  /v1/metadata  the model name, input and output names, shapes and dtypes, batch settings.
    GET  /v1/stats     requests, rows and batches run so far.
    GET  /healthz      `{"status": "ok"}` while the batching worker runs (503 otherwise).

Bad requests get a 4xx with `{"error": message}` naming what was wrong and what was expected.
Needs the `serve` extra: `pip install workbench[serve]`.
"""

import asyncio
import contextlib
import json

import numpy as np

from workbench.export.batching import BatchingPredictor
from workbench.export.signature import current_weights, forward_function, model_signature

_INSTALL_HINT = "Install the serve extra: `pip install workbench[serve]` (fastapi, uvicorn)."


class RequestError(Exception):
    """A client mistake: answered with `status` and `{"error": message}`."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _require_fastapi():
    try:
        import fastapi
    except ImportError as error:
        raise ImportError(f"Serving needs FastAPI ({error}). {_INSTALL_HINT}") from error
    return fastapi


def jitted_predict(model, signature):
    """One jitted function of the flat inputs, with the weights passed as arguments (not baked
    into the XLA program)."""
    import jax

    forward = jax.jit(forward_function(model, signature))
    trainable, non_trainable = current_weights(model)
    return lambda *flat_inputs: forward(trainable, non_trainable, *flat_inputs)


def _as_array(value, info):
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise RequestError(f"Input '{info.name}' must be a nested list of numbers; it is ragged "
                           f"or mixed ({error}).") from error
    if array.dtype.kind not in "biuf":
        held = "strings" if array.dtype.kind in "US" else f"values of dtype {array.dtype}"
        raise RequestError(f"Input '{info.name}' must hold numbers (dtype {info.dtype}); it holds "
                           f"{held}.")
    if array.ndim >= 1 and array.shape[0] == 0:
        raise RequestError(f"Input '{info.name}' has no rows; send at least one.")
    expected = list(info.shape)
    shape_text = str(["batch" if d is None else d for d in expected])
    if array.ndim != len(expected) or any(
            want is not None and got != want for got, want in zip(array.shape, expected)):
        hint = " Wrap a single example in a list." if array.ndim == len(expected) - 1 else ""
        raise RequestError(f"Input '{info.name}' must have shape {shape_text}; received shape "
                           f"{list(array.shape)}.{hint}")
    return array.astype(info.dtype)


def parse_inputs(payload, signature, max_batch_size):
    """Validates a decoded request body; returns one array per model input, in signature order."""
    if not isinstance(payload, dict) or "inputs" not in payload:
        raise RequestError('The request body must be a JSON object with an "inputs" key, e.g. '
                           '{"inputs": [[0.1, 0.2]]}. Received: ' + (
                               f"an object with keys {sorted(payload)}." if isinstance(payload, dict)
                               else f"a JSON {type(payload).__name__}."))
    inputs = payload["inputs"]
    names = [info.name for info in signature.inputs]
    if isinstance(inputs, dict):
        if sorted(inputs) != sorted(names):
            raise RequestError(f'"inputs" must have the keys {names}; received {sorted(inputs)}.')
        values = [inputs[name] for name in names]
    elif len(names) == 1:
        values = [inputs]
    else:
        raise RequestError(f'This model has {len(names)} inputs: send "inputs" as an object '
                           f"with the keys {names}.")
    arrays = [_as_array(value, info) for value, info in zip(values, signature.inputs)]
    rows = {int(a.shape[0]) for a in arrays}
    if len(rows) > 1:
        raise RequestError(f"All inputs must have the same number of rows; received "
                           f"{dict(zip(names, (a.shape[0] for a in arrays)))}.")
    (count,) = rows
    if count > max_batch_size:
        raise RequestError(f"A request may hold at most {max_batch_size} rows (the server's "
                           f"--max-batch-size); received {count}. Split it into smaller "
                           "requests.", status=413)
    return arrays


def create_app(model, max_batch_size=32, batch_timeout_ms=5.0, warmup=False,
               input_signature=None):
    """Returns a FastAPI app serving `model` (see the module docstring for the routes).

    Args:
        model: a built workbench model (Functional, Sequential, or subclassed with
            `input_signature`).
        max_batch_size: the most rows run together, and the most one request may send.
        batch_timeout_ms: how long a request waits for others to share its batch.
        warmup: compile every padded batch size now rather than on first use.
        input_signature: input specs, for models without symbolic inputs (see `export_onnx`).

    Example:

    >>> app = create_app(model, max_batch_size=64)
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)
    """
    fastapi = _require_fastapi()
    from fastapi.responses import JSONResponse

    signature = model_signature(model, input_signature)
    fixed = [info.name for info in signature.inputs if not info.shape or info.shape[0] is not None]
    if fixed:
        raise ValueError(f"Serving batches requests, so every input needs a free (None) batch "
                         f"dimension; inputs {fixed} have a fixed one. Pass input_signature with "
                         "None first, e.g. shape=(None, 8).")
    predictor = BatchingPredictor(jitted_predict(model, signature), max_batch_size=max_batch_size,
                                  batch_timeout_ms=batch_timeout_ms)
    if warmup:
        for size in predictor.buckets:
            predictor.predict(*[np.zeros((size,) + info.shape[1:], info.dtype)
                                for info in signature.inputs])

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        predictor.close()

    app = fastapi.FastAPI(title=f"workbench: {model.name}", lifespan=lifespan)
    app.state.predictor = predictor
    app.state.signature = signature

    @app.exception_handler(RequestError)
    async def request_error(request, error):
        return JSONResponse({"error": error.message}, status_code=error.status)

    @app.post("/v1/predict")
    async def predict(request: fastapi.Request):
        body = await request.body()
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise RequestError(f"The request body is not valid JSON ({error}); send "
                               '{"inputs": ...}.') from error
        arrays = parse_inputs(payload, signature, max_batch_size)
        try:
            outputs = await asyncio.wrap_future(predictor.submit(arrays))
        except Exception as error:
            return JSONResponse({"error": f"Prediction failed: {type(error).__name__}: {error}"},
                                status_code=500)
        if len(outputs) == 1:
            return {"outputs": outputs[0].tolist()}
        return {"outputs": {info.name: output.tolist()
                            for info, output in zip(signature.outputs, outputs)}}

    @app.get("/v1/metadata")
    async def metadata():
        return {"model_name": model.name,
                "inputs": [info.as_dict() for info in signature.inputs],
                "outputs": [info.as_dict() for info in signature.outputs],
                "max_batch_size": max_batch_size, "batch_timeout_ms": batch_timeout_ms}

    @app.get("/v1/stats")
    async def stats():
        return predictor.stats()

    @app.get("/healthz")
    async def healthz():
        if not predictor.alive:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return {"status": "ok", "model_name": model.name}

    return app
