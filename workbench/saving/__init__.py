"""Saving and loading, as `keras.saving` (the `.keras` archive lands with the saving issue)."""

from workbench.saving.file_editor import KerasFileEditor
from workbench.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from workbench.saving.saving_api import load_model, load_weights, save_model, save_weights
from workbench.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

__all__ = [
    "KerasFileEditor", "CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "register_keras_serializable",
    "serialize_keras_object", "load_model", "load_weights", "save_model", "save_weights",
]
