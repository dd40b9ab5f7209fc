"""CSVLogger: stream epoch results to a CSV file."""

import csv
import os

import numpy as np

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback


def _cell(value):
    if isinstance(value, str) or np.ndim(value) == 0:
        return value
    return f'"[{", ".join(map(str, np.ravel(value)))}]"'


@keras_export("keras.callbacks.CSVLogger")
class CSVLogger(Callback):
    """Streams epoch results to a CSV file, one row per epoch.

    The columns are `epoch` and the sorted log keys of the first epoch; when that
    epoch has no validation keys, `val_` columns are added for each key, so later
    validation results still fit (missing values are written as `NA`). The file is
    flushed after every row, so it is complete up to the last finished epoch.

    Args:
        filename: Path of the CSV file, e.g. `"run/log.csv"`.
        separator: The string that separates the cells.
        append: Whether to append to an existing file (without repeating its header)
            rather than overwrite it.

    Example:

    >>> csv_logger = CSVLogger("training.log")
    >>> model.fit(x, y, callbacks=[csv_logger])  # doctest: +SKIP
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        self.append_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as existing:
                self.append_header = not existing.readline()
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys, delimiter=self.sep
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
