"""CTC (connectionist temporal classification): the loss, and greedy and beam-search decoding.

Both work in log space on fixed-size arrays, so they run under `jit`: the loss is the forward
(alpha) recursion over the blank-interleaved labels, and the beam search keeps `beam_width`
prefixes, merging prefixes that coincide.
"""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


@_nn_export("ctc_loss")
@keras_op
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC loss per batch element: `-log p(target | output)` summed over all alignments.

    Args:
        target: int labels, `(batch, max_label_length)`, padded beyond `target_length`.
        output: logits, `(batch, max_time, num_classes)`.
        target_length: `(batch,)` label lengths.
        output_length: `(batch,)` valid time steps.
        mask_index: the class id of the blank.
    """
    target = convert_to_tensor(target, dtype="int32")
    output = convert_to_tensor(output)
    output = output.astype(jnp.promote_types(output.dtype, jnp.float32))
    target_length = convert_to_tensor(target_length, dtype="int32")
    output_length = convert_to_tensor(output_length, dtype="int32")
    batch, label_length = target.shape
    log_probs = jax.nn.log_softmax(output, axis=-1)
    never = jnp.array(-1e30, output.dtype)  # log(0), kept finite so gradients stay finite

    # The extended labels: blank, l1, blank, l2, ..., blank.
    extended = jnp.full((batch, 2 * label_length + 1), mask_index, jnp.int32)
    extended = extended.at[:, 1::2].set(target)
    # A skip from s-2 to s is allowed onto a label that differs from the label two steps back.
    previous = jnp.pad(extended[:, :-2], ((0, 0), (2, 0)), constant_values=mask_index)
    can_skip = (extended != mask_index) & (extended != previous)
    indices = jnp.broadcast_to(extended[:, None, :], (batch, output.shape[1], extended.shape[1]))
    emissions = jnp.take_along_axis(log_probs, indices, axis=-1)  # (batch, time, 2L+1)
    positions = jnp.arange(extended.shape[1])[None, :]

    def step(alpha, inputs):
        emission, valid = inputs
        shift_one = jnp.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=never)
        shift_two = jnp.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=never)
        shift_two = jnp.where(can_skip, shift_two, never)
        updated = jnp.logaddexp(jnp.logaddexp(alpha, shift_one), shift_two) + emission
        return jnp.where(valid[:, None], updated, alpha), None

    # At t=0 a path starts on the first blank or on the first label.
    alpha = jnp.where(positions < 2, emissions[:, 0], never)
    alpha = jnp.where(output_length[:, None] > 0, alpha, jnp.where(positions == 0, 0.0, never))
    valid = jnp.arange(1, output.shape[1])[:, None] < output_length[None, :]
    alpha, _ = jax.lax.scan(step, alpha, (jnp.swapaxes(emissions[:, 1:], 0, 1), valid))

    last = 2 * target_length
    final_blank = jnp.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    final_label = jnp.take_along_axis(alpha, jnp.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    final_label = jnp.where(target_length > 0, final_label, never)
    return -jnp.logaddexp(final_blank, final_label)


def _greedy_decode(scores, lengths, merge_repeated, blank):
    batch, time, _ = scores.shape
    best = jnp.argmax(scores, axis=-1).astype("int32")
    best_score = jnp.max(scores, axis=-1)
    beyond = jnp.arange(time)[None, :] >= lengths[:, None]
    best = jnp.where(beyond, blank, best)
    best_score = jnp.where(beyond, 0.0, best_score)
    if merge_repeated:
        repeated = jnp.pad(best[:, 1:] == best[:, :-1], ((0, 0), (1, 0)))
        best = jnp.where(repeated, blank, best)
    keep = best != blank
    # Move the kept labels to the front, in order, and pad with -1.
    order = jnp.argsort(jnp.where(keep, jnp.arange(time)[None, :], time), axis=-1, stable=True)
    decoded = jnp.take_along_axis(jnp.where(keep, best, -1), order, axis=-1)
    return decoded[None], -jnp.sum(best_score, axis=1, keepdims=True)


_HASH_MULTIPLIERS = (1000003, 2654435761)


def _merge_by_key(keys, values):
    """Log-sum-exp of `values` (a tuple of (N,) arrays) over equal rows of `keys` (N, 2).

    Returns the merged values per group (N slots, unused ones -inf) and, per group, the index of
    one member.
    """
    count = keys.shape[0]
    order = jnp.lexsort((keys[:, 1], keys[:, 0]))
    sorted_keys = keys[order]
    starts = jnp.concatenate(
        [jnp.array([True]), jnp.any(sorted_keys[1:] != sorted_keys[:-1], axis=1)]
    )
    group = jnp.cumsum(starts) - 1
    merged = []
    for value in values:
        value = value[order]
        peak = jax.ops.segment_max(value, group, count)
        safe_peak = jnp.where(jnp.isfinite(peak), peak, 0.0)
        total = jax.ops.segment_sum(jnp.exp(value - safe_peak[group]), group, count)
        merged.append(jnp.where(total > 0, safe_peak + jnp.log(total), -jnp.inf))
    member = jax.ops.segment_min(jnp.arange(count), group, count)
    return merged, order[jnp.minimum(member, count - 1)]


def _beam_search_one(log_probs, length, beam_width, top_paths, blank):
    """Prefix beam search over one sequence `log_probs` (time, classes)."""
    time, classes = log_probs.shape
    labels = jnp.array([c for c in range(classes) if c != blank], jnp.int32)
    multipliers = jnp.array(_HASH_MULTIPLIERS, jnp.uint32)
    state = dict(
        prefix=jnp.full((beam_width, time), -1, jnp.int32),
        size=jnp.zeros((beam_width,), jnp.int32),
        last=jnp.full((beam_width,), -1, jnp.int32),
        key=jnp.zeros((beam_width, 2), jnp.uint32),
        blank=jnp.full((beam_width,), -jnp.inf).at[0].set(0.0),
        label=jnp.full((beam_width,), -jnp.inf),
    )

    def step(state, inputs):
        scores, valid = inputs
        both = jnp.logaddexp(state["blank"], state["label"])
        # Candidates that keep their prefix: a blank, or a repeat of the last label.
        stay_blank = both + scores[blank]
        stay_label = jnp.where(
            state["last"] >= 0, state["label"] + scores[jnp.maximum(state["last"], 0)], -jnp.inf
        )
        # Candidates that append a label; a repeat must come after a blank.
        source = jnp.where(
            labels[None, :] == state["last"][:, None], state["blank"][:, None], both[:, None]
        )
        extend_label = (source + scores[labels][None, :]).reshape(-1)
        extend_key = state["key"][:, None, :] * multipliers + (labels[None, :, None] + 1).astype(
            jnp.uint32
        )
        keys = jnp.concatenate([state["key"], extend_key.reshape(-1, 2)])
        blank_scores = jnp.concatenate([stay_blank, jnp.full_like(extend_label, -jnp.inf)])
        label_scores = jnp.concatenate([stay_label, extend_label])
        (merged_blank, merged_label), member = _merge_by_key(keys, (blank_scores, label_scores))
        _, best = jax.lax.top_k(jnp.logaddexp(merged_blank, merged_label), beam_width)
        chosen = member[best]
        parent = jnp.where(chosen < beam_width, chosen, (chosen - beam_width) // labels.shape[0])
        appended = jnp.where(
            chosen < beam_width, -1, labels[(chosen - beam_width) % labels.shape[0]]
        )
        prefix, size = state["prefix"][parent], state["size"][parent]
        prefix = jnp.where(
            (appended >= 0)[:, None] & (jnp.arange(time)[None, :] == size[:, None]),
            appended[:, None],
            prefix,
        )
        new_state = dict(
            prefix=prefix,
            size=size + (appended >= 0),
            last=jnp.where(appended >= 0, appended, state["last"][parent]),
            key=keys[chosen],
            blank=merged_blank[best],
            label=merged_label[best],
        )
        return jax.tree_util.tree_map(
            lambda new, old: jnp.where(valid, new, old), new_state, state
        ), None

    state, _ = jax.lax.scan(step, state, (log_probs, jnp.arange(time) < length))
    totals, best = jax.lax.top_k(jnp.logaddexp(state["blank"], state["label"]), top_paths)
    return state["prefix"][best], totals


@_nn_export("ctc_decode")
@keras_op
def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decodes CTC outputs into label sequences.

    Args:
        inputs: scores, `(batch, max_time, num_classes)`.
        sequence_lengths: `(batch,)` valid time steps.
        strategy: `"greedy"` (best class per step) or `"beam_search"`.
        beam_width: the number of prefixes kept by the beam search.
        top_paths: how many decodings the beam search returns.
        merge_repeated: for greedy decoding, merge consecutive repeated classes.
        mask_index: the class id of the blank (None: the last class).

    Returns:
        `(decoded, scores)`: `decoded` has shape `(top_paths, batch, max_time)` (1 path when
        greedy), padded with -1; `scores` has shape `(batch, top_paths)`: the negative sum of
        the chosen scores when greedy, the log-probability of each path for the beam search.
    """
    inputs = convert_to_tensor(inputs)
    inputs = inputs.astype(jnp.promote_types(inputs.dtype, jnp.float32))
    lengths = convert_to_tensor(sequence_lengths, dtype="int32")
    blank = inputs.shape[-1] - 1 if mask_index is None else mask_index
    if strategy == "greedy":
        return _greedy_decode(inputs, lengths, merge_repeated, blank)
    if strategy != "beam_search":
        raise ValueError(
            f"`strategy` must be 'greedy' or 'beam_search'. Received: strategy={strategy!r}"
        )
    log_probs = jax.nn.log_softmax(inputs, axis=-1)
    paths, scores = jax.vmap(lambda lp, n: _beam_search_one(lp, n, beam_width, top_paths, blank))(
        log_probs, lengths
    )
    return jnp.swapaxes(paths, 0, 1), scores
