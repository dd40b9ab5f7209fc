"""Masking: marks the timesteps whose features all equal `mask_value` as padding."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.saving import serialization_lib


@keras_export("keras.layers.Masking")
class Masking(Layer):
    """Masks a sequence, skipping the timesteps whose features all equal `mask_value`.

    A timestep of a `(batch, timesteps, features)` input is masked when every feature equals
    `mask_value`. The output is the input with masked timesteps set to 0, and it carries the
    boolean mask `(batch, timesteps)` that mask-consuming layers (RNNs, attention, pooling) use.

    Args:
        mask_value: the padding value (default 0.0).

    Input shape:
        N-D tensor `(batch_size, ..., features)`, usually `(batch_size, timesteps, features)`.

    Output shape:
        The same as the input.

    Example:

    >>> x = np.ones((2, 3, 4)); x[:, 1, :] = 0.0
    >>> masking = Masking(mask_value=0.0)
    >>> outputs = masking(x)   # timestep 1 is masked in both samples
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config") is not None:
            mask_value = serialization_lib.deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self._build_at_init()

    def compute_mask(self, inputs, previous_mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
