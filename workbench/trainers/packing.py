"""One buffer per dtype for a small training state.

JAX's dispatch costs a few microseconds per array argument and result (measured here: a jitted
call on 16 small arrays takes ~70 µs donated, on one array ~10 µs). A small model's step is
dominated by that: the tiny MLP of `benchmarks/` carries 16 state arrays. So for states of at
most `PACK_BYTES`, fit's loop keeps the state as one flat buffer per dtype between steps, and the
step slices it back into arrays inside the jitted program, where that costs nothing. Packing
and unpacking are jitted too (one dispatch each, per epoch): through numpy they cost a transfer
per array. Their compiles (~0.2 s) would delay the first step, so a layout's first call packs
through numpy while they compile in the background.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np

# Above this, the slices the step takes of the buffers would cost copies worth more than the
# dispatch they save.
PACK_BYTES = 1 << 20


class StatePacker:
    """Packs a pytree of arrays into a tuple of flat buffers (one per dtype) and back."""

    def __init__(self, state):
        leaves, self.treedef = jax.tree_util.tree_flatten(state)
        self.specs = [(tuple(leaf.shape), np.dtype(leaf.dtype)) for leaf in leaves]
        groups = {}
        for index, (_, dtype) in enumerate(self.specs):
            groups.setdefault(dtype, []).append(index)
        self.groups = list(groups.values())
        self.key = (self.treedef, tuple(self.specs))

    @staticmethod
    def worthwhile(state):
        leaves = jax.tree_util.tree_leaves(state)
        return len(leaves) > 2 and sum(leaf.size * leaf.dtype.itemsize for leaf in leaves) <= PACK_BYTES

    def pack(self, state):
        leaves = jax.tree_util.tree_leaves(state)
        # A copy, so that a one-array group is never `leaves[i]` itself: jit would hand back the
        # input array, and the steps then donate a buffer the Variables hold.
        return tuple(jnp.copy(jnp.concatenate([jnp.ravel(leaves[i]) for i in group])) for group in self.groups)

    def pack_on_host(self, state):
        """`pack` through numpy, with no compile (for a layout's first call; see steps.py)."""
        leaves = jax.tree_util.tree_leaves(state)
        return tuple(jax.device_put(np.concatenate([np.asarray(leaves[i]).reshape(-1) for i in group]))
                     for group in self.groups)

    def unpack_on_host(self, buffers):
        return jax.device_put(self.unpack([np.asarray(buffer) for buffer in buffers]))

    def unpack(self, buffers):
        leaves = [None] * len(self.specs)
        for buffer, group in zip(buffers, self.groups):
            offset = 0
            for i in group:
                shape = self.specs[i][0]
                size = math.prod(shape)
                leaves[i] = buffer[offset:offset + size].reshape(shape)
                offset += size
        return self.treedef.unflatten(leaves)
