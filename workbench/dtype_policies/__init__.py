"""Dtype policies, as `keras.dtype_policies`."""

from workbench.api_export import keras_export
from workbench.dtype_policies.dtype_policy import DTypePolicy, FloatDTypePolicy


@keras_export("keras.dtype_policies.get")
def get(identifier):
    """Returns a `DTypePolicy` from a name, a config dict, or a policy (None gives the global one)."""
    from workbench.backend import config

    if identifier is None:
        return config.dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    if isinstance(identifier, dict):
        policy = deserialize(identifier) if "class_name" in identifier else None
        if not isinstance(policy, DTypePolicy):
            raise ValueError(
                "Cannot interpret `dtype` argument: a dict must be a serialized DTypePolicy "
                f"(with 'class_name' and 'config'). Received: dtype={identifier!r}"
            )
        return policy
    if hasattr(identifier, "name") and isinstance(getattr(identifier, "name"), str):
        return DTypePolicy(identifier.name)
    raise ValueError(
        "Cannot interpret `dtype` argument. Expected a string (e.g. 'float32', 'mixed_float16') "
        f"or a DTypePolicy. Received: dtype={identifier!r}"
    )


@keras_export("keras.dtype_policies.serialize")
def serialize(policy):
    from workbench.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(policy)


@keras_export("keras.dtype_policies.deserialize")
def deserialize(config, custom_objects=None):
    from workbench.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(
        config, custom_objects=custom_objects,
        module_objects={"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy},
    )


__all__ = ["DTypePolicy", "FloatDTypePolicy", "get", "serialize", "deserialize"]
