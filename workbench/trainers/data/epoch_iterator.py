"""EpochIterator: groups batches into executions of up to `steps_per_execution` steps.

In-memory numeric arrays that fit on the device are moved there once per call (upload.py). Each
epoch then uploads only the shuffled sample indices, and the jitted step takes its batch from the
resident arrays (`DeviceBatches`): a slice when the indices are consecutive, else a gather; on
CPU, shuffled small batches are sliced from one gather of the epoch's data. A step costs no host
slicing, stacking or transfer. Other data (generators,
PyDatasets, strings, arrays too big for the device) is sliced on the host, stacked along a new
leading axis (one `lax.scan` step each), and moved to the device one execution ahead, in a
background thread, while the current one runs.
"""

import functools
import queue
import threading
from typing import Any, NamedTuple

import jax
import numpy as np

from workbench import tree
from workbench.trainers.data.upload import to_device

# Index blocks of unshuffled epochs, by (samples, batch size, steps per epoch, steps per execution):
# they are the same every time.
_ORDERED_PLANS = {}

# Below this many bytes per batch, shuffled data on CPU are gathered once per epoch, not per step.
_PERMUTE_BATCH_BYTES = 64 << 10


@jax.jit
def _permuted(data, order):
    return jax.tree_util.tree_map(lambda array: None if array is None else array[order], data)


# Host RAM is the device memory on CPU: a second copy of up to this much data is fine there.
_CPU_RESIDENT_BYTES = 2 << 30


class IndexCursor:
    """A block of sample indices on the device, `(executions, steps, batch_size)`, and the
    position of the next execution in it. The position is a device scalar that the jitted step
    reads and returns advanced, so moving on costs no host-to-device transfer."""

    __slots__ = ("block", "position")

    def __init__(self, block):
        self.block = block
        self.position = _device_zero()


@functools.cache
def _device_zero():
    return jax.device_put(np.int32(0))  # never donated, so one serves every cursor


class DeviceBatches(NamedTuple):
    """An execution whose batches the step gathers on the device: the next entry of `cursor`
    holds the sample indices into `data`, the resident `(x, y, sample_weight)` arrays."""

    data: Any
    cursor: IndexCursor
    steps: int
    contiguous: bool = False  # each batch's indices are consecutive: the step slices, not gathers
    per_step: bool = False  # run the execution's steps as single dispatches, not one scan


def _same_structure_and_shapes(a, b):
    fa, fb = tree.flatten(a), tree.flatten(b)
    return len(fa) == len(fb) and all(
        (x is None and y is None) or (x is not None and y is not None and np.shape(x) == np.shape(y)
                                     and np.asarray(x).dtype == np.asarray(y).dtype)
        for x, y in zip(fa, fb)
    )


def _stack(batches):
    return tree.map_structure(lambda *leaves: None if leaves[0] is None else np.stack(leaves), *batches)


def _device_budget():
    stats = jax.devices()[0].memory_stats() if jax.default_backend() != "cpu" else None
    if stats and "bytes_limit" in stats:
        return (stats["bytes_limit"] - stats.get("bytes_in_use", 0)) // 4
    return _CPU_RESIDENT_BYTES


def _resident(adapter):
    """Whether `adapter`'s data can live on the device for the whole loop."""
    return (hasattr(adapter, "index_batches") and adapter.is_numeric()
            and adapter.nbytes() <= _device_budget())


