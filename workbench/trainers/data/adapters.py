"""Data adapters: arrays (numpy, JAX, lists, dicts), Python generators, and PyDataset.

Each adapter yields batches on the host as `(x, y, sample_weight)` tuples of numpy pytrees; the
epoch iterator moves them to the device.
"""

import collections
import concurrent.futures
import itertools
import math

import numpy as np

from workbench import tree


def _to_numpy(value):
    if value is None:
        return None
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    array = np.asarray(value)
    if array.dtype == np.float64:
        array = array.astype("float32")
    elif array.dtype == np.int64:
        array = array.astype("int32")
    return array


def _from_pandas(structure):
    """pandas DataFrames and Series (anything with `to_numpy`) become numpy arrays, at any depth."""
    if hasattr(structure, "to_numpy") and not isinstance(structure, np.ndarray):
        return structure.to_numpy()
    if isinstance(structure, dict):
        return {key: _from_pandas(value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)) and any(hasattr(v, "to_numpy") for v in structure):
        return type(structure)(_from_pandas(value) for value in structure)
    return structure


def _is_array_like(x):
    return isinstance(x, np.ndarray) or hasattr(x, "__array__") or isinstance(x, (list, tuple)) and (
        not x or not isinstance(x[0], (np.ndarray, dict)) and np.ndim(x) > 0
    )


def _num_samples(structure):
    sizes = {int(np.shape(leaf)[0]) for leaf in tree.flatten(structure) if leaf is not None}
    if len(sizes) > 1:
        raise ValueError(
            "Data cardinality is ambiguous: the arrays passed as x, y and sample_weight have "
            f"different numbers of samples {sorted(sizes)}. Make sure all arrays contain the same "
            "number of samples."
        )
    return sizes.pop() if sizes else 0


def class_weight_to_sample_weight(y, class_weight):
    """Turns `{class: weight}` into per-sample weights from the labels `y` (ints or one-hot)."""
    if tree.is_nested(y) and len(tree.flatten(y)) > 1:
        raise ValueError("`class_weight` is only supported for models with a single output.")
    y = np.asarray(tree.flatten(y)[0])
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    labels = labels.astype("int64")
    unknown = set(np.unique(labels).tolist()) - set(int(k) for k in class_weight)
    if unknown:
        raise ValueError(
            f"`class_weight` must contain every class in the data. Missing classes: {sorted(unknown)}. "
            f"Received: class_weight={class_weight}"
        )
    lookup = np.zeros(max(int(k) for k in class_weight) + 1, dtype="float32")
    for key, weight in class_weight.items():
        lookup[int(key)] = weight
    return lookup[labels]


