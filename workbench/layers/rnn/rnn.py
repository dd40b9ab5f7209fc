"""RNN: runs a recurrent cell over the time axis of a sequence, as one `lax.scan`."""

import inspect

import jax
import jax.numpy as jnp

from workbench import ops, regularizers, tree
from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.backend.variables import Variable
from workbench.layers.layer import Layer
from workbench.saving import serialization_lib


def check_cell(cell):
    """Raises ValueError unless `cell` has a `call` method and an int or list `state_size`."""
    if not callable(getattr(cell, "call", None)):
        raise ValueError(
            "An RNN cell must have a `call(inputs, states)` method returning "
            f"`(output, new_states)`. Received: cell={cell!r}"
        )
    state_size = getattr(cell, "state_size", None)
    if isinstance(state_size, bool) or not isinstance(state_size, (int, list, tuple)):
        raise ValueError(
            "An RNN cell must have a `state_size` attribute: an int, or a list of ints with one "
            f"entry per state tensor. Received: state_size={state_size!r} on cell={cell!r}"
        )


def check_units(units, argument="units"):
    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise ValueError(
            f"Received an invalid value for argument `{argument}`, expected a positive integer. "
            f"Received: {argument}={units!r}"
        )


def build_sublayer(layer, input_shape):
    """Builds `layer` in its own name scope: its weights get paths like `lstm/lstm_cell/kernel`."""
    if isinstance(layer, Layer) and not layer.built:
        with naming.name_scope(layer.name):
            layer.build(input_shape)
        layer.built = True


def call_cell(cell, inputs, states, training):
    """One step of `cell`: `(output, new_states)`. Passes `training` where it is accepted."""
    if isinstance(cell, Layer):
        return cell(inputs, states, training=training)
    call = cell if callable(cell) else cell.call
    if "training" in inspect.signature(call).parameters:
        return call(inputs, states, training=training)
    return call(inputs, states)


def cell_property(name):
    """A read-only attribute of an RNN layer that reads the same attribute of its cell."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


def merge_cell_config(rnn_config, cell, activity_regularizer):
    """The config of a built-in RNN layer (LSTM, GRU, ...): its RNN arguments plus its cell's."""
    config = {key: value for key, value in rnn_config.items() if key != "cell"}
    cell_config = {key: value for key, value in cell.get_config().items()
                   if key not in ("name", "trainable", "dtype")}
    return {**config, **cell_config,
            "activity_regularizer": regularizers.serialize(activity_regularizer)}


def _where_kept(keep, new, old):
    """`new` for the batch entries where `keep` (shape `(batch,)`) is True, else `old`."""
    return jnp.where(jnp.reshape(keep, keep.shape + (1,) * (new.ndim - 1)), new, old)


