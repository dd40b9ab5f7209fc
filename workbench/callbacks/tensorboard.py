"""TensorBoard: write scalars and weight histograms for TensorBoard, without TensorFlow."""

import os
import time
import warnings

import numpy as np

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback
from workbench.callbacks.event_writer import EventFileWriter
from workbench.callbacks.learning_rate_utils import log_learning_rates


@keras_export("keras.callbacks.TensorBoard")
class TensorBoard(Callback):
    """Writes logs for TensorBoard, without TensorFlow.

    At the end of each epoch it writes every logged metric as a scalar named
    `epoch_<metric>`, with the learning rate: training values under
    `log_dir/train`, validation values (without their `val_` prefix) under
    `log_dir/validation`. View them with `tensorboard --logdir=log_dir`.

    Args:
        log_dir: The directory for the event files.
        histogram_freq: Every how many epochs to write histograms of the weights;
            0 writes none.
        write_graph: Accepted for compatibility; no graph is written.
        write_images: Accepted for compatibility; no images are written.
        write_steps_per_second: Whether to log training steps per second.
        update_freq: `"epoch"`, `"batch"`, or an integer: with an integer N, batch-level
            metrics (`batch_<metric>`) are also written every N batches. Each write reads
            the values from the device.
        profile_batch: Accepted for compatibility; must be 0 (use `jax.profiler`).
        embeddings_freq: Accepted for compatibility; must be 0.
        embeddings_metadata: Accepted for compatibility.

    Example:

    >>> tensorboard = TensorBoard(log_dir="./logs")  # doctest: +SKIP
    >>> model.fit(x, y, epochs=2, callbacks=[tensorboard])  # doctest: +SKIP
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if profile_batch or embeddings_freq:
            warnings.warn(
                "TensorBoard here writes scalars and weight histograms only; profile_batch and "
                f"embeddings_freq are ignored. Received: profile_batch={profile_batch}, "
                f"embeddings_freq={embeddings_freq}. For profiles, use `jax.profiler.trace`.",
                stacklevel=2,
            )
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        self._global_train_batch = 0
        self._last_batch_seen = None
        self._epoch_start_batch = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0

    def _writes_batches(self):
        return self.update_freq != "epoch"

    def _needs_batch_hooks(self, mode):
        return mode == "train" and self._writes_batches()

    def _writer(self, directory):
        if directory not in self._writers:
            self._writers[directory] = EventFileWriter(directory)
        return self._writers[directory]

    def _write_scalars(self, directory, prefix, logs, step):
        writer = self._writer(directory)
        for name, value in logs.items():
            if np.ndim(value) == 0:
                writer.add_scalar(f"{prefix}{name}", float(value), step)
        writer.flush()

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._last_batch_seen = None

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start_batch = self._global_train_batch
        self._epoch_start_time = time.perf_counter()
        self._last_batch_seen = None

    def on_train_batch_begin(self, batch, logs=None):
        self._batch_start_time = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        # Count by index, so fused executions that skip indices still count every step.
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            previous = self._global_train_batch
            self._global_train_batch += batch + 1
        else:
            previous = self._global_train_batch
            self._global_train_batch += batch - self._last_batch_seen
        self._last_batch_seen = batch
        if not self._writes_batches():
            return
        if self._global_train_batch // self.update_freq == previous // self.update_freq:
            return
        batch_logs = dict(logs or {})
        if self.write_steps_per_second:
            elapsed = time.perf_counter() - self._batch_start_time
            batch_logs["steps_per_second"] = (self._global_train_batch - previous) / max(elapsed, 1e-9)
        self._write_scalars(self._train_dir, "batch_", batch_logs, self._global_train_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = getattr(self._model, "optimizer", None)
        if hasattr(optimizer, "learning_rate") or hasattr(optimizer, "optimizers"):
            log_learning_rates(self.model, train_logs)
        if self.write_steps_per_second:
            elapsed = time.perf_counter() - self._epoch_start_time
            steps = self._global_train_batch - self._epoch_start_batch
            train_logs["steps_per_second"] = steps / max(elapsed, 1e-9)
        if train_logs:
            self._write_scalars(self._train_dir, "epoch_", train_logs, epoch)
        if val_logs:
            self._write_scalars(self._val_dir, "epoch_", val_logs, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def on_test_end(self, logs=None):
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        if iterations is None or not logs:
            return
        step = int(np.asarray(getattr(iterations, "value", iterations)))
        evaluation = {f"evaluation_{name}_vs_iterations": value for name, value in logs.items()}
        self._write_scalars(self._val_dir, "", evaluation, step)

    def _log_weights(self, epoch):
        writer = self._writer(self._train_dir)
        for weight in self.model.weights:
            name = getattr(weight, "path", getattr(weight, "name", "weight")).replace(":", "_")
            writer.add_histogram(f"{name}/histogram", np.asarray(weight), epoch)
        writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
