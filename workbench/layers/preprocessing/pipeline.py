"""Pipeline: a sequence of layers applied in order, as one layer (not a Model)."""

import inspect

from workbench.api_export import keras_export
from workbench.backend.tensor_attributes import get_mask
from workbench.layers.layer import Layer
from workbench.saving import serialization_lib


@keras_export("keras.layers.Pipeline")
class Pipeline(Layer):
    """Applies a list of layers in order, passing `training` and masks along.

    Unlike `Sequential` it is a plain layer: no `compile` or `fit`, just a composite
    preprocessing step, typically a data-augmentation chain.

    Args:
        layers: the layers, applied first to last.

    Call arguments:
        inputs: the input of the first layer.
        training: passed to each layer that takes it (default True, so augmentation runs unless
            `training=False` is given, as in Keras).
        mask: passed to the first layer that takes a mask; later layers get their
            predecessor's output mask.

    Example:

    >>> augment = Pipeline([RandomFlip(seed=1), RandomRotation(0.1, seed=2)])
    >>> augment(np.ones((2, 8, 8, 3))).shape
    (2, 8, 8, 3)
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Pipeline: `layers` must be a list of layers. Received: layers={layers!r}")
        self._pipeline_layers = list(layers)
        self._build_at_init()

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            parameters = inspect.signature(layer.call).parameters
            kwargs = {}
            if "mask" in parameters and mask is not None:
                kwargs["mask"] = mask
            if "training" in parameters and training is not None:
                kwargs["training"] = training
            outputs = layer(outputs, **kwargs)
            mask = get_mask(outputs)
        return outputs

    def compute_output_spec(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            outputs = layer.compute_output_spec(outputs)
        return outputs

    def get_config(self):
        return {"layers": serialization_lib.serialize_keras_object(self._pipeline_layers), "name": self.name}

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "Pipeline: the config needs `layers`, a list of serialized layers. "
                f"Received: layers={layers!r}"
            )
        revived = [serialization_lib.deserialize_keras_object(layer) for layer in layers]
        return cls(**{**config, "layers": revived})