class ArrayDataAdapter:
    """Slices in-memory arrays into batches, shuffling per epoch (`True`) or within batches (`"batch"`)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                 class_weight=None):
        x, y, sample_weight = (_from_pandas(x), _from_pandas(y), _from_pandas(sample_weight))
        self.x = tree.map_structure(_to_numpy, x)
        self.y = tree.map_structure(_to_numpy, y) if y is not None else None
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot pass both `class_weight` and `sample_weight`.")
            if self.y is None:
                raise ValueError("`class_weight` needs targets `y`.")
            sample_weight = class_weight_to_sample_weight(self.y, class_weight)
        self.sample_weight = tree.map_structure(_to_numpy, sample_weight) if sample_weight is not None else None
        self.num_samples = _num_samples((self.x, self.y, self.sample_weight))
        if batch_size is None:
            batch_size = 32 if steps is None else max(1, math.ceil(self.num_samples / steps))
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size}")
        self.batch_size = batch_size
        self.shuffle = shuffle
        # Seeded from numpy's global generator, so `utils.set_random_seed` makes the shuffling
        # repeatable, as in Keras.
        self._rng = np.random.default_rng(np.random.randint(0, 2**31 - 1))

    @property
    def num_batches(self):
        return math.ceil(self.num_samples / self.batch_size)

    def _take(self, index):
        def take(a):
            return None if a is None else a[index]

        return (tree.map_structure(take, self.x),
                None if self.y is None else tree.map_structure(take, self.y),
                None if self.sample_weight is None else tree.map_structure(take, self.sample_weight))

    def epoch_order(self):
        """One epoch's sample indices; batch `i` is `order[i * batch_size:(i + 1) * batch_size]`."""
        n, size = self.num_samples, self.batch_size
        if self.shuffle is True:
            return self._rng.permutation(n)
        order = np.arange(n)
        if self.shuffle == "batch":
            full = n - n % size
            order[:full] = self._rng.permuted(order[:full].reshape(-1, size), axis=1).reshape(-1)
            order[full:] = self._rng.permutation(order[full:])
        return order

    def index_batches(self):
        """One epoch of batches as arrays of sample indices, in the order `batches()` yields them."""
        order = self.epoch_order()
        for start in range(0, self.num_samples, self.batch_size):
            yield order[start:start + self.batch_size]

    def batches(self):
        """One epoch of batches, each `(x, y, sample_weight)` with numpy leaves."""
        for index in self.index_batches():
            yield pack(*self._take(index))

    def packed(self):
        """All the data as one `(x, y, sample_weight)` batch (the layout `batches()` yields)."""
        return pack(self.x, self.y, self.sample_weight)

    def nbytes(self):
        return sum(leaf.nbytes for leaf in tree.flatten(self.packed()) if leaf is not None)

    def is_numeric(self):
        return all(leaf is None or leaf.dtype.kind in "biuf" for leaf in tree.flatten(self.packed()))


def pack(x, y, sample_weight):
    """Batches are `(x,)`, `(x, y)` or `(x, y, sample_weight)`, as a custom `train_step` sees them."""
    if y is None and sample_weight is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _standardize_element(element):
    if isinstance(element, tuple):
        if len(element) == 1:
            return (element[0], None, None)
        if len(element) == 2:
            return (element[0], element[1], None)
        if len(element) == 3:
            return element
        raise ValueError(
            "Data yielded by a generator or PyDataset must be `x`, `(x,)`, `(x, y)` or "
            f"`(x, y, sample_weight)`. Received a tuple of length {len(element)}."
        )
    return (element, None, None)


class GeneratorDataAdapter:
    """Python generators and iterators: each item is a batch. Without `steps` an epoch ends when it does."""

    def __init__(self, generator, steps=None):
        self.generator = generator
        self.steps = steps
        self.batch_size = None

    @property
    def num_batches(self):
        return self.steps

    def batches(self):
        items = self.generator if self.steps is None else itertools.islice(self.generator, self.steps)
        for element in items:
            x, y, sw = _standardize_element(element)
            yield pack(tree.map_structure(_to_numpy, x), tree.map_structure(_to_numpy, y),
                       tree.map_structure(_to_numpy, sw))


