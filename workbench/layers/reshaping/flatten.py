"""Flatten: collapses every axis but the batch axis into one."""

import math

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.Flatten")
class Flatten(Layer):
    """Flattens the input to `(batch_size, -1)`. Does not affect the batch size.

    A 1D input `(batch_size,)` becomes `(batch_size, 1)`.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; with `"channels_first"`, the
            channels axis is moved last before flattening, so the flat order matches a
            channels-last model. Defaults to `workbench.config.image_data_format()`.

    Input shape:
        N-D tensor `(batch_size, ...)`.

    Output shape:
        2D tensor `(batch_size, product of the other axes)`.

    Example:

    >>> Flatten()(np.ones((2, 3, 4))).shape
    (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = len(inputs.shape)
        if self.data_format == "channels_first" and rank > 2:
            inputs = ops.transpose(inputs, axes=(0, *range(2, rank), 1))
        return ops.reshape(inputs, (inputs.shape[0], -1) if rank > 1 else (inputs.shape[0], 1))

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape[1:])
        if any(d is None for d in rest):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(rest))

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
