"""Functional: a Model defined by a graph of layer calls from `Input()` tensors to outputs."""

import inspect

from workbench import tree
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.input_layer import InputLayer
from workbench.layers.layer import Layer
from workbench.models.graph import Function
from workbench.models.model import Model
from workbench.ops.operation import Operation
from workbench.saving import serialization_lib


@serialization_lib.register_internal_class("keras.src.models.functional", "Functional")
class Functional(Function, Model):
    """A Model built from symbolic inputs and outputs. Create it with `workbench.Model(inputs, outputs)`."""

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        if isinstance(inputs, dict):
            for key, tensor in inputs.items():
                if isinstance(tensor, KerasTensor) and tensor.name is None:
                    tensor.name = key
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        Function.__init__(self, inputs, outputs, name=self.name)
        self._layers_in_graph = [op for op in self._operations if isinstance(op, Layer)]
        self.built = True
        self._input_names = [
            x._keras_history.operation.name if x._keras_history is not None else x.name
            for x in self._inputs
        ]

    @property
    def layers(self):
        return [op for op in self._operations if isinstance(op, Layer)]

    @property
    def input_shape(self):
        shapes = [x.shape for x in self._inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [x.shape for x in self._outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    def _standardize_inputs(self, inputs):
        struct = self._inputs_struct
        if isinstance(struct, dict) and isinstance(inputs, dict):
            missing = [k for k in struct if k not in inputs]
            if missing:
                raise ValueError(
                    f'Model "{self.name}" expects inputs with keys {sorted(struct)}, but the input '
                    f"dict is missing {missing}. Received keys: {sorted(inputs)}"
                )
            flat = tree.flatten({k: inputs[k] for k in struct})
        elif isinstance(inputs, dict):
            by_name = dict(zip(self._input_names, self._inputs))
            if set(inputs) != set(by_name):
                raise ValueError(
                    f'Model "{self.name}" has inputs named {self._input_names}, but received a dict '
                    f"with keys {sorted(inputs)}."
                )
            flat = [inputs[name] for name in self._input_names]
        else:
            flat = tree.flatten(inputs)
        if len(flat) != len(self._inputs):
            raise ValueError(
                f'Model "{self.name}" expects {len(self._inputs)} input(s), but it received '
                f"{len(flat)} input tensors. Inputs received: {_describe(flat)}. Pass one array per "
                f"model input, in the order {self._input_names}."
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        flat = self._standardize_inputs(inputs)
        if mask is not None:
            from workbench.backend.tensor_attributes import set_mask

            for x, m in zip(flat, tree.flatten(mask)):
                if m is not None:
                    set_mask(x, m)
        return self._run_through_graph(flat)

    def compute_output_spec(self, inputs, training=None, mask=None):
        return Layer.compute_output_spec(self, inputs, training=training, mask=mask)

    def compute_mask(self, inputs, mask=None):
        return None

    # -- config --------------------------------------------------------------------------------
    def get_config(self):
        if not _functional_like_constructor(type(self)):
            return Layer.get_config(self)
        return functional_config(self)


def _functional_like_constructor(cls):
    parameters = list(inspect.signature(cls.__init__).parameters)[1:3]
    return parameters == ["inputs", "outputs"]


def _describe(flat):
    return [getattr(x, "shape", type(x).__name__) for x in flat]


def _node_key(layer, node):
    return layer.name, layer._inbound_nodes.index(node)


def functional_config(model):
    """The Keras 3 Functional config: layers with their inbound nodes, and input/output triples."""
    model_nodes = {id(node) for node in model._nodes}
    new_index = {}
    for layer in model.operations:
        count = 0
        for original, node in enumerate(layer._inbound_nodes):
            if id(node) in model_nodes:
                new_index[(layer.name, original)] = count
                count += 1

    def history_of(tensor):
        operation, node_index, tensor_index = tensor._keras_history
        return [operation.name, new_index.get((operation.name, node_index), node_index), tensor_index]

    def serialize_argument(value):
        if isinstance(value, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(value.shape), "dtype": value.dtype, "keras_history": history_of(value)}}
        if isinstance(value, (list, tuple)):
            return [serialize_argument(v) for v in value]
        if isinstance(value, dict):
            return {k: serialize_argument(v) for k, v in value.items()}
        return serialization_lib.serialize_keras_object(value)

    layers = []
    for layer in model.operations:
        layer_config = serialization_lib.serialize_keras_object(layer)
        layer_config["name"] = layer.name
        inbound = []
        for node in layer._inbound_nodes:
            if id(node) in model_nodes and not node.is_input:
                inbound.append({"args": serialize_argument(list(node.arguments.args)),
                                "kwargs": serialize_argument(node.arguments.kwargs)})
        layer_config["inbound_nodes"] = inbound
        layers.append(layer_config)

    def triples(struct):
        if isinstance(struct, KerasTensor):
            return history_of(struct)
        if isinstance(struct, dict):
            return {k: triples(v) for k, v in struct.items()}
        return [triples(v) for v in struct]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": triples(model._inputs_struct),
        "output_layers": triples(model._outputs_struct),
    }


def _validate_functional_config(config):
    layers = config.get("layers")
    if not isinstance(layers, list) or not all(isinstance(entry, dict) and isinstance(entry.get("name"), str)
                                               for entry in layers):
        raise ValueError(
            "Invalid Functional config: `layers` must be a list of serialized layers, each with a "
            f"'name'. Received: {str(layers)[:200]}"
        )
    for key in ("input_layers", "output_layers"):
        if not isinstance(config.get(key), (list, dict)):
            raise ValueError(f"Invalid Functional config: `{key}` must be a list or dict. Received: {config.get(key)!r}")


def _drop_recorded_default_training(layer, kwargs):
    scope = serialization_lib.current_loading_scope()
    if scope is None or not scope.drop_default_training or "training" not in kwargs:
        return kwargs
    parameter = inspect.signature(layer.call).parameters.get("training")
    default = None if parameter is None or parameter.default is inspect.Parameter.empty else parameter.default
    if kwargs["training"] == default or (not kwargs["training"] and not default):
        kwargs = {k: v for k, v in kwargs.items() if k != "training"}
    return kwargs


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds a Functional model by replaying each layer's recorded calls in dependency order."""
    _validate_functional_config(config)
    created = {}
    pending = []
    for layer_data in config["layers"]:
        layer = serialization_lib.deserialize_keras_object(layer_data, custom_objects=custom_objects)
        if not isinstance(layer, Operation):
            raise TypeError(f"Functional config entry {layer_data.get('name')!r} is not a layer or op.")
        created[layer_data["name"]] = layer
        for node_data in layer_data.get("inbound_nodes", []):
            pending.append((layer_data["name"], node_data))
    outputs_by_node = {}
    for name, layer in created.items():
        if isinstance(layer, InputLayer):
            outputs_by_node[(name, 0)] = [layer.output]

    def revive(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            history = value["config"]["keras_history"]
            key = (history[0], history[1])
            if key not in outputs_by_node:
                raise LookupError(key)
            return outputs_by_node[key][history[2]]
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], str) and len(value) in (3, 4) \
                and isinstance(value[1], int) and value[0] in created:
            key = (value[0], value[1])
            if key not in outputs_by_node:
                raise LookupError(key)
            return outputs_by_node[key][value[2]]
        if isinstance(value, (list, tuple)):
            return [revive(v) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {k: revive(v) for k, v in value.items()}
        return serialization_lib.deserialize_keras_object(value, custom_objects=custom_objects)

    node_counts = {name: (1 if isinstance(layer, InputLayer) else 0) for name, layer in created.items()}
    while pending:
        progressed = False
        remaining = []
        for name, node_data in pending:
            try:
                if isinstance(node_data, dict):
                    args = revive(node_data.get("args", []))
                    kwargs = revive(node_data.get("kwargs", {}))
                else:  # Keras 2 form: [[layer, node, tensor, kwargs], ...]
                    tensors = [revive(entry[:3]) for entry in node_data]
                    kwargs = node_data[0][3] if node_data and len(node_data[0]) > 3 else {}
                    args = [tensors[0] if len(tensors) == 1 else tensors]
            except LookupError:
                remaining.append((name, node_data))
                continue
            kwargs = _drop_recorded_default_training(created[name], kwargs)
            if remaining and any(r[0] == name for r in remaining):
                remaining.append((name, node_data))  # keep one layer's calls in order
                continue
            outputs = created[name](*args, **kwargs)
            outputs_by_node[(name, node_counts[name])] = tree.flatten(outputs)
            node_counts[name] += 1
            progressed = True
        if not progressed:
            raise ValueError(
                "Cannot rebuild the Functional model: the config's layer calls reference tensors "
                f"that are never produced. Unresolved layers: {sorted({n for n, _ in remaining})}"
            )
        pending = remaining

    def resolve(struct):
        if isinstance(struct, dict):
            return {k: resolve(v) for k, v in struct.items()}
        if isinstance(struct, (list, tuple)) and len(struct) == 3 and isinstance(struct[0], str):
            produced = outputs_by_node.get((struct[0], struct[1]))
            if produced is None or not isinstance(struct[2], int) or not 0 <= struct[2] < len(produced):
                raise ValueError(f"The Functional config refers to a tensor that is never produced: {struct}.")
            return produced[struct[2]]
        if isinstance(struct, (list, tuple)) and struct:
            return [resolve(v) for v in struct]
        raise ValueError(
            "Invalid `input_layers`/`output_layers` entry in a Functional config: expected "
            f"[layer_name, node_index, tensor_index] triples (or lists/dicts of them). Received: {struct!r}"
        )

    inputs = resolve(config["input_layers"])
    outputs = resolve(config["output_layers"])
    kwargs = {"name": config.get("name"), "trainable": config.get("trainable", True)}
    target = cls if cls is not Model else Functional
    if issubclass(target, Functional):
        return target(inputs, outputs, **kwargs)
    return Model(inputs=inputs, outputs=outputs, **kwargs)
