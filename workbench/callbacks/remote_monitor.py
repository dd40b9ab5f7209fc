"""RemoteMonitor: post each epoch's logs to a server."""

import json
import warnings

import numpy as np

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback

_UNLOADED = object()
requests = _UNLOADED  # imported on first use: it would add ~50 ms to `import workbench`


def _requests():
    global requests
    if requests is _UNLOADED:
        try:
            import requests as module
        except ImportError:
            module = None
        requests = module
    return requests


@keras_export("keras.callbacks.RemoteMonitor")
class RemoteMonitor(Callback):
    """Posts the logs of each epoch to a server with an HTTP POST.

    By default the request is form data with one field, `data`, holding the
    JSON-encoded logs (and `epoch`). With `send_as_json=True` the body is the JSON
    itself, with content type `application/json`. It needs the `requests` package;
    without it, the callback warns and sends nothing.

    Args:
        root: Root URL of the target server.
        path: Path relative to `root` to which the events are sent.
        field: The form field that holds the JSON, when not sending JSON.
        headers: Optional dict of HTTP headers.
        send_as_json: Whether to send the request body as JSON.

    Example:

    >>> monitor = RemoteMonitor(root="http://localhost:9000")
    >>> model.fit(x, y, callbacks=[monitor])  # doctest: +SKIP
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json
        if _requests() is None:
            warnings.warn(
                "RemoteMonitor requires the `requests` package, which is not installed; it will "
                "send nothing. Install it with `pip install requests`.",
                stacklevel=2,
            )

    def on_epoch_end(self, epoch, logs=None):
        client = _requests()
        if client is None:
            return
        payload = {"epoch": epoch}
        for key, value in (logs or {}).items():
            payload[key] = np.asarray(value).item() if np.ndim(value) == 0 else value
        try:
            if self.send_as_json:
                client.post(self.root + self.path, json=payload, headers=self.headers)
            else:
                client.post(self.root + self.path, {self.field: json.dumps(payload)},
                              headers=self.headers)
        except client.exceptions.RequestException:
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
