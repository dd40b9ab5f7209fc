"""`workbench.regularizers`: weight penalties, and `get` / `serialize` / `deserialize`."""

import inspect

from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer
from workbench.saving import object_registration, serialization_lib

l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({naming.to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT["l1_l2"] = L1L2


@keras_export("keras.regularizers.serialize")
def serialize(regularizer):
    """Returns the `{"module", "class_name", "config", "registered_name"}` dict of a regularizer."""
    return serialization_lib.serialize_keras_object(regularizer)


@keras_export("keras.regularizers.deserialize")
def deserialize(config, custom_objects=None):
    """Revives a regularizer from `serialize`'s output."""
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.regularizers.get")
def get(identifier):
    """Returns a regularizer from a name (`"l2"`, `"L1L2"`), a config dict, a class or a callable.

    Example:

    >>> workbench.regularizers.get("l2").get_config()
    {'l2': 0.01}
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
                f"Unknown regularizer: {identifier!r}. Valid names: {sorted(ALL_OBJECTS_DICT)}."
            )
    else:
        found = identifier
    if inspect.isclass(found):
        found = found()
    if callable(found):
        return found
    raise ValueError(
        f"Could not interpret regularizer identifier: {identifier!r}. Expected a name, a config "
        "dict, a Regularizer, or a callable."
    )
