"""Layers, as `keras.layers`: one file per layer, grouped by family."""

from workbench.api_export import keras_export
from workbench.layers.activations import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from workbench.layers.core import Dense, EinsumDense, Embedding, Identity, Lambda, Masking
from workbench.layers.input_layer import Input, InputLayer
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from workbench.layers.regularization import (
    ActivityRegularization,
    AlphaDropout,
    Dropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from workbench.layers.reshaping import Flatten, Permute, RepeatVector, Reshape
from workbench.saving import serialization_lib

_LAYER_CLASSES = (
    Activation, ActivityRegularization, Add, AlphaDropout, Average, Concatenate, Dense, Dot, Dropout,
    ELU, EinsumDense, Embedding, Flatten, GaussianDropout, GaussianNoise, Identity, InputLayer, Lambda,
    Layer, LeakyReLU, Masking, Maximum, Minimum, Multiply, PReLU, ReLU, RepeatVector, Reshape,
    Permute, Softmax, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, Subtract,
)


@keras_export("keras.layers.serialize")
def serialize(layer):
    """Returns the `{"module", "class_name", "config", ...}` description of a layer.

    Example:

    >>> config = serialize(Dense(3))
    >>> config["class_name"]
    'Dense'
    """
    return serialization_lib.serialize_keras_object(layer)


@keras_export("keras.layers.deserialize")
def deserialize(config, custom_objects=None):
    """Revives a layer from `serialize`'s output (or a bare `{"class_name", "config"}` dict).

    Args:
        config: the serialized layer.
        custom_objects: a dict mapping names to custom classes and functions the config uses.

    Example:

    >>> layer = deserialize(serialize(Dense(3)))
    """
    layer = serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects,
        module_objects={cls.__name__: cls for cls in _LAYER_CLASSES})
    if not isinstance(layer, Layer):
        raise ValueError(
            "`workbench.layers.deserialize` was passed a config that does not describe a layer. "
            f"Received: config={config}"
        )
    return layer


__all__ = [
    "Activation", "ActivityRegularization", "Add", "AlphaDropout", "Average", "Concatenate", "Dense",
    "Dot", "Dropout", "ELU", "EinsumDense", "Embedding", "Flatten", "GaussianDropout",
    "GaussianNoise", "Identity", "Input", "InputLayer", "InputSpec", "Lambda", "Layer", "LeakyReLU",
    "Masking", "Maximum", "Minimum", "Multiply", "PReLU", "Permute", "ReLU", "RepeatVector",
    "Reshape", "Softmax", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Subtract",
    "add", "average", "concatenate", "deserialize", "dot", "maximum", "minimum", "multiply",
    "serialize", "subtract",
]
