"""StackedRNNCells: several RNN cells run as one, each feeding its output to the next."""

import jax

from workbench import ops, tree
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.rnn.rnn import build_sublayer, call_cell, check_cell
from workbench.saving import serialization_lib


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size


@keras_export("keras.layers.StackedRNNCells")
class StackedRNNCells(Layer):
    """Wraps a list of RNN cells into one cell: a deep RNN in a single time loop.

    The states are a list with one entry per cell (that cell's states).

    Args:
        cells: a list of RNN cells; each cell's output is the next cell's input.

    Example:

    >>> cells = [LSTMCell(8), LSTMCell(4)]
    >>> RNN(StackedRNNCells(cells))(np.ones((2, 5, 3))).shape
    (2, 4)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(
                f"StackedRNNCells expects a non-empty list of cells. Received: cells={cells!r}"
            )
        for cell in cells:
            check_cell(cell)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        states = []
        for cell in self.cells:
            get_cell_state = getattr(cell, "get_initial_state", None)
            if get_cell_state is not None:
                states.append(get_cell_state(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                states.append([ops.zeros((batch_size, size), dtype=self.compute_dtype)
                               for size in cell.state_size])
        return states

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            single = not tree.is_nested(cell_states)
            cell_states = [cell_states] if single else list(cell_states)
            inputs, cell_states = call_cell(cell, inputs, cell_states, training)
            if tree.is_nested(cell_states) and single and len(cell_states) == 1:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        return inputs, new_states

    def build(self, input_shape):
        for cell in self.cells:
            build_sublayer(cell, input_shape)
            input_shape = (input_shape[0], _output_size(cell))

    def prepare_dropout_masks(self, step_input, states):
        """Draws each cell's dropout masks; a cell's step input is the previous cell's output."""
        for cell, cell_states in zip(self.cells, states):
            cell_states = list(cell_states) if tree.is_nested(cell_states) else [cell_states]
            prepare = getattr(cell, "prepare_dropout_masks", None)
            if prepare is not None:
                prepare(step_input, cell_states)
            step_input = jax.eval_shape(
                lambda x, s, cell=cell: call_cell(cell, x, s, False)[0], step_input, cell_states)

    def reset_dropout_masks(self):
        for cell in self.cells:
            if hasattr(cell, "reset_dropout_masks"):
                cell.reset_dropout_masks()

    def get_config(self):
        return {**super().get_config(),
                "cells": [serialization_lib.serialize_keras_object(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["cells"] = [
            serialization_lib.deserialize_keras_object(cell, custom_objects=custom_objects)
            for cell in config["cells"]
        ]
        return super().from_config(config)
