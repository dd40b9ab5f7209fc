"""The JSON object format of `.keras` files: `serialize_keras_object` / `deserialize_keras_object`.

Every object becomes `{"module", "class_name", "config", "registered_name"}` (plus `build_config` and
`compile_config` for layers and models). Classes are resolved only through the public-name registry
(`workbench.api_export`) and the user's custom objects; a module named in a file is never imported.
"""

import base64
import inspect
import marshal
import threading
import types

import numpy as np

from workbench import api_export
from workbench.backend import config as backend_config
from workbench.saving import object_registration

_safe_mode = threading.local()

# Functions that must never be revived from a file, whatever the mode: they read, write or fetch
# files, reset global state, or switch off the safety checks themselves. Keras's list, plus our
# own global setters. They are refused under every alias (see `_refuse_non_modeling`).
NON_MODELING_NAMES = frozenset({
    "keras.backend.clear_session", "keras.config.enable_unsafe_deserialization",
    "keras.models.load_model", "keras.models.model_from_json", "keras.models.save_model",
    "keras.preprocessing.image_dataset_from_directory", "keras.preprocessing.image.load_img",
    "keras.preprocessing.image.save_img", "keras.preprocessing.text_dataset_from_directory",
    "keras.saving.deserialize_keras_object", "keras.saving.load_model", "keras.saving.load_weights",
    "keras.saving.register_keras_serializable", "keras.saving.save_model", "keras.saving.save_weights",
    "keras.saving.serialize_keras_object", "keras.utils.audio_dataset_from_directory",
    "keras.utils.clear_session", "keras.utils.deserialize_keras_object", "keras.utils.get_file",
    "keras.utils.image_dataset_from_directory", "keras.utils.load_img",
    "keras.utils.register_keras_serializable", "keras.utils.save_img", "keras.utils.serialize_keras_object",
    "keras.utils.text_dataset_from_directory",
    "keras.backend.set_floatx", "keras.backend.set_epsilon", "keras.backend.set_image_data_format",
    "keras.config.set_floatx", "keras.config.set_epsilon", "keras.config.set_image_data_format",
    "keras.config.set_dtype_policy", "keras.utils.set_random_seed",
})

# Internal (not exported) classes that Keras writes with a `keras.src...` module.
INTERNAL_CLASSES = {}


def register_internal_class(module, name):
    """Registers an unexported class under Keras's internal module name (e.g. Functional)."""
    def decorator(cls):
        INTERNAL_CLASSES[f"{module}.{name}"] = cls
        INTERNAL_CLASSES.setdefault(name, cls)
        cls._keras_internal_module = module
        return cls

    return decorator


class SafeModeScope:
    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = getattr(_safe_mode, "value", None)
        _safe_mode.value = self.safe_mode
        return self

    def __exit__(self, *exc):
        _safe_mode.value = self._previous


class LoadingScope:
    """Facts about the file being loaded that revivers need (e.g. its Keras version's quirks)."""

    def __init__(self, drop_default_training=False):
        self.drop_default_training = drop_default_training

    def __enter__(self):
        self._previous = getattr(_safe_mode, "loading", None)
        _safe_mode.loading = self
        return self

    def __exit__(self, *exc):
        _safe_mode.loading = self._previous


def current_loading_scope():
    return getattr(_safe_mode, "loading", None)


def in_safe_mode():
    if backend_config.unsafe_deserialization_enabled():
        return False
    value = getattr(_safe_mode, "value", None)
    return True if value is None else value


# --------------------------------------------------------------------------------------------
# serialize
# --------------------------------------------------------------------------------------------
def _module_and_class_name(obj_or_cls):
    cls = obj_or_cls if inspect.isclass(obj_or_cls) or inspect.isfunction(obj_or_cls) else type(obj_or_cls)
    public = api_export.get_name_for_object(cls)
    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(cls)
    if public is not None:
        module, _, name = public.rpartition(".")
        return module, name, None
    internal = getattr(cls, "_keras_internal_module", None)
    if internal is not None and cls in INTERNAL_CLASSES.values():
        return internal, cls.__name__, cls.__name__
    module = cls.__module__
    if module == "__main__":
        module = None
    return module, cls.__name__, registered or cls.__name__


