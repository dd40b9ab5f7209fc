"""Request batching for serving: concurrent requests are gathered into one batch, run through one
jitted function, and split back per request.

One worker thread owns the device. It takes the first waiting request, then keeps gathering for at
most `batch_timeout_ms` or until `max_batch_size` rows are in hand. The batch is padded to the next
bucket size (powers of two, capped at `max_batch_size`), so XLA compiles once per bucket rather
than once per batch size.
"""

import concurrent.futures
import queue
import threading
import time

import numpy as np


def bucket_sizes(max_batch_size):
    """The padded batch sizes: 1, 2, 4, ... below `max_batch_size`, then `max_batch_size`."""
    sizes = []
    size = 1
    while size < max_batch_size:
        sizes.append(size)
        size *= 2
    return sizes + [max_batch_size]


class _Request:
    __slots__ = ("inputs", "rows", "future")

    def __init__(self, inputs, rows):
        self.inputs = inputs
        self.rows = rows
        self.future = concurrent.futures.Future()


class BatchingPredictor:
    """Runs `predict(*flat_inputs) -> flat outputs` on batches gathered from concurrent `submit`s.

    Args:
        predict: a function of NumPy arrays (one per input, batch first) returning a sequence of
            arrays, batch first. It is called from the worker thread only.
        max_batch_size: the most rows in one batch, and in one request.
        batch_timeout_ms: how long the first request of a batch waits for company.

    Example:

    >>> predictor = BatchingPredictor(lambda x: [x * 2], max_batch_size=8)
    >>> predictor.submit([np.ones((3, 2))]).result()[0].shape
    (3, 2)
    """

    def __init__(self, predict, max_batch_size=32, batch_timeout_ms=5.0):
        if not isinstance(max_batch_size, int) or max_batch_size < 1:
            raise ValueError(f"max_batch_size must be a positive integer. Received: "
                             f"max_batch_size={max_batch_size!r}")
        if batch_timeout_ms < 0:
            raise ValueError(f"batch_timeout_ms must be >= 0. Received: "
                             f"batch_timeout_ms={batch_timeout_ms!r}")
        self.predict = predict
        self.max_batch_size = max_batch_size
        self.batch_timeout = batch_timeout_ms / 1000.0
        self.buckets = bucket_sizes(max_batch_size)
        self._lock = threading.Lock()
        self._stats = {"requests": 0, "rows": 0, "batches": 0, "padded_rows": 0, "errors": 0}
        self._queue = queue.Queue()
        self._held = None  # a request that did not fit in the previous batch
        self._closed = threading.Event()
        self._worker = threading.Thread(target=self._run, name="workbench-batcher", daemon=True)
        self._worker.start()

    def submit(self, inputs):
        """Queues one request (a list of arrays with equal first dimensions); returns a Future of
        the list of its output arrays."""
        rows = int(inputs[0].shape[0])
        if rows > self.max_batch_size:
            raise ValueError(f"A request may hold at most {self.max_batch_size} rows "
                             f"(max_batch_size); it held {rows}.")
        if self._closed.is_set():
            raise RuntimeError("The predictor is closed.")
        request = _Request(inputs, rows)
        self._queue.put(request)
        return request.future

    def stats(self):
        """Counts so far: requests, rows, batches run, padding rows added, failed batches."""
        with self._lock:
            return dict(self._stats)

    @property
    def alive(self):
        return self._worker.is_alive() and not self._closed.is_set()

    def close(self, timeout=5.0):
        """Stops the worker after the batch it is running."""
        self._closed.set()
        self._queue.put(None)
        self._worker.join(timeout)

    def _next_request(self, timeout):
        if self._held is not None:
            request, self._held = self._held, None
            return request
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def _gather(self):
        first = self._next_request(timeout=None)
        if first is None:
            return []
        batch, rows = [first], first.rows
        deadline = time.monotonic() + self.batch_timeout
        while rows < self.max_batch_size:
            request = self._next_request(timeout=max(0.0, deadline - time.monotonic()))
            if request is None:
                break
            if rows + request.rows > self.max_batch_size:
                self._held = request
                break
            batch.append(request)
            rows += request.rows
        return batch

    def _run(self):
        while not self._closed.is_set():
            batch = self._gather()
            if batch:
                self._run_batch(batch)

    def _run_batch(self, batch):
        rows = sum(request.rows for request in batch)
        padded = next(size for size in self.buckets if size >= rows)
        try:
            inputs = []
            for position in range(len(batch[0].inputs)):
                joined = np.concatenate([request.inputs[position] for request in batch], axis=0)
                padding = np.zeros((padded - rows,) + joined.shape[1:], joined.dtype)
                inputs.append(np.concatenate([joined, padding], axis=0))
            outputs = [np.asarray(output) for output in self.predict(*inputs)]
        except Exception as error:  # the server answers 500 for these requests and goes on
            with self._lock:
                self._stats["errors"] += 1
            for request in batch:
                request.future.set_exception(error)
            return
        with self._lock:
            self._stats["requests"] += len(batch)
            self._stats["rows"] += rows
            self._stats["batches"] += 1
            self._stats["padded_rows"] += padded - rows
        start = 0
        for request in batch:
            request.future.set_result([output[start:start + request.rows] for output in outputs])
            start += request.rows
