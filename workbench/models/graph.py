"""Function: a graph of Nodes between symbolic inputs and outputs, and how to run it.

The graph is walked once, at construction, into nodes ordered by depth (inputs first); running it
fills a dict from tensor id to value, node by node.
"""

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.ops.operation import Operation


def _producer(tensor):
    history = tensor._keras_history
    if history is None:
        raise ValueError(
            f"The tensor {tensor} was not produced by a layer or op: build models from "
            "`workbench.Input()` tensors and layer outputs."
        )
    return history.operation._inbound_nodes[history.node_index]


def map_graph(inputs, outputs):
    """Returns `(nodes, operations, depth_of_node)`: the graph between `inputs` and `outputs`.

    `nodes` and `operations` come in execution order: deepest first, ties broken by the order the
    depth-first walk from the outputs discovered them.
    """
    input_ids = {id(x) for x in inputs}
    finished, in_progress, ordered, operation_index = set(), set(), [], {}

    def visit(tensor):
        node = _producer(tensor)
        if id(node) in finished:
            return
        if id(node) in in_progress:
            raise ValueError(f"The graph has a cycle through layer '{node.operation.name}'.")
        operation_index.setdefault(node.operation, len(operation_index))
        in_progress.add(id(node))
        if id(tensor) not in input_ids:
            for parent_tensor in node.input_tensors:
                visit(parent_tensor)
        in_progress.discard(id(node))
        finished.add(id(node))
        ordered.append(node)

    for output in outputs:
        visit(output)

    depth = {}
    for node in reversed(ordered):
        current = depth.setdefault(node, 0)
        if any(id(t) in input_ids for t in node.outputs):
            continue
        for parent in node.parent_nodes:
            depth[parent] = max(depth.get(parent, 0), current + 1)
    operation_depth = {}
    for node, node_depth in depth.items():
        operation_depth[node.operation] = max(operation_depth.get(node.operation, 0), node_depth)

    for node in ordered:
        if node.is_input and not any(id(t) in input_ids for t in node.outputs):
            raise ValueError(
                f"Graph disconnected: cannot obtain the value of tensor {node.outputs[0]} of layer "
                f"'{node.operation.name}'. It is an input the model was not given; pass it in `inputs`."
            )

    nodes = sorted(ordered, key=lambda n: (-depth[n], operation_index[n.operation]))
    operations = sorted(operation_depth, key=lambda op: (-operation_depth[op], operation_index[op]))
    return nodes, operations, depth


@keras_export("keras.Function")
class Function(Operation):
    """A callable graph from symbolic `inputs` to `outputs` (the core of Functional models)."""

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name)
        self._inputs_struct = tree.map_structure(lambda x: x, inputs)
        self._outputs_struct = tree.map_structure(lambda x: x, outputs)
        self._inputs = tree.flatten(inputs)
        self._outputs = tree.flatten(outputs)
        for tensor in self._inputs + self._outputs:
            if not isinstance(tensor, KerasTensor):
                raise ValueError(
                    "All `inputs` and `outputs` of a Functional model must be symbolic tensors "
                    f"(from `workbench.Input()` and layer calls). Received: {tensor!r}"
                )
        nodes, operations, depth = map_graph(self._inputs, self._outputs)
        input_ids = {id(x) for x in self._inputs}
        self._nodes = nodes
        self._nodes_by_depth = depth
        self._run_nodes = [n for n in nodes if not n.is_input and not any(id(t) in input_ids for t in n.outputs)]
        self._operations = operations

    @property
    def operations(self):
        return list(self._operations)

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return self._outputs

    def _run_through_graph(self, inputs, operation_fn=lambda op: op):
        """Runs the graph on the flat list `inputs`, returning outputs in the outputs' structure."""
        values = {id(x): y for x, y in zip(self._inputs, inputs)}
        for node in self._run_nodes:
            if any(id(x) not in values for x in node.input_tensors):
                continue
            args, kwargs = node.arguments.fill_in(values)
            outputs = operation_fn(node.operation)(*args, **kwargs)
            for symbolic, value in zip(node.outputs, tree.flatten(outputs)):
                values[id(symbolic)] = value
        flat = [values[id(x)] for x in self._outputs]
        return tree.pack_sequence_as(self._outputs_struct, flat)

    def call(self, inputs):
        return self._run_through_graph(tree.flatten(inputs))
