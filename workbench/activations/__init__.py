"""`workbench.activations`: the built-in activation functions, and `get` / `serialize` / `deserialize`.

Built-in activations serialize as their plain name (`"relu"`), as in Keras files.
"""

import types

from workbench.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
from workbench.api_export import keras_export
from workbench.saving import object_registration, serialization_lib

swish = silu
hard_swish = hard_silu

ALL_OBJECTS = (
    celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_tanh, leaky_relu,
    linear, log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid, silu, soft_shrink, softmax,
    softplus, softsign, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh, tanh_shrink,
    threshold,
)
ALL_OBJECTS_DICT = {function.__name__: function for function in ALL_OBJECTS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu
_BUILTIN_NAMES = {function: function.__name__ for function in ALL_OBJECTS}


@keras_export("keras.activations.serialize")
def serialize(activation):
    """Returns the name of a built-in activation (`"relu"`), or the config of any other one.

    A custom function becomes `{"class_name": "function", "config": <registered name>, ...}`.
    """
    if activation in _BUILTIN_NAMES:
        return _BUILTIN_NAMES[activation]
    config = serialization_lib.serialize_keras_object(activation)
    if isinstance(activation, types.FunctionType) and isinstance(config, dict):
        config["config"] = object_registration.get_registered_name(activation)
    return config


@keras_export("keras.activations.deserialize")
def deserialize(config, custom_objects=None):
    """Returns the activation named or described by `config` (the output of `serialize`)."""
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.activations.get")
def get(identifier):
    """Returns an activation function from a name, a config dict, or a callable.

    `None` gives `linear`. Strings are the built-in names (`"relu"`, `"swish"`, ...) or names of
    registered custom objects.

    Example:

    >>> workbench.activations.get("relu") is workbench.activations.relu
    True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = ALL_OBJECTS_DICT.get(identifier)
        if found is None:
            found = object_registration.get_registered_object(identifier)
        if found is None:
            raise ValueError(
                f"Unknown activation: {identifier!r}. Valid names: {sorted(ALL_OBJECTS_DICT)}. "
                "For a custom activation, pass the function itself or register it with "
                "`@workbench.saving.register_keras_serializable()`."
            )
    else:
        found = identifier
    if callable(found):
        return found
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. Expected a name "
        f"(one of {sorted(ALL_OBJECTS_DICT)}), a config dict, or a callable."
    )
