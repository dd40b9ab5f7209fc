"""Utilities, as `keras.utils`."""

from workbench.backend import clear_session, is_keras_tensor, standardize_dtype
from workbench.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from workbench.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from workbench.utils.numerical_utils import normalize, to_categorical
from workbench.utils.progbar import Progbar
from workbench.utils.rng_utils import set_random_seed

__all__ = [
    "CustomObjectScope", "Progbar", "clear_session", "custom_object_scope", "deserialize_keras_object",
    "get_custom_objects", "get_registered_name", "get_registered_object", "is_keras_tensor",
    "normalize", "register_keras_serializable", "serialize_keras_object", "set_random_seed",
    "standardize_dtype", "to_categorical",
]