@keras_export("keras.layers.RNN")
class RNN(Layer):
    """Base class for recurrent layers: runs a cell over the time axis of its input.

    A cell is an object with a `call(inputs, states, training=None)` method returning
    `(output, new_states)`, a `state_size` attribute (an int, or a list with one size per state),
    and optionally `output_size` and `get_initial_state(batch_size)`. The time loop is one
    `jax.lax.scan` (fully unrolled with `unroll=True`).

    Masked timesteps (from an input mask or the `mask` argument) leave the states unchanged, and
    their output repeats the previous output (or is zero with `zero_output_for_mask=True`). So a
    right-padded batch ends with the same states as its unpadded sequences.

    Args:
        cell: an RNN cell instance, or a list of cells (stacked with `StackedRNNCells`).
        return_sequences: whether to return the output of every timestep or only the last one.
        return_state: whether to return the final states after the output.
        go_backwards: whether to process the sequence backwards (and return it reversed).
        stateful: whether the final states of one batch are the initial states of the next
            (sample `i` continues sample `i`). Needs a fixed batch size.
        unroll: whether to unroll the loop; faster for short sequences, more memory.
        zero_output_for_mask: whether masked timesteps output zeros (with `return_sequences`).

    Call arguments:
        sequences: a `(batch_size, timesteps, ...)` tensor.
        initial_state: optional list of initial state tensors.
        mask: optional boolean `(batch_size, timesteps)` tensor; False marks a skipped step.
        training: passed on to the cell (for dropout).

    Input shape:
        `(batch_size, timesteps, ...)`: 3D for dense cells.

    Output shape:
        `(batch_size, timesteps, output_size)` with `return_sequences`, else
        `(batch_size, output_size)`; with `return_state`, followed by one tensor per state.

    Example:

    >>> layer = RNN(LSTMCell(4), return_sequences=True)
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 4)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from workbench.layers.rnn.stacked_rnn_cells import StackedRNNCells  # a cycle otherwise

            cell = StackedRNNCells(cell)
        check_cell(cell)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        state_size = cell.state_size
        self.state_size = [state_size] if isinstance(state_size, int) else list(state_size)
        self.supports_masking = True
        # The state Variables of a stateful layer. Like Keras, they are not weights: they are
        # neither saved nor carried through `stateless_call`.
        self.states = None

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) < 3:
            raise ValueError(
                f'Layer "{self.name}" expects sequences of shape (batch_size, timesteps, ...). '
                f"Received: sequences.shape={tuple(sequences_shape)}"
            )
        build_sublayer(self.cell, (sequences_shape[0],) + tuple(sequences_shape[2:]))
        if self.stateful and self.states is None:
            if sequences_shape[0] is None:
                raise ValueError(
                    f'Layer "{self.name}" is stateful, so it needs a fixed batch size. Received: '
                    f"sequences.shape={tuple(sequences_shape)}. Pass `batch_size` to `Input`."
                )
            with naming.name_scope(self.name):
                self.states = tree.map_structure(
                    lambda value: Variable(value, trainable=False, dtype=self.variable_dtype,
                                           name="rnn_state"),
                    self.get_initial_state(sequences_shape[0]))

    def get_initial_state(self, batch_size):
        """The zero states (or the cell's `get_initial_state`), as a list."""
        get_cell_state = getattr(self.cell, "get_initial_state", None)
        if get_cell_state is not None:
            states = get_cell_state(batch_size=batch_size)
            return list(states) if tree.is_nested(states) else [states]
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        return [ops.zeros((batch_size, size), dtype=dtype) for size in self.state_size]

    def reset_state(self):
        """Sets the states of a stateful layer back to zero."""
        if self.states is not None:
            for variable in tree.flatten(self.states):
                variable.assign(jnp.zeros(variable.shape, variable.dtype))

    def reset_states(self):
        self.reset_state()

    def call(self, sequences, initial_state=None, mask=None, training=False):
        batch_size = sequences.shape[0]
        if initial_state is None and self.stateful:
            initial_state = tree.map_structure(lambda variable: variable.value, self.states)
        initial_state = self._standardize_states(initial_state, batch_size)
        if mask is not None:
            mask = self._time_mask(tree.flatten(mask)[0], sequences)
        prepare_masks = getattr(self.cell, "prepare_dropout_masks", None)
        if training and prepare_masks is not None:
            prepare_masks(sequences[:, 0], initial_state)
        try:
            last_output, outputs, states = self._time_loop(sequences, initial_state, mask, training)
        finally:
            if hasattr(self.cell, "reset_dropout_masks"):
                self.cell.reset_dropout_masks()
        if self.stateful:
            for variable, value in zip(tree.flatten(self.states), tree.flatten(states)):
                variable.assign(value)
        output = ops.cast(outputs if self.return_sequences else last_output, self.compute_dtype)
        if self.return_state:
            states = tree.map_structure(lambda s: ops.cast(s, self.compute_dtype), states)
            return (output, *states)
        return output

    def _standardize_states(self, initial_state, batch_size):
        """The initial states in the cell's structure and dtype; a flat list is accepted too."""
        template = self.get_initial_state(batch_size)
        if initial_state is None:
            return template
        given, expected = tree.flatten(initial_state), tree.flatten(template)
        if len(given) != len(expected):
            raise ValueError(
                f'Layer "{self.name}" expects {len(expected)} initial state tensors (shapes '
                f"{[tuple(s.shape) for s in expected]}), but received {len(given)}."
            )
        states = []
        for value, reference in zip(given, expected):
            value = ops.cast(value, reference.dtype)
            if tuple(value.shape) != tuple(reference.shape):
                raise ValueError(
                    f'Layer "{self.name}" expects initial states of shapes '
                    f"{[tuple(s.shape) for s in expected]}. Received a state of shape "
                    f"{tuple(value.shape)}."
                )
            states.append(value)
        return tree.pack_sequence_as(template, states)

    @staticmethod
    def _time_mask(mask, sequences):
        """The mask as a boolean `(batch, timesteps)` tensor: a step counts if any entry is True."""
        mask = ops.cast(mask, "bool")
        if mask.ndim > 2:
            mask = jnp.any(jnp.reshape(mask, mask.shape[:2] + (-1,)), axis=-1)
        if tuple(mask.shape) != tuple(sequences.shape[:2]):
            raise ValueError(
                "An RNN mask must have shape (batch_size, timesteps) = "
                f"{tuple(sequences.shape[:2])}. Received: mask.shape={tuple(mask.shape)}"
            )
        return mask

    def _step(self, training):
        def step(inputs, states):
            output, new_states = call_cell(self.cell, inputs, states, training)
            flat_new, flat_old = tree.flatten(new_states), tree.flatten(states)
            if len(flat_new) != len(flat_old):
                raise ValueError(
                    f"The cell of RNN layer {self.name} returned {len(flat_new)} state tensors; "
                    f"it was given {len(flat_old)}. A cell must return one new state per state."
                )
            # The loop carry must keep its exact structure and dtypes from step to step.
            flat_new = [ops.cast(new, old.dtype) for new, old in zip(flat_new, flat_old)]
            return output, tree.pack_sequence_as(states, flat_new)

        return step

    def _time_loop(self, sequences, initial_state, mask, training):
        """Returns `(last_output, outputs or None, final_states)`; outputs are batch-major."""
        step = self._step(training)
        inputs = jnp.swapaxes(sequences, 0, 1)
        output_spec = jax.eval_shape(lambda x, s: step(x, s)[0], inputs[0], initial_state)
        # A masked first step repeats the first state, as Keras does; a cell whose first state
        # does not look like its output starts from zeros.
        first_state = initial_state[0]
        if tree.is_nested(first_state):
            first_state = tree.flatten(initial_state[-1])[0]
        if tuple(first_state.shape) == tuple(output_spec.shape):
            previous_output = first_state.astype(output_spec.dtype)
        else:
            previous_output = jnp.zeros(output_spec.shape, output_spec.dtype)

        def body(carry, step_inputs):
            states, previous_output = carry
            inputs_t, keep = step_inputs if mask is not None else (step_inputs, None)
            output, new_states = step(inputs_t, states)
            emitted = output
            if keep is not None:
                new_states = tree.map_structure(
                    lambda new, old: _where_kept(keep, new, old), new_states, states)
                skipped = jnp.zeros_like(output) if self.zero_output_for_mask else previous_output
                emitted = _where_kept(keep, output, skipped)
                output = _where_kept(keep, output, previous_output)
            return (new_states, output), (emitted if self.return_sequences else None)

        xs = inputs if mask is None else (inputs, jnp.swapaxes(mask, 0, 1))
        (states, last_output), outputs = jax.lax.scan(
            body, (initial_state, previous_output), xs, reverse=self.go_backwards,
            unroll=True if self.unroll else 1)
        if outputs is not None:
            if self.go_backwards:
                outputs = jnp.flip(outputs, axis=0)
            outputs = jnp.swapaxes(outputs, 0, 1)
        return last_output, outputs, states

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, timesteps = sequences_shape[0], sequences_shape[1]
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = tree.flatten(self.state_size[0])[0]
        output_shape = (batch_size, output_size)
        if self.return_sequences:
            output_shape = (batch_size, timesteps, output_size)
        if not self.return_state:
            return output_shape
        state_shapes = [(batch_size, size) if isinstance(size, int)
                        else [(batch_size, s) for s in size] for size in self.state_size]
        return (output_shape, *state_shapes)

    def compute_mask(self, inputs, previous_mask):
        mask = tree.flatten(previous_mask)[0] if previous_mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(tree.flatten(self.state_size))
        return output_mask

    def get_config(self):
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialization_lib.serialize_keras_object(self.cell),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "cell" in config:
            config["cell"] = serialization_lib.deserialize_keras_object(
                config["cell"], custom_objects=custom_objects)
        return super().from_config(config)
