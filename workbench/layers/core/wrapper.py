"""Wrapper: the base of layers that wrap another layer (TimeDistributed, Bidirectional, ...)."""

from workbench.api_export import keras_export
from workbench.layers.layer import Layer


@keras_export("keras.layers.Wrapper")
class Wrapper(Layer):
    """Abstract base for layers that wrap another layer, held as `self.layer`.

    Args:
        layer: the `Layer` instance to wrap.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            name = type(self).__name__
            raise ValueError(
                f"{name} wraps a layer instance, e.g. `{name}(Dense(8))`. "
                f"Received: layer={layer!r} (of type {type(layer).__name__})"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True

    def get_config(self):
        from workbench.saving.serialization_lib import serialize_keras_object

        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from workbench.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        return super().from_config(config)
