"""Custom objects: `register_keras_serializable`, `custom_object_scope`, and name lookups."""

import inspect
import threading

from workbench.api_export import keras_export

GLOBAL_CUSTOM_OBJECTS = {}
GLOBAL_CUSTOM_NAMES = {}
_scope = threading.local()


def _scope_stack():
    if not hasattr(_scope, "stack"):
        _scope.stack = []
    return _scope.stack


@keras_export("keras.saving.CustomObjectScope", "keras.utils.CustomObjectScope",
              "keras.saving.custom_object_scope", "keras.utils.custom_object_scope")
class CustomObjectScope:
    """Within this scope, the given custom objects can be found by name when deserializing.

    Example:

    >>> with custom_object_scope({"MyLayer": MyLayer}):
    ...     layer = workbench.layers.deserialize(config)
    """

    def __init__(self, custom_objects):
        if custom_objects is not None and not isinstance(custom_objects, dict):
            raise TypeError(
                "`custom_objects` must be a dict mapping names to classes or functions. "
                f"Received: {type(custom_objects).__name__}"
            )
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _scope_stack().append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


@keras_export("keras.saving.get_custom_objects", "keras.utils.get_custom_objects")
def get_custom_objects():
    """The global dict of registered custom objects (mutable)."""
    return GLOBAL_CUSTOM_OBJECTS


def scoped_custom_objects():
    merged = {}
    for objects in _scope_stack():
        merged.update(objects)
    return merged


@keras_export("keras.saving.register_keras_serializable", "keras.utils.register_keras_serializable")
def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function so saved files can refer to it as `package>name`.

    Example:

    >>> @workbench.saving.register_keras_serializable(package="my_package")
    ... class MyDense(workbench.layers.Layer):
    ...     ...
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"`package` must be a string without '>'. Received: package={package!r}")

    def decorator(obj):
        serialized_name = name if name is not None else obj.__name__
        registered_name = f"{package}>{serialized_name}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register {obj.__name__}: classes registered as serializable must implement "
                "`get_config()`."
            )
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


@keras_export("keras.saving.get_registered_name", "keras.utils.get_registered_name")
def get_registered_name(obj):
    """The name `obj` was registered under, or its `__name__` when it was not registered."""
    if obj in GLOBAL_CUSTOM_NAMES:
        return GLOBAL_CUSTOM_NAMES[obj]
    return obj.__name__


@keras_export("keras.saving.get_registered_object", "keras.utils.get_registered_object")
def get_registered_object(name, custom_objects=None, module_objects=None):
    """Looks `name` up in the scoped, global and given custom objects, then in `module_objects`."""
    for table in (scoped_custom_objects(), GLOBAL_CUSTOM_OBJECTS, custom_objects or {}, module_objects or {}):
        if name in table:
            return table[name]
    return None
