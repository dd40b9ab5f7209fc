"""EpochIterator: groups batches into executions of up to `steps_per_execution` steps, stacks them
along a new leading axis (one `lax.scan` step each), and moves each execution to the device one
ahead, in a background thread, while the current one runs."""

import queue
import threading

import jax
import numpy as np

from workbench import tree


def _same_structure_and_shapes(a, b):
    fa, fb = tree.flatten(a), tree.flatten(b)
    return len(fa) == len(fb) and all(
        (x is None and y is None) or (x is not None and y is not None and np.shape(x) == np.shape(y)
                                     and np.asarray(x).dtype == np.asarray(y).dtype)
        for x, y in zip(fa, fb)
    )


def _stack(batches):
    return tree.map_structure(lambda *leaves: None if leaves[0] is None else np.stack(leaves), *batches)


class EpochIterator:
    """Iterates one epoch as `(first_step, last_step, stacked_batches)` executions.

    A partial last batch forms an execution of its own (its shape differs), so it compiles once
    and is cached by `jax.jit` for every later epoch.
    """

    def __init__(self, adapter, steps_per_epoch=None, steps_per_execution=1, prefetch=True):
        self.adapter = adapter
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = max(1, int(steps_per_execution))
        self.prefetch = prefetch
        self._generator_exhausted = False

    @property
    def num_batches(self):
        if self.steps_per_epoch is not None:
            return self.steps_per_epoch
        return self.adapter.num_batches

    def first_batch(self):
        return next(iter(self.adapter.batches()))

    def _executions(self):
        group, first_step = [], 0
        step = 0
        limit = self.steps_per_epoch
        batches = self.adapter.batches()
        while limit is None or step < limit:
            try:
                batch = next(batches)
            except StopIteration:
                if limit is not None and self.adapter.num_batches is not None and step < limit:
                    batches = self.adapter.batches()  # array data repeats to fill steps_per_epoch
                    try:
                        batch = next(batches)
                    except StopIteration:
                        break
                else:
                    break
            if group and (len(group) == self.steps_per_execution or not _same_structure_and_shapes(group[0], batch)):
                yield first_step, step - 1, _stack(group)
                group, first_step = [], step
            group.append(batch)
            step += 1
        if group:
            yield first_step, step - 1, _stack(group)

    def __iter__(self):
        if not self.prefetch:
            for first, last, stacked in self._executions():
                yield first, last, jax.device_put(stacked)
            return
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
