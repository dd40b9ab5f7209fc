"""The layer graph of a model: nodes (layers, ops, nested models) and edges (tensors with shapes).

`model_graph(model, expanded=...)` walks a Functional model's nodes once. A nested model is one
node while collapsed; expanded, its own layers take its place, wired to the outer tensors it was
called on. A layer called several times (a shared layer) is one node with an edge per call.
Subclassed models have no recorded graph, so their layers come out in order, joined by edges
marked `data_flow=False`. This module imports no plotting library.
"""

import dataclasses

import numpy as np

FAMILY_COLORS = {
    "input": "#cfd8dc",
    "core": "#bbdefb",
    "conv": "#c8e6c9",
    "pooling": "#dcedc8",
    "normalization": "#fff9c4",
    "rnn": "#ffe0b2",
    "attention": "#f8bbd0",
    "merge": "#d1c4e9",
    "reshaping": "#b2ebf2",
    "preprocessing": "#d7ccc8",
    "activation": "#e1f5fe",
    "regularization": "#f5f5f5",
    "model": "#ffccbc",
    "op": "#eeeeee",
    "other": "#ffffff",
}

_FOLDER_FAMILIES = {
    "core": "core", "convolutional": "conv", "pooling": "pooling", "normalization": "normalization",
    "rnn": "rnn", "attention": "attention", "merging": "merge", "reshaping": "reshaping",
    "preprocessing": "preprocessing", "activations": "activation", "regularization": "regularization",
}


@dataclasses.dataclass
class GraphNode:
    """One box of the graph. `id` is the layer's path through expanded models (`"tower/dense"`)."""

    id: str
    name: str
    class_name: str
    family: str
    output_shape: str
    input_shape: str
    params: int
    dtype: str
    parent: str | None
    expandable: bool
    layer: object = dataclasses.field(repr=False, compare=False, default=None)

    @property
    def label(self):
        return f"{self.name} ({self.class_name})"


@dataclasses.dataclass(frozen=True)
class GraphEdge:
    """A tensor from `source` to `target`; `shape` is its formatted shape (`"(None, 8)"`)."""

    source: str
    target: str
    shape: str
    data_flow: bool = True


@dataclasses.dataclass
class ModelGraph:
    nodes: list
    edges: list
    groups: dict  # expanded nested model id -> ids of the nodes drawn inside it
    nested: list  # ids of every nested model that can be expanded, expanded or not
    kind: str  # "functional", "sequential", or "subclassed"

    def node(self, node_id):
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(
            f"The graph has no node {node_id!r}. Nodes: {[n.id for n in self.nodes]}"
        )


def format_shape(shape):
    if isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    if isinstance(shape, (tuple, list)):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    return "?"


def _join_shapes(tensors):
    shapes = [format_shape(tuple(t.shape)) for t in tensors]
    return "?" if not shapes else shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _dtype(tensors):
    dtypes = [str(t.dtype) for t in tensors]
    return "?" if not dtypes else dtypes[0] if len(set(dtypes)) == 1 else "[" + ", ".join(dtypes) + "]"


def layer_family(operation):
    from workbench.layers.input_layer import InputLayer
    from workbench.layers.layer import Layer
    from workbench.models.model import Model

    if isinstance(operation, InputLayer):
        return "input"
    if isinstance(operation, Model):
        return "model"
    if not isinstance(operation, Layer):
        return "op"
    parts = type(operation).__module__.split(".")
    if len(parts) > 2 and parts[0] == "workbench" and parts[1] == "layers":
        return _FOLDER_FAMILIES.get(parts[2], "other")
    for base in type(operation).__mro__[1:]:
        parts = base.__module__.split(".")
        if len(parts) > 2 and parts[0] == "workbench" and parts[1] == "layers" and parts[2] in _FOLDER_FAMILIES:
            return _FOLDER_FAMILIES[parts[2]]
    return "other"


def _param_count(operation):
    try:
        return int(operation.count_params()) if getattr(operation, "built", False) else 0
    except (ValueError, AttributeError):
        return 0


def inner_functional(operation):
    """The Functional graph inside a nested model, or None (not a model, or subclassed, or unbuilt)."""
    from workbench.models.functional import Functional
    from workbench.models.sequential import Sequential

    if isinstance(operation, Sequential):
        return operation._functional
    if isinstance(operation, Functional):
        return operation
    return None


