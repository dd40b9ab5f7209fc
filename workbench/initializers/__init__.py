"""`workbench.initializers`: objects that make initial weight values, and `get` / `serialize` / `deserialize`."""

import inspect

import jax
import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend import dtypes, naming
from workbench.backend.variables import Variable
from workbench.initializers.constant_initializers import STFT, Constant, Identity, Ones, Zeros
from workbench.initializers.initializer import Initializer
from workbench.initializers.random_initializers import (
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from workbench.initializers.random_initializers import (
    RandomInitializer as RandomInitializer,
)
from workbench.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
)
from workbench.initializers.variance_scaling import (
    compute_fans as compute_fans,
)
from workbench.saving import object_registration, serialization_lib

IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
constant, zeros, ones, identity, stft = Constant, Zeros, Ones, Identity, STFT
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
orthogonal, variance_scaling = Orthogonal, VarianceScaling
glorot_normal, glorot_uniform = GlorotNormal, GlorotUniform
he_normal, he_uniform = HeNormal, HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform

ALL_OBJECTS = (
    Initializer, Constant, Identity, Ones, STFT, Zeros, GlorotNormal, GlorotUniform, HeNormal,
    HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({naming.to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({
    "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
    "STFTInitializer": STFT,
    "normal": RandomNormal,
    "uniform": RandomUniform,
    "one": Ones,
    "zero": Zeros,
})


@keras_export("keras.initializers.serialize")
def serialize(initializer):
    """Returns the `{"module", "class_name", "config", "registered_name"}` dict of an initializer."""
    return serialization_lib.serialize_keras_object(initializer)


@keras_export("keras.initializers.deserialize")
def deserialize(config, custom_objects=None):
    """Revives an initializer from `serialize`'s output (or a `{"class_name", "config"}` dict)."""
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.initializers.get")
def get(identifier):
    """Returns an initializer from a name, a config dict, a class, a callable, or an array.

    Names are class names or their snake_case forms (`"GlorotUniform"`, `"glorot_uniform"`), or
    registered custom names. A class is instantiated with no arguments. An array becomes an
    initializer that returns it (and checks the requested shape).

    Example:

    >>> workbench.initializers.get("glorot_uniform")
    <workbench.initializers.variance_scaling.GlorotUniform object at ...>
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = ALL_OBJECTS_DICT.get(identifier)
        if found is None:
            found = object_registration.get_registered_object(identifier)
        if found is None:
            raise ValueError(
                f"Unknown initializer: {identifier!r}. Valid names: {sorted(ALL_OBJECTS_DICT)}. "
                "For a custom initializer, pass an instance or register its class with "
                "`@workbench.saving.register_keras_serializable()`."
            )
    elif isinstance(identifier, (np.ndarray, np.generic, jax.Array, Variable)):
        found = _from_array(identifier)
    else:
        found = identifier
    if inspect.isclass(found):
        found = found()
    if callable(found):
        return found
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. Expected a name, a config "
        "dict, an Initializer, a callable `(shape, dtype=None)`, or an array."
    )


def _from_array(array):
    def initialize_from_array(shape, dtype=None):
        if tuple(shape) != tuple(array.shape):
            raise ValueError(
                f"This initializer holds an array of shape {tuple(array.shape)}, so it can only "
                f"make that shape. Received: shape={tuple(shape)}"
            )
        value = array.value if isinstance(array, Variable) else array
        return jnp.asarray(value, dtype=dtypes.to_jax_dtype(dtype))

    return initialize_from_array