class EpochIterator:
    """Iterates one epoch as `(first_step, last_step, batches)` executions, where `batches` is
    either a stack of batches (a pytree with a leading steps axis) or `DeviceBatches`.

    A partial last batch forms an execution of its own (its shape differs), so it compiles once
    and is cached by `jax.jit` for every later epoch.
    """

    def __init__(self, adapter, steps_per_epoch=None, steps_per_execution=1, prefetch=True,
                 on_device=True, scan=True):
        self.adapter = adapter
        # False where `lax.scan` is slow (convolutions on XLA:CPU): resident data then run an
        # execution's steps as single dispatches; callbacks still see executions of
        # `steps_per_execution` steps.
        self.scan = scan
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = max(1, int(steps_per_execution))
        self.prefetch = prefetch
        self._data = None
        if on_device and _resident(adapter):
            self._data = to_device(adapter.packed())

    @property
    def num_batches(self):
        if self.steps_per_epoch is not None:
            return self.steps_per_epoch
        return self.adapter.num_batches

    def first_batch(self):
        return next(iter(self.adapter.batches()))

    def _stream(self, epoch):
        """The epoch's items; array data repeats to fill `steps_per_epoch`."""
        limit, step = self.steps_per_epoch, 0
        items = epoch()
        while limit is None or step < limit:
            try:
                item = next(items)
            except StopIteration:
                if limit is None or self.adapter.num_batches is None:
                    return
                items = epoch()
                try:
                    item = next(items)
                except StopIteration:
                    return
            yield item
            step += 1

    def _groups(self, items, same):
        """`(first_step, last_step, items)` runs of up to `steps_per_execution` alike items."""
        group, first_step, step = [], 0, 0
        for item in items:
            if group and (len(group) == self.steps_per_execution or not same(group[0], item)):
                yield first_step, step - 1, group
                group, first_step = [], step
            group.append(item)
            step += 1
        if group:
            yield first_step, step - 1, group

    def _executions(self):
        for first, last, group in self._groups(self._stream(self.adapter.batches),
                                               _same_structure_and_shapes):
            yield first, last, _stack(group)

    def _index_runs(self, ordered=False):
        """`(first_step, indices)` pairs, `indices` being `(steps, batch_size)`: the epoch's
        batches as runs of equal size (array data repeats to fill `steps_per_epoch`)."""
        limit, size, step = self.steps_per_epoch, self.adapter.batch_size, 0
        while limit is None or step < limit:
            order = np.arange(self.adapter.num_samples) if ordered else self.adapter.epoch_order()
            if len(order) == 0:
                return
            full = len(order) // size * size
            for run in (order[:full].reshape(-1, size), order[full:][None]):
                run = run[:limit - step] if limit is not None else run
                if run.size:
                    yield step, run
                    step += len(run)
            if limit is None:
                return

    def _device_executions(self):
        """Uploads the epoch's indices once, one `(executions, steps, batch)` block per shape."""
        ordered = self.adapter.shuffle is False  # the same indices every epoch, and every call
        data = self._data
        if not ordered and self._permute_whole_epoch():
            # Shuffled small batches: one gather of the whole data in the epoch's order, then
            # consecutive slices of it (see `_permute_whole_epoch`).
            order = self.adapter.epoch_order()
            data = _permuted(data, jax.device_put(order.astype("int32", copy=False)))
            ordered = True
        key = (self.adapter.num_samples, self.adapter.batch_size, self.steps_per_epoch,
               self.steps_per_execution, self.scan)
        plan = _ORDERED_PLANS.get(key) if ordered else None
        if plan is None:
            plan = self._index_plan(ordered)
            if ordered:
                _ORDERED_PLANS[key] = plan
                while len(_ORDERED_PLANS) > 8:
                    _ORDERED_PLANS.pop(next(iter(_ORDERED_PLANS)))
        pieces, blocks = plan
        cursors = {shape: IndexCursor(block) for shape, block in blocks.items()}
        executions = []
        for first, shape, count in pieces:
            batches = DeviceBatches(data, cursors[shape], shape[0], contiguous=ordered,
                                    per_step=not self.scan and shape[0] > 1)
            executions.extend((first + i * shape[0], first + (i + 1) * shape[0] - 1, batches)
                              for i in range(count))
        return executions

    def _permute_whole_epoch(self):
        """On CPU, XLA runs a step's gather of its batch on its thread pool: ~15 µs of hand-offs
        a step. Where that is worth more than gathering the whole data once per epoch (a copy at
        ~5 GB/s), small batches, many steps, the epoch's data are gathered up front."""
        if jax.default_backend() != "cpu" or self.steps_per_epoch is not None:
            return False
        batch_bytes = self.adapter.nbytes() * self.adapter.batch_size // max(1, self.adapter.num_samples)
        return batch_bytes <= _PERMUTE_BATCH_BYTES

    def _index_plan(self, ordered):
        """`(pieces, blocks)`: the epoch as `(first_step, (steps, batch), executions)` pieces in
        step order, and one device block of indices per execution shape."""
        k = self.steps_per_execution
        pieces, host = [], {}
        for first, run in self._index_runs(ordered):
            full = len(run) // k * k
            for start, indices in ((first, run[:full].reshape(-1, k, run.shape[1])),
                                   (first + full, run[full:][None])):
                if indices.size:
                    pieces.append((start, indices.shape[1:], len(indices)))
                    host.setdefault(indices.shape[1:], []).append(indices)
        blocks = {shape: np.concatenate(group).astype("int32", copy=False) for shape, group in host.items()}
        if not self.scan:  # one row of indices per step: the cursor moves a step at a time
            blocks = {shape: block.reshape(-1, 1, block.shape[-1]) for shape, block in blocks.items()}
        blocks = jax.device_put(blocks)
        return pieces, blocks

    def __iter__(self):
        if self._data is not None:
            yield from self._device_executions()  # a list: built before the epoch's first step
        elif not self.prefetch:
            for first, last, stacked in self._executions():
                yield first, last, jax.device_put(stacked)
        else:
            yield from _prefetched(self._executions())


def _prefetched(executions, depth=2):
    """Runs `device_put` of the next executions in a thread while the caller computes."""
    buffer = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce():
        try:
            for first, last, stacked in executions:
                if stop.is_set():
                    return
                buffer.put((first, last, jax.device_put(stacked)))
        except BaseException as error:  # re-raised in the consumer thread
            buffer.put(error)
            return
        buffer.put(done)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                buffer.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.01)
