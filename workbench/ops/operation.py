"""Operation: anything that can be called on tensors eagerly or on KerasTensors symbolically."""

import functools

from workbench.backend import naming
from workbench.backend.keras_tensor import any_symbolic_tensors
from workbench.backend.symbolic import compute_output_spec
from workbench.ops.node import Node
from workbench.saving.serialization_lib import register_internal_class


class Operation:
    """Base class of layers and graph ops: `__call__` runs `call` or records a Node symbolically."""

    def __init__(self, name=None):
        if name is None:
            name = naming.auto_name(self.__class__.__name__)
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Argument `name` of {self.__class__.__name__} must be a string without '/'. "
                f"Received: name={name!r}"
            )
        self.name = name
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{self.__class__.__name__} must implement `call()`.")

    def compute_output_spec(self, *args, **kwargs):
        return compute_output_spec(self.call, *args, **kwargs)

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"


@register_internal_class("workbench.ops", "FunctionOperation")
class FunctionOperation(Operation):
    """Wraps one `workbench.ops` function so a symbolic call of it becomes a graph node."""

    def __init__(self, function, name=None, static_kwargs=None):
        super().__init__(name=name or naming.auto_name(function.__name__))
        self.function = function
        self.static_kwargs = dict(static_kwargs or {})

    def call(self, *args, **kwargs):
        return self.function(*args, **{**self.static_kwargs, **kwargs})

    def get_config(self):
        config = {"name": self.name, "function": self.function.__name__}
        if self.static_kwargs:
            config["static_kwargs"] = dict(self.static_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        from workbench import ops

        function = getattr(ops, config["function"], None)
        if not getattr(function, "_keras_op", False):
            raise ValueError(
                f"Unknown op {config['function']!r} in the model config: only `workbench.ops` "
                "functions can be revived."
            )
        return cls(function.__wrapped__, name=config["name"], static_kwargs=config.get("static_kwargs"))


def keras_op_reviver(class_name):
    """Revives an op node that Keras saved as e.g. `keras.src.ops.numpy.NotEqual` (its op classes
    take their static arguments in the constructor), as the workbench op of the same name."""
    from workbench import ops

    function = getattr(ops, naming.to_snake_case(class_name), None)
    if not getattr(function, "_keras_op", False):
        return None

    class KerasOpNode:
        @staticmethod
        def from_config(config):
            config = dict(config)
            name = config.pop("name", None)
            return FunctionOperation(function.__wrapped__, name=name, static_kwargs=config)

    return KerasOpNode


def keras_op(function):
    """Makes a pure JAX function an op: on KerasTensors it records a node and returns KerasTensors.

    The op's name (e.g. `ops.add`) names the graph node; on concrete arrays and JAX tracers the
    function runs directly, with no overhead beyond one scan of the arguments.
    """
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return FunctionOperation(function).symbolic_call(*args, **kwargs)
        return function(*args, **kwargs)

    wrapper._keras_op = True  # `inspect.signature` follows `__wrapped__`, set by `functools.wraps`
    return wrapper
