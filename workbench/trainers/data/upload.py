"""Moving a whole in-memory dataset to the device, once per fit / evaluate / predict call.

On accelerators this is `jax.device_put`. On CPU, XLA can use a numpy array's memory as it is
(no copy) when the array is C-contiguous and 64-byte aligned. numpy aligns only to 16 bytes, and
for other arrays `jax.device_put` copies through a slow path: 11-12 ms for the 19 MB of the MLP
benchmark, a sixth of an epoch. So an unaligned array is copied here into an aligned host buffer
(numpy `copyto`, ~1.5 ms for those 19 MB) and handed to XLA as it is.

When the batches read the samples in order (predict, evaluate, fit without shuffling), a large
copy also runs in a background thread, a chunk of rows at a time, while the first steps compute:
the device array is made from the buffer at once, and the loop dispatches each execution only
after the rows it reads are in (`StreamedCopy.wait_rows`). XLA reads the buffer when a step
runs, and a step is dispatched after its rows were written, so it sees them.

The buffers are kept in a small pool and reused by later calls on data of the same shape, which
saves the page faults of fresh memory (they were most of a fresh copy's time). A buffer is reused
only after the device array made from it has been garbage collected (the loop that used it is
over, and every result of it that the caller kept was read back before that loop returned) and
its copy has finished.
"""

import threading
import weakref

import jax
import numpy as np

_ALIGNMENT = 64
# Pooled buffers hold host memory between calls; above this, the oldest are let go.
_POOL_BYTES = 256 << 20
# Copies of at least this much overlap with the first steps, when the batches read in order.
STREAM_BYTES = 4 << 20
_STREAM_CHUNKS = 16


class _StagingPool:
    def __init__(self, limit):
        self.limit = limit
        # [key, buffer, in_use() -> bool], oldest first
        self._entries = []
        self._lock = threading.Lock()

    def take(self, array):
        """An entry whose aligned buffer fits `array`, and that nothing uses; `release_when`
        must follow."""
        key = (array.shape, array.dtype.str)
        with self._lock:
            entry = next((e for e in self._entries if e[0] == key and not e[2]()), None)
            if entry is None:
                entry = [key, _aligned_empty(array.shape, array.dtype), _busy]
                if array.nbytes <= self.limit:
                    self._entries.append(entry)
                    self._trim()
            else:  # most recently used last
                self._drop(entry)
                self._entries.append(entry)
            entry[2] = _busy
        return entry

    @staticmethod
    def release_when(entry, device_array, copy=None):
        """The entry is free again once `device_array` is gone and `copy` (a thread) is done."""
        if not isinstance(device_array, jax.Array):
            entry[2] = _idle
            return
        reference = weakref.ref(device_array)
        entry[2] = lambda: reference() is not None or (copy is not None and copy.is_alive())

    def _trim(self):
        while sum(e[1].nbytes for e in self._entries) > self.limit:
            idle = next((e for e in self._entries if not e[2]()), None)
            if idle is None:
                return
            self._drop(idle)

    def _drop(self, entry):
        # By identity: `list.remove` would compare the buffers with ==.
        del self._entries[next(i for i, e in enumerate(self._entries) if e is entry)]


def _busy():
    return True


def _idle():
    return False


def _aligned_empty(shape, dtype):
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(size + _ALIGNMENT, dtype=np.uint8)
    offset = -raw.ctypes.data % _ALIGNMENT
    return raw[offset:offset + size].view(dtype).reshape(shape)


_pool = _StagingPool(_POOL_BYTES)


def _is_aliasable(array):
    return array.flags.c_contiguous and array.ctypes.data % _ALIGNMENT == 0


class StreamedCopy:
    """Copies `(source, target)` array pairs, row chunks in order, in a background thread."""

    def __init__(self, pairs, rows):
        self.rows = rows
        self._copied = 0
        self._error = None
        self._changed = threading.Condition()
        self.thread = threading.Thread(target=self._copy, args=(pairs,))  # not a daemon: see steps.py
        self.thread.start()

    @property
    def done(self):
        return self._copied >= self.rows

    def _copy(self, pairs):
        chunk = max(1, -(-self.rows // _STREAM_CHUNKS))
        try:
            for start in range(0, self.rows, chunk):
                for source, target in pairs:
                    np.copyto(target[start:start + chunk], source[start:start + chunk])
                with self._changed:
                    self._copied = min(self.rows, start + chunk)
                    self._changed.notify_all()
        except BaseException as error:  # re-raised in the waiting thread
            with self._changed:
                self._error = error
                self._changed.notify_all()

    def wait_rows(self, rows):
        """Returns once the first `rows` rows (all, if more) are in place."""
        rows = min(rows, self.rows)
        if self._copied >= rows:
            return
        with self._changed:
            while self._copied < rows and self._error is None:
                self._changed.wait()
        if self._error is not None:
            raise RuntimeError("Copying the data for the device failed.") from self._error


def to_device(structure, in_order=False):
    """`(arrays, copy)`: `structure` (a pytree of numpy arrays, JAX arrays and None) with every
    array on the device, in one `device_put` (each call costs tens of microseconds). `copy` is
    None, or, when the steps will read the samples `in_order` and the data are large, a
    `StreamedCopy` still filling them in: wait on it before a step reads their rows."""
    if jax.default_backend() != "cpu":
        return jax.device_put(structure), None
    leaves, treedef = jax.tree_util.tree_flatten(structure)
    staged, later = {}, []
    big = in_order and sum(leaf.nbytes for leaf in leaves if isinstance(leaf, np.ndarray)) >= STREAM_BYTES
    for i, leaf in enumerate(leaves):
        if isinstance(leaf, np.ndarray) and leaf.size and not _is_aliasable(leaf):
            staged[i] = entry = _pool.take(leaf)
            if big:
                later.append((leaf, entry[1]))
            else:
                np.copyto(entry[1], leaf)
            leaves[i] = entry[1]
    copy = None
    try:
        leaves = jax.device_put(leaves)
        if later and not all(leaves[i].unsafe_buffer_pointer() == entry[1].ctypes.data
                             for i, entry in staged.items()):
            # XLA copied a buffer instead of using it, so it must be full now.
            for source, target in later:
                np.copyto(target, source)
            leaves = jax.device_put([entry[1] if i in staged else leaf for i, leaf in enumerate(leaves)])
            later = []
        if later:
            copy = StreamedCopy(later, len(later[0][0]))
    finally:
        for i, entry in staged.items():
            _pool.release_when(entry, leaves[i], copy.thread if copy is not None else None)
    return treedef.unflatten(leaves), copy
