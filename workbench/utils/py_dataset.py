"""`PyDataset`: a Python-side dataset of batches, as `keras.utils.PyDataset` (alias `Sequence`)."""

from workbench.api_export import keras_export


@keras_export("keras.utils.PyDataset", "keras.utils.Sequence")
class PyDataset:
    """Base class for datasets of batches that `fit`, `evaluate` and `predict` index one by one.

    Subclass it and implement `__getitem__(index)`, which returns one full batch (`x`, `(x, y)` or
    `(x, y, sample_weight)`), and `__len__()`, the number of batches per epoch. `on_epoch_begin`
    and `on_epoch_end` run around every epoch, for instance to reshuffle.

    With `workers > 1` the trainer prefetches up to `max_queue_size` batches with a pool of
    `workers` threads, so `__getitem__` must be safe to call from several threads. Threads help
    when batches come from I/O or from numpy/Pillow code that releases the GIL.
    `use_multiprocessing=True` is accepted for compatibility with Keras but also runs threads:
    process pools would need a picklable dataset and a separate JAX-free worker start method.

    Args:
        workers: Number of threads that load batches in parallel. `1` loads them in the
            training loop's thread.
        use_multiprocessing: Accepted for Keras compatibility; workers are always threads.
        max_queue_size: Most batches loaded ahead of the one being trained on.

    Example:

    ```python
    class Batches(keras.utils.PyDataset):
        def __init__(self, x, y, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, index):
            part = slice(index * self.batch_size, (index + 1) * self.batch_size)
            return self.x[part], self.y[part]

    model.fit(Batches(x, y, batch_size=32, workers=4), epochs=2)
    ```
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        if not isinstance(workers, int) or workers < 1:
            raise ValueError(f"`workers` must be an integer >= 1. Received: workers={workers}")
        if not isinstance(max_queue_size, int) or max_queue_size < 1:
            raise ValueError(
                f"`max_queue_size` must be an integer >= 1. Received: max_queue_size={max_queue_size}"
            )
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    # Properties with defaults, so a subclass that skips `super().__init__()` still works.
    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """Returns the batch at position `index`."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(index)`.")

    def __len__(self):
        """Returns the number of batches in one epoch."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__len__()`.")

    @property
    def num_batches(self):
        """The number of batches per epoch: `len(self)`, or None if `__len__` is not implemented."""
        try:
            return len(self)
        except NotImplementedError:
            return None

    def on_epoch_begin(self):
        """Called before each epoch."""

    def on_epoch_end(self):
        """Called after each epoch."""


Sequence = PyDataset
