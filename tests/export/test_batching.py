"""BatchingPredictor: gathering, padding to buckets, splitting back, and failures."""

import threading

import numpy as np
import pytest

from workbench.export.batching import BatchingPredictor, bucket_sizes


def test_bucket_sizes_are_powers_of_two_capped_by_the_maximum():
    assert bucket_sizes(1) == [1]
    assert bucket_sizes(8) == [1, 2, 4, 8]
    assert bucket_sizes(20) == [1, 2, 4, 8, 16, 20]


class Recorder:
    """A predict function that records the batch sizes it ran; it holds its first call until
    `release` is set, so that requests queue up meanwhile."""

    def __init__(self):
        self.sizes = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, x, y):
        self.entered.set()
        self.release.wait(10)
        self.sizes.append(x.shape[0])
        return [x * 2 + y.sum(axis=1, keepdims=True), x[:, :1]]


def test_requests_are_gathered_padded_and_split_back():
    record = Recorder()
    predictor = BatchingPredictor(record, max_batch_size=16, batch_timeout_ms=50)
    try:
        blocker = predictor.submit([np.zeros((1, 2)), np.zeros((1, 3))])
        assert record.entered.wait(10)
        # While the worker is busy with `blocker`, three requests (6 rows) queue up together.
        parts = [(np.full((rows, 2), i, float), np.full((rows, 3), 10 * i, float))
                 for i, rows in enumerate([1, 2, 3], start=1)]
        futures = [predictor.submit(list(part)) for part in parts]
        record.release.set()
        blocker.result(10)
        for (x, y), future in zip(parts, futures):
            first, second = future.result(10)
            np.testing.assert_array_equal(first, x * 2 + y.sum(axis=1, keepdims=True))
            np.testing.assert_array_equal(second, x[:, :1])
        assert record.sizes[-1] == 8  # 6 rows padded to the next bucket
        stats = predictor.stats()
        assert stats["requests"] == 4 and stats["rows"] == 7 and stats["padded_rows"] == 2
        assert stats["batches"] == len(record.sizes) == 2
    finally:
        predictor.close()


def test_a_request_that_does_not_fit_waits_for_the_next_batch():
    record = Recorder()
    predictor = BatchingPredictor(record, max_batch_size=4, batch_timeout_ms=50)
    try:
        blocker = predictor.submit([np.zeros((1, 2)), np.zeros((1, 3))])
        assert record.entered.wait(10)
        futures = [predictor.submit([np.ones((rows, 2)), np.ones((rows, 3))]) for rows in (3, 2)]
        record.release.set()
        blocker.result(10)
        assert [f.result(10)[0].shape[0] for f in futures] == [3, 2]
        assert record.sizes[1:] == [4, 2]
    finally:
        predictor.close()


def test_a_failing_batch_fails_its_requests_and_the_worker_goes_on():
    calls = []

    def predict(x):
        calls.append(x.shape[0])
        if len(calls) == 1:
            raise FloatingPointError("boom")
        return [x + 1]

    predictor = BatchingPredictor(predict, max_batch_size=4, batch_timeout_ms=0)
    try:
        with pytest.raises(FloatingPointError, match="boom"):
            predictor.submit([np.zeros((1, 2))]).result(10)
        np.testing.assert_array_equal(predictor.submit([np.zeros((1, 2))]).result(10)[0],
                                      np.ones((1, 2)))
        assert predictor.stats()["errors"] == 1 and predictor.alive
    finally:
        predictor.close()
    assert not predictor.alive


def test_too_many_rows_and_bad_settings_are_refused():
    predictor = BatchingPredictor(lambda x: [x], max_batch_size=2)
    try:
        with pytest.raises(ValueError, match="at most 2 rows"):
            predictor.submit([np.zeros((3, 1))])
    finally:
        predictor.close()
    with pytest.raises(ValueError, match="max_batch_size=0"):
        BatchingPredictor(lambda x: [x], max_batch_size=0)
    with pytest.raises(ValueError, match="batch_timeout_ms=-1"):
        BatchingPredictor(lambda x: [x], batch_timeout_ms=-1)
