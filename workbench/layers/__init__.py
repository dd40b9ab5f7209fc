"""Layers, as `keras.layers`: one file per layer, grouped by family."""

from workbench.api_export import keras_export

# The layer-library families each export their public names through their package `__all__`.
from workbench.layers import (  # noqa: E402
    attention,
    convolutional,
    normalization,
    pooling,
    preprocessing,
    reshaping,
    rnn,
)
from workbench.layers.activations import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from workbench.layers.attention import *  # noqa: E402,F401,F403
from workbench.layers.convolutional import *  # noqa: E402,F401,F403
from workbench.layers.core import (
    Dense,
    EinsumDense,
    Embedding,
    FlaxLayer,
    Identity,
    JaxLayer,
    Lambda,
    Masking,
    Wrapper,
)
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
from workbench.layers.normalization import *  # noqa: E402,F401,F403
from workbench.layers.pooling import *  # noqa: E402,F401,F403
from workbench.layers.preprocessing import *  # noqa: E402,F401,F403
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
from workbench.layers.reshaping import *  # noqa: E402,F401,F403
from workbench.layers.reshaping import Flatten, Permute, RepeatVector, Reshape
from workbench.layers.rnn import *  # noqa: E402,F401,F403
from workbench.saving import serialization_lib


def _layer_classes():
    from workbench.api_export import NAME_TO_OBJECT

    return {name.rsplit(".", 1)[1]: obj for name, obj in NAME_TO_OBJECT.items()
            if name.startswith("keras.layers.") and isinstance(obj, type) and issubclass(obj, Layer)}


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
        module_objects=_layer_classes())
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
    "Reshape", "Softmax", "Wrapper", "JaxLayer", "FlaxLayer", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Subtract",
    "add", "average", "concatenate", "deserialize", "dot", "maximum", "minimum", "multiply",
    "serialize", "subtract",
]
for _family in (attention, convolutional, normalization, pooling, preprocessing, reshaping, rnn):
    __all__ += [name for name in _family.__all__ if name not in __all__]
