"""clone_model: a new model with the same architecture and freshly initialized weights."""

from workbench import tree
from workbench.api_export import keras_export
from workbench.layers.input_layer import Input, InputLayer
from workbench.models.functional import Functional
from workbench.models.sequential import Sequential


def _clone_layer(layer):
    return layer.__class__.from_config(layer.get_config())


@keras_export("keras.models.clone_model")
def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """Clones a Sequential or Functional model: new layers from the same configs, new weights.

    Args:
        model: the model to clone.
        input_tensors: optional new `Input()` tensors for the clone.
        clone_function: `layer -> new layer`, applied to every layer (default: from its config).
        call_function: `(layer, *args, **kwargs) -> outputs`, to change how layers are called.
        recursive: also clone nested models with the same functions.

    Example:

    >>> clone = workbench.models.clone_model(model)
    >>> clone.set_weights(model.get_weights())
    """
    clone_function = clone_function or _clone_layer

    def clone_one(layer):
        if recursive and isinstance(layer, (Sequential, Functional)):
            return clone_model(layer, clone_function=clone_function, call_function=call_function,
                               recursive=True)
        return clone_function(layer)

    if isinstance(model, Sequential):
        layers = [clone_one(layer) for layer in model.layers]
        if input_tensors is not None:
            first = tree.flatten(input_tensors)[0]
            layers = [first._keras_history.operation] + layers
        elif model._functional is not None:
            input_layer = model._functional.inputs[0]._keras_history.operation
            layers = [Input(batch_shape=input_layer.batch_shape, dtype=input_layer.dtype)._keras_history.operation] + layers
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if not isinstance(model, Functional):
        raise ValueError(
            "clone_model expects a Sequential or Functional model. Subclassed models cannot be "
            f"cloned from their graph; received an instance of {type(model).__name__}. Use "
            "`model.__class__.from_config(model.get_config())` instead."
        )
    if input_tensors is None:
        new_inputs = [Input(batch_shape=x.shape, dtype=x.dtype, name=x._keras_history.operation.name)
                      for x in model.inputs]
    else:
        new_inputs = tree.flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(
                f"clone_model: the model has {len(model.inputs)} inputs, but {len(new_inputs)} "
                "input_tensors were given."
            )
    values = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    clones = {}
    for node in model._run_nodes:
        layer = node.operation
        if isinstance(layer, InputLayer):
            continue
        if id(layer) not in clones:
            clones[id(layer)] = clone_one(layer)
        new_layer = clones[id(layer)]
        args, kwargs = node.arguments.fill_in(values)
        if call_function is not None:
            outputs = call_function(new_layer, *args, **kwargs)
        else:
            outputs = new_layer(*args, **kwargs)
        for old, new in zip(node.outputs, tree.flatten(outputs)):
            values[id(old)] = new
    outputs = tree.pack_sequence_as(model._outputs_struct, [values[id(x)] for x in model.outputs])
    inputs = tree.pack_sequence_as(model._inputs_struct, new_inputs)
    return Functional(inputs, outputs, name=model.name)



