"""DropoutRNNCell: the dropout masks of a recurrent cell, drawn once per sequence."""

from workbench import ops, random, tree


class DropoutRNNCell:
    """Mixin for cells with `dropout` and `recurrent_dropout`: one mask for all timesteps.

    The RNN layer calls `prepare_dropout_masks` before its time loop, so every step drops the same
    units and no random draw (no seed-state update) happens inside `lax.scan`; it calls
    `reset_dropout_masks` after. A cell called on its own draws fresh masks on each call.

    A cell using it sets `dropout`, `recurrent_dropout` and `seed_generator`, and may set
    `dropout_mask_count` to get one mask per gate (a list) instead of one shared mask.
    """

    _dropout_mask = None
    _recurrent_dropout_mask = None

    def _draw_dropout_masks(self, like, rate):
        if rate <= 0:
            return None
        ones = ops.ones(like.shape, like.dtype)
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return random.dropout(ones, rate, seed=self.seed_generator)
        return [random.dropout(ones, rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The input mask(s) for this sequence, or None without input dropout."""
        if self._dropout_mask is not None:
            return self._dropout_mask
        return self._draw_dropout_masks(step_input, self.dropout)

    def get_recurrent_dropout_mask(self, step_input):
        """The mask(s) applied to the previous output, or None without recurrent dropout."""
        if self._recurrent_dropout_mask is not None:
            return self._recurrent_dropout_mask
        return self._draw_dropout_masks(step_input, self.recurrent_dropout)

    def prepare_dropout_masks(self, step_input, states):
        """Draws the masks for the next sequence; `step_input` may be a `jax.ShapeDtypeStruct`."""
        self._dropout_mask = self._draw_dropout_masks(step_input, self.dropout)
        self._recurrent_dropout_mask = self._draw_dropout_masks(
            tree.flatten(states)[0], self.recurrent_dropout)

    def reset_dropout_masks(self):
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None


def gate_inputs(inputs, masks, gates):
    """`inputs` as seen by each of `gates` gates: times its own mask, a shared mask, or as is."""
    if masks is None:
        return [inputs] * gates
    if isinstance(masks, (list, tuple)):
        return [inputs * mask for mask in masks]
    return [inputs * masks] * gates


def gated_transform(transform, inputs, kernel, masks, gates, axis=-1):
    """`transform(inputs, kernel)`, where gate `g` (a slice of the kernel's last axis, and of the
    result's `axis`) sees `inputs * masks[g]`. One fused transform when all gates see the same
    inputs."""
    per_gate = gate_inputs(inputs, masks, gates)
    if all(x is per_gate[0] for x in per_gate):
        return transform(per_gate[0], kernel)
    kernels = ops.split(kernel, gates, axis=-1)
    return ops.concatenate([transform(x, k) for x, k in zip(per_gate, kernels)], axis=axis)
