"""Lambda: wraps a Python function of tensors as a layer."""

import base64
import inspect
import marshal
import types

import numpy as np

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.symbolic import compute_output_spec
from workbench.layers.layer import Layer
from workbench.saving import serialization_lib


@keras_export("keras.layers.Lambda")
class Lambda(Layer):
    """Wraps an arbitrary function of tensors as a `Layer`, for quick experiments.

    A Lambda has no weights of its own. For anything stateful or that you plan to save and share,
    subclass `Layer` instead: a saved Python lambda is bytecode, which only loads with
    `safe_mode=False`, and only in the same Python version.

    Args:
        function: the function to call on the inputs. It may take `mask` and `training` keyword
            arguments, which the layer then passes.
        output_shape: the output shape without the batch axis, a function
            `input_shape -> output_shape`, or None to infer it by tracing `function`.
        mask: the output mask: a tensor, a function `(inputs, mask) -> mask`, or None (no mask).
        arguments: optional dict of extra keyword arguments for `function`.

    Input shape:
        Anything `function` accepts.

    Output shape:
        Given by `output_shape`, or inferred from `function`.

    Example:

    >>> layer = Lambda(lambda x: x ** 2)
    >>> layer(np.array([[1.0, 2.0]]))
    Array([[1., 4.]], dtype=float32)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Lambda: `function` must be callable. Received: function={function!r}")
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        parameters = inspect.signature(function).parameters
        self._function_takes_mask = "mask" in parameters
        self._function_takes_training = "training" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._function_takes_mask:
            kwargs["mask"] = mask
        if self._function_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, previous_mask=None):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            specs = tree.map_shape_structure(
                lambda s: KerasTensor(s, dtype=self.compute_dtype), input_shape)
            try:
                outputs = compute_output_spec(self.call, specs)
            except Exception as error:
                raise NotImplementedError(
                    f'Lambda layer "{self.name}" could not infer its output shape by tracing its '
                    f"function ({error}). Pass `output_shape=` to the Lambda layer."
                ) from error
            return tree.map_structure(lambda t: t.shape, outputs)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = tree.flatten(input_shape)[0]
        return tree.map_shape_structure(lambda shape: (batch_size, *shape), self._output_shape)

    def compute_output_spec(self, inputs, mask=None, training=None):
        if self._output_shape is None:
            return compute_output_spec(self._convert_then_call, inputs, mask=mask, training=training)
        input_shape = tree.map_structure(lambda t: tuple(t.shape), inputs)
        output_shape = self.compute_output_shape(input_shape)
        dtype = tree.flatten(inputs)[0].dtype
        return tree.map_shape_structure(lambda shape: KerasTensor(shape, dtype=dtype), output_shape)

    def get_config(self):
        config = {**super().get_config(), "function": _serialize_function(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (_serialize_function(self._output_shape)
                                      if callable(self._output_shape) else self._output_shape)
        if self.mask is not None:
            config["mask"] = (_serialize_function(self.mask) if callable(self.mask)
                              else serialization_lib.serialize_keras_object(self.mask))
        config["arguments"] = serialization_lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["function"] = _deserialize_function(config["function"], custom_objects)
        if "output_shape" in config:
            output_shape = config["output_shape"]
            if isinstance(output_shape, dict):
                output_shape = _deserialize_function(output_shape, custom_objects)
            elif isinstance(output_shape, list) and all(
                    d is None or isinstance(d, int) for d in output_shape):
                output_shape = tuple(output_shape)
            config["output_shape"] = output_shape
        if isinstance(config.get("mask"), dict):
            config["mask"] = _deserialize_function(config["mask"], custom_objects)
        if "arguments" in config:
            config["arguments"] = serialization_lib.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects)
        return super().from_config(config)


def _serialize_function(function):
    """A Python lambda becomes Keras's `__lambda__` record (bytecode); a named function, its name."""
    if isinstance(function, types.LambdaType) and function.__name__ == "<lambda>":
        closure = None
        if function.__closure__:
            closure = [serialization_lib.serialize_keras_object(cell.cell_contents)
                       for cell in function.__closure__]
        return {
            "class_name": "__lambda__",
            "config": {
                "code": base64.encodebytes(marshal.dumps(function.__code__)).decode("ascii"),
                "defaults": function.__defaults__,
                "closure": closure,
            },
        }
    return serialization_lib.serialize_keras_object(function)


def _deserialize_function(config, custom_objects):
    if not (isinstance(config, dict) and config.get("class_name") == "__lambda__"):
        return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
    if serialization_lib.in_safe_mode():
        raise ValueError(
            "Requested the deserialization of a `Lambda` layer whose function is a Python lambda. "
            "A lambda is saved as bytecode, which can run arbitrary code when loaded, so it is "
            "refused in safe mode. If you trust the source of this file, pass `safe_mode=False` to "
            "the loading function, or call `workbench.config.enable_unsafe_deserialization()`."
        )
    inner = config["config"]
    if "value" in inner:
        # The generic `serialize_keras_object` record: Keras writes `[code, defaults, closure]`.
        value = inner["value"]
        code, defaults, closure = (value, None, None) if isinstance(value, str) else value
    else:
        code, defaults, closure = inner["code"], inner.get("defaults"), inner.get("closure")
    code = marshal.loads(base64.decodebytes(code.encode("ascii")))
    if defaults is not None:
        defaults = tuple(defaults)
    if closure is not None:
        closure = tuple(
            types.CellType(serialization_lib.deserialize_keras_object(value, safe_mode=False))
            for value in closure)
    return types.FunctionType(code, _lambda_globals(), code.co_name, defaults, closure)


def _lambda_globals():
    """The globals a revived lambda sees: the names Keras code usually refers to."""
    import workbench

    return {"keras": workbench, "workbench": workbench, "ops": workbench.ops, "np": np,
            "__builtins__": __builtins__}