class _Builder:
    def __init__(self, expanded):
        self.expanded = set(expanded)
        self.nodes, self.edges, self.groups, self.nested = {}, [], {}, []
        self.edge_keys = set()
        self.node_ids = {}

    def add_node(self, node_id, operation, parent, node, model):
        if node_id in self.nodes:
            return
        own_nodes = [n for n in operation._inbound_nodes if id(n) in self.node_ids[id(model)]]
        first = own_nodes[0] if own_nodes else node
        expandable = inner_functional(operation) is not None and operation is not model
        if expandable and node_id not in self.nested:
            self.nested.append(node_id)
        self.nodes[node_id] = GraphNode(
            id=node_id, name=operation.name, class_name=type(operation).__name__,
            family=layer_family(operation), output_shape=_join_shapes(first.outputs),
            input_shape=_join_shapes(first.input_tensors) if first.input_tensors else _join_shapes(first.outputs),
            params=_param_count(operation), dtype=_dtype(first.outputs), parent=parent,
            expandable=expandable, layer=operation,
        )
        if parent is not None:
            self.groups.setdefault(parent, []).append(node_id)

    def add_edge(self, source, target, shape, data_flow=True):
        if (source, target, shape) not in self.edge_keys:
            self.edge_keys.add((source, target, shape))
            self.edges.append(GraphEdge(source, target, shape, data_flow))

    def walk(self, model, prefix, parent, producers):
        """Adds `model`'s nodes; `producers` maps id(tensor) -> graph node id, and is filled in."""
        from workbench.layers.input_layer import InputLayer

        self.node_ids[id(model)] = {id(n) for n in model._nodes}
        for node in model._nodes:
            operation = node.operation
            node_id = prefix + operation.name
            if isinstance(operation, InputLayer):
                if parent is None or not all(id(t) in producers for t in node.outputs):
                    self.add_node(node_id, operation, parent, node, model)
                    for tensor in node.outputs:
                        producers.setdefault(id(tensor), node_id)
                continue
            inner = inner_functional(operation)
            if inner is not None and node_id in self.expanded:
                self.groups.setdefault(node_id, [])
                if node_id not in self.nested:
                    self.nested.append(node_id)
                inner_producers = {id(t): producers[id(outer)] for t, outer in zip(inner.inputs, node.input_tensors)
                                   if id(outer) in producers}
                self.walk(inner, node_id + "/", node_id, inner_producers)
                for outer, inner_out in zip(node.outputs, inner.outputs):
                    producers[id(outer)] = inner_producers[id(inner_out)]
                if parent is not None:
                    self.groups.setdefault(parent, []).append(node_id)
                continue
            self.add_node(node_id, operation, parent, node, model)
            for tensor in node.input_tensors:
                if id(tensor) in producers:
                    self.add_edge(producers[id(tensor)], node_id, format_shape(tuple(tensor.shape)))
            for tensor in node.outputs:
                producers[id(tensor)] = node_id


def _layer_list_graph(layers, data_flow):
    nodes, edges = [], []
    for layer in layers:
        shape = "?"
        if layer._inbound_nodes:
            shape = _join_shapes(layer._inbound_nodes[0].outputs)
        nodes.append(GraphNode(
            id=layer.name, name=layer.name, class_name=type(layer).__name__, family=layer_family(layer),
            output_shape=shape, input_shape="?", params=_param_count(layer),
            dtype=_dtype(layer._inbound_nodes[0].outputs) if layer._inbound_nodes else "?", parent=None,
            expandable=False, layer=layer,
        ))
    for before, after in zip(nodes, nodes[1:]):
        edges.append(GraphEdge(before.id, after.id, before.output_shape if data_flow else "", data_flow))
    return nodes, edges


def model_graph(model, expanded=()):
    """Returns the `ModelGraph` of `model`, with the nested models named in `expanded` opened.

    `expanded` holds node ids: `"encoder"` for a nested model at the top, `"encoder/block"` for one
    inside it. Pass `expanded=True` to open every nested model at every depth.
    """
    from workbench.models.model import Model
    from workbench.models.sequential import Sequential

    if not isinstance(model, Model):
        raise TypeError(
            f"`model` must be a workbench Model (Functional, Sequential or subclassed). "
            f"Received: model={model!r} of type {type(model).__name__}."
        )
    functional = inner_functional(model)
    if functional is None:
        sequential = isinstance(model, Sequential)
        nodes, edges = _layer_list_graph(model.layers, data_flow=sequential)
        return ModelGraph(nodes, edges, {}, [], "sequential" if sequential else "subclassed")
    if expanded is True:
        expanded = _all_nested_ids(functional)
    builder = _Builder(expanded)
    builder.walk(functional, "", None, {})
    unknown = set(builder.expanded) - set(builder.nested)
    if unknown:
        raise ValueError(
            f"`expanded` names no nested model of {model.name!r}: {sorted(unknown)}. "
            f"Nested models that can be expanded: {builder.nested or 'none'}."
        )
    kind = "sequential" if isinstance(model, Sequential) else "functional"
    return ModelGraph(list(builder.nodes.values()), builder.edges, builder.groups, builder.nested, kind)


def _all_nested_ids(functional, prefix=""):
    ids = []
    for operation in functional.operations:
        inner = inner_functional(operation)
        if inner is not None:
            ids.append(prefix + operation.name)
            ids.extend(_all_nested_ids(inner, prefix + operation.name + "/"))
    return ids


def weight_summaries(layer, bins=12):
    """For each weight of `layer`: its path, shape, dtype, statistics and a histogram of values."""
    summaries = []
    for variable in getattr(layer, "weights", []):
        values = np.asarray(variable.numpy(), dtype=np.float64).ravel()
        finite = values[np.isfinite(values)]
        entry = {"name": variable.path, "shape": tuple(variable.shape), "dtype": str(variable.dtype),
                 "trainable": bool(variable.trainable), "size": int(values.size)}
        if finite.size:
            counts, edges = np.histogram(finite, bins=bins)
            entry.update(min=float(finite.min()), max=float(finite.max()), mean=float(finite.mean()),
                         std=float(finite.std()), counts=counts.tolist(), edges=edges.tolist())
        summaries.append(entry)
    return summaries


def sparkline(counts):
    """A one-line histogram of `counts` in block characters (`"▁▃█▅"`)."""
    blocks = "▁▂▃▄▅▆▇█"
    top = max(counts) if counts else 0
    if not top:
        return blocks[0] * len(counts)
    return "".join(blocks[min(int(c / top * (len(blocks) - 1) + 0.5), len(blocks) - 1)] for c in counts)


def layer_config(layer):
    """The layer's config without the bulky nested parts; {} if the layer cannot produce one."""
    try:
        config = layer.get_config()
    except (NotImplementedError, TypeError, AttributeError, ValueError):
        return {}
    return {key: value for key, value in config.items() if key not in ("layers", "input_layers", "output_layers")}
