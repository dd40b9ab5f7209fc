"""`workbench.constraints`: projections applied to weights after updates, and `get` / `serialize` / `deserialize`."""

import inspect

from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from workbench.saving import object_registration, serialization_lib

max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm

ALL_OBJECTS = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({naming.to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})


@keras_export("keras.constraints.serialize")
def serialize(constraint):
    """Returns the `{"module", "class_name", "config", "registered_name"}` dict of a constraint."""
    return serialization_lib.serialize_keras_object(constraint)


@keras_export("keras.constraints.deserialize")
def deserialize(config, custom_objects=None):
    """Revives a constraint from `serialize`'s output."""
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.constraints.get")
def get(identifier):
    """Returns a constraint from a name (`"max_norm"`, `"NonNeg"`), a config dict, a class or a callable."""
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
                f"Unknown constraint: {identifier!r}. Valid names: {sorted(ALL_OBJECTS_DICT)}."
            )
    else:
        found = identifier
    if inspect.isclass(found):
        found = found()
    if callable(found):
        return found
    raise ValueError(
        f"Could not interpret constraint identifier: {identifier!r}. Expected a name, a config "
        "dict, a Constraint, or a callable."
    )