@api_export.keras_export("keras.saving.serialize_keras_object", "keras.utils.serialize_keras_object")
def serialize_keras_object(obj):
    """Returns a JSON-compatible description of `obj` that `deserialize_keras_object` can revive."""
    from workbench.backend.keras_tensor import KerasTensor
    from workbench.backend.variables import Variable

    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    if isinstance(obj, (np.integer, np.floating, np.bool_)):
        return obj.item()
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, KerasTensor):
        history = obj._keras_history
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(obj.shape),
                "dtype": obj.dtype,
                "keras_history": None if history is None else [history.operation.name, history.node_index, history.tensor_index],
            },
        }
    if isinstance(obj, Variable):
        obj = obj.numpy()
    if isinstance(obj, np.ndarray) or type(obj).__module__.startswith("jax"):
        array = np.asarray(obj)
        kind = "__numpy__" if isinstance(obj, np.ndarray) else "__tensor__"
        return {"class_name": kind, "config": {"value": array.tolist(), "dtype": array.dtype.name}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": obj.start, "stop": obj.stop, "step": obj.step}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        code = base64.b64encode(marshal.dumps(obj.__code__)).decode("ascii")
        closure = [cell.cell_contents for cell in obj.__closure__] if obj.__closure__ else None
        return {"class_name": "__lambda__", "config": {"value": [code, obj.__defaults__, closure]}}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj) or (callable(obj) and hasattr(obj, "__wrapped__")):
        # Keras writes every function this way; the name is resolved on load through the public
        # namespaces (activations, losses, metrics, ...) and the registered custom objects.
        registered = object_registration.GLOBAL_CUSTOM_NAMES.get(obj)
        return {"module": "builtins", "class_name": "function", "config": registered or obj.__name__,
                "registered_name": "function"}
    if inspect.isclass(obj):
        module, name, registered = _module_and_class_name(obj)
        return {"module": module, "class_name": "type", "config": name, "registered_name": registered}
    if hasattr(obj, "get_config"):
        module, name, registered = _module_and_class_name(obj)
        try:
            config = obj.get_config()
        except NotImplementedError as error:
            raise NotImplementedError(
                f"Cannot serialize {type(obj).__name__}: {error}"
            ) from error
        result = {
            "module": module,
            "class_name": name,
            "config": serialize_keras_object(config),
            "registered_name": registered,
        }
        if hasattr(obj, "get_build_config"):
            build_config = obj.get_build_config()
            if build_config is not None:
                result["build_config"] = serialize_keras_object(build_config)
        if hasattr(obj, "get_compile_config"):
            compile_config = obj.get_compile_config()
            if compile_config is not None:
                result["compile_config"] = serialize_keras_object(compile_config)
        return result
    raise TypeError(
        f"Cannot serialize object {obj!r} of type {type(obj).__name__}: it has no `get_config()`. "
        "Implement `get_config()` on the class, or pass a supported value."
    )


# --------------------------------------------------------------------------------------------
# deserialize
# --------------------------------------------------------------------------------------------
def _refuse_non_modeling(obj, module, name):
    """Raises if `obj` is a non-modeling function, whichever name or alias the file used for it."""
    if obj is None:
        return obj
    for forbidden in NON_MODELING_NAMES:
        if api_export.get_object_for_name(forbidden) is obj:
            raise ValueError(
                f"Refusing to deserialize `{module}.{name}` (`{forbidden}`): it is not a modeling "
                "object. Saved configs may only hold layers, operations, losses, metrics and "
                "registered custom objects, never functions that read or write files or change "
                "global settings."
            )
    return obj


def _lookup(module, class_name, registered_name, custom_objects, module_objects, is_function):
    custom = dict(custom_objects or {})
    custom.update(object_registration.scoped_custom_objects())
    custom.update(object_registration.GLOBAL_CUSTOM_OBJECTS)
    for key in (registered_name, class_name):
        if isinstance(key, str) and key in custom:
            return custom[key]
    if module is not None and isinstance(module, str):
        full = f"{module}.{class_name}"
        if full in NON_MODELING_NAMES:
            raise ValueError(
                f"Refusing to deserialize `{full}`: it is not a modeling object. Saved configs may not "
                "call file-loading or configuration functions."
            )
        if module.startswith("keras"):
            obj = api_export.get_object_for_name(full)
            if obj is not None:
                return _refuse_non_modeling(obj, module, class_name)
        if full in INTERNAL_CLASSES:
            return INTERNAL_CLASSES[full]
        if module.startswith("keras.src.ops.") and not is_function:
            from workbench.ops.operation import keras_op_reviver

            reviver = keras_op_reviver(class_name)
            if reviver is not None:
                return reviver
    if module_objects and class_name in module_objects:
        return module_objects[class_name]
    if not is_function and module is None and class_name in INTERNAL_CLASSES:
        return INTERNAL_CLASSES[class_name]
    return None


_FUNCTION_NAMESPACES = ("activations", "constraints", "initializers", "losses", "metrics", "optimizers",
                        "regularizers")


def _builtin_function(name):
    """A function saved with `module="builtins"`: looked up in Keras's modeling namespaces only."""
    for namespace in _FUNCTION_NAMESPACES:
        obj = api_export.get_object_for_name(f"keras.{namespace}.{name}")
        if obj is not None and callable(obj) and not inspect.isclass(obj):
            return obj
    return None


@api_export.keras_export("keras.saving.deserialize_keras_object", "keras.utils.deserialize_keras_object")
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, module_objects=None, **kwargs):
    """Revives an object from `serialize_keras_object`'s output, resolving classes by name only."""
    safe_mode = in_safe_mode() if getattr(_safe_mode, "value", None) is not None else safe_mode
    with SafeModeScope(safe_mode):
        try:
            return _deserialize(config, custom_objects, module_objects)
        except RecursionError as error:
            raise ValueError("Could not deserialize the config: it is nested too deeply.") from error


