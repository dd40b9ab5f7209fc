"""Sequential: a plain stack of layers, each with one input and one output."""

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.variables import bump_tracking_generation
from workbench.layers.input_layer import InputLayer
from workbench.layers.layer import Layer
from workbench.models.functional import Functional
from workbench.models.model import Model


@keras_export("keras.Sequential", "keras.models.Sequential")
class Sequential(Model):
    """A linear stack of layers.

    Once the input shape is known (an `Input`/`InputLayer` first, `input_shape=` on the first
    layer, `build(shape)`, or the first call), the stack is built as a Functional graph.

    Args:
        layers: optional list of layers to add.
        trainable: whether the model's weights are trainable.
        name: the model's name.

    Example:

    >>> model = workbench.Sequential([
    ...     workbench.Input(shape=(16,)),
    ...     workbench.layers.Dense(8, activation="relu"),
    ...     workbench.layers.Dense(1),
    ... ])
    """

    def __new__(cls, *args, **kwargs):
        return Layer.__new__(cls, *args, **kwargs)

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)
        self._functional = None
        self._stack = []
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Adds a layer (or an `Input()` tensor) on top of the stack."""
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `workbench.layers.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer) and self._stack and isinstance(self._stack[0], InputLayer):
            raise ValueError(
                f"Sequential model '{self.name}' has already been configured to use input shape "
                f"{self._stack[0].batch_shape}. You cannot add a different Input layer to it."
            )
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError("An InputLayer can only be the first layer of a Sequential model.")
        names = {existing.name for existing in self._stack}
        if layer.name in names:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name '{layer.name}' "
                "is already the name of a layer in this model. Update the `name` argument."
            )
        self._stack.append(layer)
        bump_tracking_generation()
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self._functional = None

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self.layers:
            raise IndexError("There are no layers in the model.")
        layer = self._stack.pop()
        bump_tracking_generation()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built = False
        self._functional = None
        if not self._stack:
            return
        first = self._stack[0]
        if isinstance(first, InputLayer) and len(self._stack) > 1:
            self.build(first.batch_shape)
        elif not isinstance(first, InputLayer) and getattr(first, "_input_shape_arg", None) is not None:
            batch = getattr(first, "_batch_size_arg", None)
            self.build((batch,) + tuple(first._input_shape_arg))

    def build(self, input_shape=None):
        if input_shape is None:
            raise ValueError(
                f"Sequential model '{self.name}' cannot be built without an input shape. Pass "
                "`input_shape`, or start the model with `workbench.Input(shape=...)`."
            )
        if isinstance(input_shape, (list, tuple)) and input_shape and isinstance(input_shape[0], (list, tuple)):
            input_shape = input_shape[0]
        input_shape = tuple(input_shape)
        if isinstance(self._stack[0], InputLayer):
            if tuple(self._stack[0].batch_shape) != input_shape and len(input_shape) == len(self._stack[0].batch_shape):
                pass
            input_layer = self._stack[0]
        else:
            dtype = getattr(self._stack[0], "_input_dtype", None)
            input_layer = InputLayer(batch_shape=input_shape, dtype=dtype)
            self._stack.insert(0, input_layer)
        inputs = input_layer.output
        x = inputs
        with naming.name_scope(self.name):
            for layer in self._stack[1:]:
                try:
                    x = layer(x)
                except NotImplementedError:
                    # A layer that cannot run symbolically: fall back to calling layers in order.
                    self.built = True
                    return
        self._functional = Functional(inputs=inputs, outputs=x)
        self.built = True
        self._build_shapes_dict = {"input_shape": input_shape}

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        x = inputs
        for layer in self.layers:
            kwargs = {}
            if mask is not None and "mask" in _call_parameters(layer):
                kwargs["mask"] = mask
            if training is not None and "training" in _call_parameters(layer):
                kwargs["training"] = training
            x = layer(x, **kwargs)
            from workbench.backend.tensor_attributes import get_mask

            mask = get_mask(x) if not tree.is_nested(x) else None
        return x

    def _maybe_build(self, args, kwargs):
        if not self.built and args:
            shape = tuple(args[0].shape) if hasattr(args[0], "shape") else None
            if shape is not None:
                self.build((None,) + shape[1:])
                return
        super()._maybe_build(args, kwargs)

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.compute_output_spec(inputs, training=training, mask=mask)
        return Layer.compute_output_spec(self, inputs, training=training, mask=mask)

    @property
    def layers(self):
        """The stacked layers, without the InputLayer."""
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    @property
    def inputs(self):
        return self._functional.inputs if self._functional is not None else None

    @property
    def outputs(self):
        return self._functional.outputs if self._functional is not None else None

    @property
    def input_shape(self):
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' is not built yet; it has no input shape.")
        return self._functional.input_shape

    @property
    def output_shape(self):
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' is not built yet; it has no output shape.")
        return self._functional.output_shape

    def get_config(self):
        from workbench.saving.serialization_lib import serialize_keras_object

        layers = [serialize_keras_object(layer) for layer in self._stack]
        config = Layer.get_config(self)
        config["layers"] = layers
        if self._functional is not None and self._build_shapes_dict:
            config["build_input_shape"] = self._build_shapes_dict["input_shape"]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from workbench.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        layer_configs = config.pop("layers")
        build_input_shape = config.pop("build_input_shape", None)
        config.pop("dtype", None)
        layers = [deserialize_keras_object(c, custom_objects=custom_objects) for c in layer_configs]
        model = cls(layers=layers, name=config.get("name"), trainable=config.get("trainable", True))
        if not model.built and build_input_shape is not None:
            model.build(tuple(build_input_shape))
        return model

    def get_build_config(self):
        return None


def _call_parameters(layer):
    import inspect

    return inspect.signature(layer.call).parameters
