"""Node: one recorded call of an operation on symbolic tensors, the edge list of a Functional graph."""

import collections

from workbench import tree
from workbench.backend.keras_tensor import KerasTensor

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class SymbolicArguments:
    """The arguments of a recorded call, with their KerasTensors, ready to be filled with values."""

    def __init__(self, *args, **kwargs):
        self.args = tree.map_structure(lambda x: x, args)
        self.kwargs = tree.map_structure(lambda x: x, kwargs)
        self.keras_tensors = [x for x in tree.flatten((self.args, self.kwargs)) if isinstance(x, KerasTensor)]
        self._single_positional = (
            len(self.args) == 1 and isinstance(self.args[0], KerasTensor) and not self.kwargs
        )

    def fill_in(self, tensor_dict):
        """Returns `(args, kwargs)` with every KerasTensor replaced by `tensor_dict[id(tensor)]`."""
        if self._single_positional:
            return (tensor_dict[id(self.args[0])],), {}

        def swap(x):
            if isinstance(x, KerasTensor):
                return tensor_dict[id(x)]
            return x

        return tree.map_structure(swap, self.args), tree.map_structure(swap, self.kwargs)


class Node:
    """Records that `operation` was called on `call_args`/`call_kwargs` and produced `outputs`."""

    def __init__(self, operation, call_args=None, call_kwargs=None, outputs=None):
        self.operation = operation
        self.arguments = SymbolicArguments(*(call_args or ()), **(call_kwargs or {}))
        self.outputs = [] if outputs is None else [x for x in tree.flatten(outputs) if isinstance(x, KerasTensor)]
        self.input_tensors = self.arguments.keras_tensors
        operation._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                history.operation._outbound_nodes.append(self)
        node_index = len(operation._inbound_nodes) - 1
        for tensor_index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, tensor_index)

    @property
    def is_input(self):
        return not self.input_tensors

    @property
    def parent_nodes(self):
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                node = history.operation._inbound_nodes[history.node_index]
                if node not in parents:
                    parents.append(node)
        return parents

    def __repr__(self):
        return f"<Node operation={self.operation.name}, inputs={len(self.input_tensors)}>"
