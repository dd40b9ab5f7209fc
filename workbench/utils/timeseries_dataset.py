"""`timeseries_dataset_from_array`, as `keras.utils.timeseries_dataset_from_array`."""

import math

import numpy as np

from workbench.api_export import keras_export
from workbench.utils.py_dataset import PyDataset


class TimeseriesDataset(PyDataset):
    """Sliding windows over an array, gathered per batch with one fancy-indexing call."""

    def __init__(self, data, targets, start_positions, sequence_length, sampling_rate, batch_size,
                 shuffle_rng=None):
        super().__init__()
        self.data = data
        self.targets = targets
        self.start_positions = start_positions
        self.window_offsets = np.arange(sequence_length) * sampling_rate
        self.batch_size = batch_size
        self.shuffle_rng = shuffle_rng

    def __len__(self):
        if self.batch_size is None:
            return len(self.start_positions)
        return math.ceil(len(self.start_positions) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for {len(self)} batches.")
        if self.batch_size is None:
            positions = self.start_positions[index]
        else:
            positions = self.start_positions[index * self.batch_size:(index + 1) * self.batch_size]
        windows = self.data[np.asarray(positions)[..., None] + self.window_offsets]
        if self.targets is None:
            return windows
        return windows, self.targets[positions]

    def on_epoch_end(self):
        if self.shuffle_rng is not None:
            self.shuffle_rng.shuffle(self.start_positions)


@keras_export("keras.utils.timeseries_dataset_from_array",
              "keras.preprocessing.timeseries_dataset_from_array")
def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None,
                                  end_index=None):
    """Creates a dataset of sliding windows over a timeseries provided as an array.

    Window `i` holds the timesteps `p, p + sampling_rate, ..., p + (sequence_length - 1) *
    sampling_rate` of `data[start_index:end_index]`, where `p = i * sequence_stride`; its target is
    `targets[start_index:][p]`, the target of the window's first step. Windows that would run past
    the data are dropped.

    Unlike Keras, which returns a `tf.data.Dataset`, this returns a `workbench.utils.PyDataset` of
    numpy batches (index it, iterate over `range(len(dataset))`, or pass it to `fit`). The windows
    and their order equal Keras's when `shuffle=False`. With `shuffle=True` the start positions are
    shuffled with `np.random.RandomState(seed)` as in Keras, and reshuffled after every epoch;
    Keras additionally shuffles within a `tf.data` buffer, so the shuffled order differs.

    Args:
        data: Array of consecutive data points; axis 0 is time.
        targets: Targets: `targets[i]` belongs to the window that starts at index `i`. `None`
            makes the dataset yield only windows.
        sequence_length: Number of timesteps per window.
        sequence_stride: Steps between the starts of successive windows.
        sampling_rate: Steps between successive timesteps within a window.
        batch_size: Windows per batch (the last batch may be smaller). `None` yields single windows.
        shuffle: Whether to shuffle the windows instead of keeping chronological order.
        seed: Optional int seed for shuffling.
        start_index: Data points before this index (exclusive) are not used.
        end_index: Data points from this index on are not used.

    Returns:
        A `PyDataset` whose items are `(windows, targets)` batches, or only `windows` when
        `targets` is None. `windows` has shape `(batch, sequence_length) + data.shape[1:]`.

    Example:

    >>> dataset = keras.utils.timeseries_dataset_from_array(
    ...     np.arange(100), None, sequence_length=10, sampling_rate=2, sequence_stride=3)
    >>> dataset[0][1]
    array([ 3,  5,  7,  9, 11, 13, 15, 17, 19, 21])
    """
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= len(data):
            raise ValueError(
                "`start_index` must be lower than the length of the data. Received: "
                f"start_index={start_index}, for data of length {len(data)}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index}"
            )
        if end_index >= len(data):
            raise ValueError(
                "`end_index` must be lower than the length of the data. Received: "
                f"end_index={end_index}, for data of length {len(data)}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, step in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if step <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={step}")
        if step >= len(data):
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: {name}={step}, "
                f"for data of length {len(data)}"
            )
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_windows = min(num_windows, len(targets))
    start_positions = np.arange(0, max(num_windows, 0), sequence_stride)
    shuffle_rng = None
    if shuffle:
        shuffle_rng = np.random.RandomState(np.random.randint(1e6) if seed is None else seed)
        shuffle_rng.shuffle(start_positions)
    return TimeseriesDataset(
        np.asarray(data)[start_index:end_index],
        None if targets is None else np.asarray(targets)[start_index:],
        start_positions, sequence_length, sampling_rate, batch_size, shuffle_rng,
    )
