"""Moving a whole in-memory dataset to the device, once per fit / evaluate / predict call.

On accelerators this is `jax.device_put`. On CPU, XLA can use a numpy array's memory as it is
(no copy) when the array is C-contiguous and 64-byte aligned. numpy aligns only to 16 bytes, and
for other arrays `jax.device_put` copies through a slow path: 11-12 ms for the 19 MB of the MLP
benchmark, a sixth of an epoch. So an unaligned array is copied here into an aligned host buffer
(numpy `copyto`, ~1.5 ms for those 19 MB) and handed to XLA as it is.

The buffers are kept in a small pool and reused by later calls on data of the same shape, which
saves the page faults of fresh memory (they were most of a fresh copy's time). A buffer is reused
only after the device array made from it has been garbage collected: the loop that used it is
over, and every result of it that the caller kept was read back before that loop returned.

(Copying in a background thread while the first steps ran was tried: on 2 cores it gained
nothing measurable, the copy taking a core from XLA's matrix products.)
"""

import threading
import weakref

import jax
import numpy as np

_ALIGNMENT = 64
# Pooled buffers hold host memory between calls; above this, the oldest are let go.
_POOL_BYTES = 256 << 20


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
    def release_when(entry, device_array):
        """The entry is free again once `device_array` is gone."""
        if not isinstance(device_array, jax.Array):
            entry[2] = _idle
            return
        reference = weakref.ref(device_array)
        entry[2] = lambda: reference() is not None

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


def to_device(structure):
    """`structure` (a pytree of numpy arrays, JAX arrays and None) with every array on the device,
    in one `device_put` (each call costs tens of microseconds)."""
    if jax.default_backend() != "cpu":
        return jax.device_put(structure)
    leaves, treedef = jax.tree_util.tree_flatten(structure)
    staged = {}
    for i, leaf in enumerate(leaves):
        if isinstance(leaf, np.ndarray) and leaf.size and not _is_aliasable(leaf):
            staged[i] = entry = _pool.take(leaf)
            np.copyto(entry[1], leaf)
            leaves[i] = entry[1]
    try:
        leaves = jax.device_put(leaves)
    finally:
        for i, entry in staged.items():
            _pool.release_when(entry, leaves[i])
    return treedef.unflatten(leaves)