def _deserialize(config, custom_objects, module_objects):
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        if module_objects and config in module_objects:
            return module_objects[config]
        found = _lookup(None, config, config, custom_objects, None, is_function=True)
        return found if found is not None else config
    if isinstance(config, (list, tuple)):
        return [_deserialize(x, custom_objects, module_objects) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not deserialize {config!r}: expected a dict, list or plain value.")
    if "class_name" not in config or "config" not in config:
        return {k: _deserialize(v, custom_objects, module_objects) for k, v in config.items()}
    class_name = config["class_name"]
    inner = config["config"]
    module = config.get("module")
    registered_name = config.get("registered_name") or class_name
    if not isinstance(class_name, str):
        raise TypeError(f"`class_name` must be a string. Received: {class_name!r}")
    if class_name == "__tensor__":
        import jax.numpy as jnp

        return jnp.asarray(inner["value"], dtype=inner["dtype"])
    if class_name == "__numpy__":
        return np.asarray(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        if not isinstance(inner["value"], str):
            raise TypeError(f"A `__bytes__` config holds a string value. Received: {inner['value']!r}")
        return inner["value"].encode("utf-8")
    if class_name == "__slice__":
        return slice(inner["start"], inner["stop"], inner["step"])
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__keras_tensor__":
        from workbench.backend.keras_tensor import KerasTensor

        tensor = KerasTensor(inner["shape"], dtype=inner["dtype"])
        tensor._pending_history = inner.get("keras_history")
        return tensor
    if class_name == "__lambda__":
        if in_safe_mode():
            raise ValueError(
                "Requested the deserialization of a Python lambda. It holds arbitrary code "
                "(marshalled bytecode), which can run anything on your machine, so it is refused "
                "in safe mode. If you trust the file, pass `safe_mode=False` to the loading "
                "function, or call `workbench.config.enable_unsafe_deserialization()`."
            )
        return _revive_lambda(inner["value"])
    if class_name in ("__typespec__",):
        raise ValueError(f"Cannot deserialize {class_name}: TensorFlow type specs are not supported.")
    if class_name in ("function", "type"):
        name = inner
        obj = _lookup(module, name, name, custom_objects, module_objects, is_function=True)
        if obj is None and module == "builtins":
            obj = _refuse_non_modeling(_builtin_function(name), module, name)
        if obj is None:
            raise TypeError(
                f"Could not locate function '{name}' (module={module!r}). Register it with "
                "`@workbench.saving.register_keras_serializable()` or pass it in `custom_objects`."
            )
        return obj
    cls = _lookup(module, class_name, registered_name, custom_objects, module_objects, is_function=False)
    if cls is None:
        raise TypeError(
            f"Could not locate class '{class_name}' (module={module!r}). Make sure custom classes "
            "are decorated with `@workbench.saving.register_keras_serializable()` or passed in "
            f"`custom_objects`. Full object config: {str(config)[:500]}"
        )
    if not hasattr(cls, "from_config"):
        if inspect.isfunction(cls) and isinstance(inner, dict):
            raise TypeError(f"'{class_name}' is a function; a config with arguments cannot call it.")
        raise TypeError(f"'{class_name}' cannot be deserialized: it has no `from_config`.")
    with object_registration.CustomObjectScope(custom_objects or {}):
        try:
            obj = cls.from_config(inner)
            build_config = config.get("build_config")
            if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", False):
                obj.build_from_config(build_config)
            compile_config = config.get("compile_config")
            if compile_config and hasattr(obj, "compile_from_config"):
                obj.compile_from_config(compile_config)
        except (ValueError, TypeError, KeyError, NotImplementedError, MemoryError):
            raise
        except Exception as error:
            # A malformed (or hostile) config must fail with one clear error type, not with whatever
            # it happened to break deep inside a constructor; the original stays chained.
            raise ValueError(
                f"Could not deserialize '{class_name}' from its config ({type(error).__name__}: "
                f"{error}). The config is malformed. Full object config: {str(config)[:500]}"
            ) from error
    return obj


def _revive_lambda(value):
    """Rebuilds a lambda from `code` or Keras's `[code, defaults, closure]` (unsafe mode only)."""
    import builtins

    code, defaults, closure = (value, None, None) if isinstance(value, str) else (list(value) + [None, None])[:3]
    code = marshal.loads(base64.b64decode(code))
    cells = tuple(types.CellType(item) for item in closure) if closure else None
    namespace = {"__builtins__": builtins}
    try:
        import numpy

        import workbench

        namespace.update({"np": numpy, "keras": workbench, "workbench": workbench, "ops": workbench.ops})
    except ImportError:
        pass
    return types.FunctionType(code, namespace, code.co_name, tuple(defaults) if defaults else None, cells)
