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
        # [key, buffer, weak reference to the device array made from it, or None], oldest first
        self._entries = []
        self._lock = threading.Lock()

    def stage(self, array):
        """An aligned host copy of `array`, in a buffer no live device array uses; `claim` must
        follow with the device array made from it."""
        key = (array.shape, array.dtype.str)
        with self._lock:
            entry = next((e for e in self._entries if e[0] == key and _idle(e)), None)
            if entry is None:
                entry = [key, _aligned_empty(array.shape, array.dtype), None]
                if array.nbytes <= self.limit:
                    self._entries.append(entry)
                    self._trim()
            else:  # most recently used last
                self._drop(entry)
                self._entries.append(entry)
            entry[2] = _BUSY
        np.copyto(entry[1], array)
        return entry

    def claim(self, entry, device_array):
        entry[2] = weakref.ref(device_array) if isinstance(device_array, jax.Array) else None

    def _trim(self):
        while sum(e[1].nbytes for e in self._entries) > self.limit:
            idle = next((e for e in self._entries if _idle(e)), None)
            if idle is None:
                return
            self._drop(idle)

    def _drop(self, entry):
        # By identity: `list.remove` would compare the buffers with ==.
        del self._entries[next(i for i, e in enumerate(self._entries) if e is entry)]


def _aligned_empty(shape, dtype):
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(size + _ALIGNMENT, dtype=np.uint8)
    offset = -raw.ctypes.data % _ALIGNMENT
    return raw[offset:offset + size].view(dtype).reshape(shape)


_pool = _StagingPool(_POOL_BYTES)


def _BUSY():
    return True  # stands for the weak reference while an entry's device array is being made


def _idle(entry):
    return entry[2] is None or entry[2]() is None


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
            staged[i] = _pool.stage(leaf)
            leaves[i] = staged[i][1]
    try:
        leaves = jax.device_put(leaves)
    finally:
        for i, entry in staged.items():
            _pool.claim(entry, leaves[i])
    return treedef.unflatten(leaves)
