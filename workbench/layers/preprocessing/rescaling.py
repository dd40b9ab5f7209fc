"""Rescaling: `inputs * scale + offset`, e.g. to map pixel values from [0, 255] to [0, 1]."""

import numpy as np

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend import config
from workbench.layers.layer import Layer
from workbench.saving import serialization_lib


@keras_export("keras.layers.Rescaling")
class Rescaling(Layer):
    """Rescales inputs: `inputs * scale + offset`, computed in the layer's compute dtype.

    Args:
        scale: the scale, a number or an array (e.g. one value per channel; with
            `image_data_format() == "channels_first"` a per-channel vector is applied on axis -3).
        offset: the offset, a number or an array.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> Rescaling(scale=1.0 / 127.5, offset=-1.0)(np.array([0.0, 127.5, 255.0]))
    Array([-1.,  0.,  1.], dtype=float32)
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.cast(np.asarray(self.scale), dtype)
        offset = ops.cast(np.asarray(self.offset), dtype)
        if scale.ndim > 0 and config.image_data_format() == "channels_first":
            scale = ops.reshape(scale, scale.shape + (1,) * (3 - scale.ndim))
        return ops.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "scale": serialization_lib.serialize_keras_object(self.scale),
            "offset": serialization_lib.serialize_keras_object(self.offset),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("scale", "offset"):
            config[key] = serialization_lib.deserialize_keras_object(config[key])
        return super().from_config(config)
