"""BackupAndRestore: resume an interrupted fit() from its last backup."""

import functools
import json
import os
import shutil

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback


def _replace_atomically(path, write):
    """Runs `write(temporary_path)`, then renames the result over `path` in one step."""
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".tmp-{name}")  # keeps the suffix save_weights checks
    write(temporary)
    os.replace(temporary, path)


@keras_export("keras.callbacks.BackupAndRestore")
class BackupAndRestore(Callback):
    """Backs up the training state, and restores it when `fit()` is run again.

    It saves the model's weights (with the optimizer's state) to
    `backup_dir/latest.weights.h5`, and the number of finished epochs to
    `backup_dir/training_metadata.json`. Each file is written to a temporary name
    and renamed over the old one, so an interruption during a save leaves the
    previous backup whole. At the start of the next `fit()` with the same callback,
    the weights are loaded and training resumes at the first unfinished epoch. When
    `fit()` completes, the backup is deleted.

    The model must be built, and be the same model as the one backed up.

    Args:
        backup_dir: Directory for the backup. Use it for nothing else.
        save_freq: `"epoch"` to back up at the end of each epoch, or an integer to
            back up every that many batches. `False` disables saving.
        double_checkpoint: Whether to keep the previous backup too (`*.bkp`), used
            when the latest one cannot be read.
        delete_checkpoint: Whether to delete the backup when training finishes.

    Example:

    >>> backup = BackupAndRestore(backup_dir="/tmp/backup")
    >>> model.fit(x, y, epochs=10, callbacks=[backup])  # doctest: +SKIP
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"Empty `backup_dir` argument passed. Received: backup_dir={backup_dir!r}")
        if save_freq not in ("epoch", False) and not isinstance(save_freq, int):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._initial_epoch = None

    def _saves_per_batch(self):
        return self.save_freq not in ("epoch", False)

    def _needs_batch_hooks(self, mode):
        return mode == "train" and self._saves_per_batch()

    def on_train_begin(self, logs=None):
        self._initial_epoch = None
        try:
            self._load_model(self._weights_path, self._training_metadata_path)
        except (OSError, ValueError):
            # The latest backup is unreadable; fall back to the previous one if there is one.
            if not os.path.exists(self._prev_weights_path):
                raise
            self._load_model(self._prev_weights_path, self._prev_training_metadata_path)

    def _load_model(self, weights_path, metadata_path):
        model = self.model
        if not getattr(model, "built", True):
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model {model} is unbuilt. Build it by calling it on a batch of data."
            )
        if os.path.exists(weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not getattr(optimizer, "built", True):
                optimizer.build(model.trainable_variables)  # its variables must exist to load
            model.load_weights(weights_path)
        if os.path.exists(metadata_path):
            with open(metadata_path) as file:
                epoch = json.load(file)["epoch"]
            self._initial_epoch = epoch
            self._current_epoch = epoch
            # As in Keras: fit() reads this after on_train_begin and starts from it.
            model._initial_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model()

    def _should_save_on_batch(self, batch):
        """Counts batches, also when fused execution skips some batch indices."""
        if not self._saves_per_batch():
            return False
        added = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for path, previous in ((self._weights_path, self._prev_weights_path),
                                   (self._training_metadata_path, self._prev_training_metadata_path)):
                if os.path.exists(path):
                    _replace_atomically(previous, functools.partial(shutil.copyfile, path))
        model = self.model
        _replace_atomically(self._weights_path,
                            lambda temporary: model.save_weights(temporary, overwrite=True))
        metadata = json.dumps({"epoch": self._current_epoch, "batch": self._last_batch_seen})

        def write_metadata(temporary):
            with open(temporary, "w") as file:
                file.write(metadata)
                file.flush()
                os.fsync(file.fileno())

        _replace_atomically(self._training_metadata_path, write_metadata)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
        # The next fit() of this model starts from its own initial_epoch again.
        if getattr(self._model, "_initial_epoch", None) is not None:
            self._model._initial_epoch = None