class PyDatasetAdapter:
    """`workbench.utils.PyDataset` (and Keras-style `Sequence`): indexable batches plus epoch hooks.

    With `dataset.workers > 1`, a thread pool loads up to `dataset.max_queue_size` batches ahead
    of the training loop, in order.
    """

    def __init__(self, dataset, steps=None, shuffle=False):
        self.dataset = dataset
        self.steps = steps
        self.shuffle = shuffle
        self.batch_size = None

    @property
    def num_batches(self):
        length = self.dataset.num_batches if hasattr(self.dataset, "num_batches") else len(self.dataset)
        if length is None:
            if self.steps is None:
                raise ValueError(
                    f"{type(self.dataset).__name__} has no `__len__`: pass `steps_per_epoch` "
                    "(or `steps`) to say how many batches make an epoch."
                )
            return self.steps
        return min(length, self.steps) if self.steps is not None else length

    def _load(self, index):
        x, y, sw = _standardize_element(self.dataset[index])
        return pack(tree.map_structure(_to_numpy, x), tree.map_structure(_to_numpy, y),
                    tree.map_structure(_to_numpy, sw))

    def _prefetched(self, indices, workers, queue_size):
        pending = collections.deque()
        upcoming = iter(indices)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        try:
            for index in itertools.islice(upcoming, queue_size):
                pending.append(pool.submit(self._load, index))
            while pending:
                batch = pending.popleft().result()
                for index in itertools.islice(upcoming, 1):
                    pending.append(pool.submit(self._load, index))
                yield batch
        finally:
            # Stops loading when the loop ends early (early stopping, an exception).
            pool.shutdown(wait=True, cancel_futures=True)

    def batches(self):
        if hasattr(self.dataset, "on_epoch_begin"):
            self.dataset.on_epoch_begin()
        order = np.arange(self.num_batches)
        if self.shuffle:
            np.random.default_rng().shuffle(order)
        indices = [int(index) for index in order]
        workers = getattr(self.dataset, "workers", 1) or 1
        if workers > 1:
            queue_size = max(1, getattr(self.dataset, "max_queue_size", 10) or 10)
            yield from self._prefetched(indices, workers, queue_size)
        else:
            for index in indices:
                yield self._load(index)
        if hasattr(self.dataset, "on_epoch_end"):
            self.dataset.on_epoch_end()


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                     class_weight=None):
    """Picks the adapter for `x`: arrays, a PyDataset, or a generator / iterator."""
    if x is None:
        raise ValueError("No data given: pass `x` (and `y`) to fit/evaluate/predict.")
    from workbench.utils.py_dataset import (
        PyDataset,  # Lazy: workbench.utils imports the saving stack.
    )

    is_dataset = isinstance(x, PyDataset) or hasattr(x, "__getitem__") and hasattr(x, "__len__") and not isinstance(
        x, (np.ndarray, list, tuple, dict)) and not hasattr(x, "shape")
    if is_dataset:
        _reject_extra("a PyDataset", y, sample_weight, class_weight)
        return PyDatasetAdapter(x, steps=steps, shuffle=shuffle)
    if hasattr(x, "__next__") or (hasattr(x, "__iter__") and not isinstance(
            x, (np.ndarray, list, tuple, dict)) and not hasattr(x, "shape")):
        _reject_extra("a generator", y, sample_weight, class_weight)
        return GeneratorDataAdapter(iter(x), steps=steps)
    return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, steps=steps, shuffle=shuffle,
                            class_weight=class_weight)


def _reject_extra(kind, y, sample_weight, class_weight):
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"When `x` is {kind}, it must yield `(x, y, sample_weight)` itself: do not pass `y` or "
            "`sample_weight` separately."
        )
    if class_weight is not None:
        raise ValueError(f"`class_weight` is only supported for array inputs, not {kind}.")


def train_validation_split(arrays, validation_split):
    """Splits the tail off array data, as Keras does: the last `validation_split` fraction validates."""
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"`validation_split` must be between 0 and 1. Received: {validation_split}")
    flat = [a for a in tree.flatten(arrays) if a is not None]
    if not flat or not all(hasattr(a, "shape") or isinstance(a, (list, tuple)) for a in flat):
        raise ValueError(
            "`validation_split` is only supported for arrays (numpy, JAX). For generators and "
            "PyDatasets, pass `validation_data` instead."
        )
    n = _num_samples(tree.map_structure(_to_numpy, arrays))
    split = int(math.floor(n * (1.0 - validation_split)))
    if split == 0 or split == n:
        raise ValueError(
            f"validation_split={validation_split} leaves an empty training or validation set for "
            f"{n} samples. Use a split that keeps at least one sample on each side."
        )

    def head(a):
        return None if a is None else _to_numpy(a)[:split]

    def tail(a):
        return None if a is None else _to_numpy(a)[split:]

    return tree.map_structure(head, arrays), tree.map_structure(tail, arrays)
