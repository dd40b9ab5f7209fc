"""Softmax: the softmax activation over one or more axes, with masking."""

from workbench import activations, ops
from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.layers.layer import Layer


def _large_negative_number(dtype):
    """A logit that softmax turns into 0 but that stays finite, so gradients stay finite too."""
    return -3e4 if dtypes.standardize_dtype(dtype) == "float16" else -1e9


@keras_export("keras.layers.Softmax")
class Softmax(Layer):
    """Softmax activation: `exp(x) / sum(exp(x))` over `axis`.

    With a mask, masked positions are left out of the softmax and get probability 0.

    Args:
        axis: an int, or a list of ints, the axes the softmax normalizes over.

    Call arguments:
        inputs: the logits.
        mask: optional boolean mask broadcastable to `inputs`; True keeps a position.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> Softmax()(np.array([[1.0, 1.0, 1.0]]), mask=np.array([[True, True, False]]))
    Array([[0.5, 0.5, 0. ]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._check_mask(inputs, mask)
            inputs = ops.where(mask, inputs, _large_negative_number(inputs.dtype))
        axis = tuple(self.axis) if isinstance(self.axis, (list, tuple)) else self.axis
        outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs

    def _check_mask(self, inputs, mask):
        mask_shape, input_shape = tuple(mask.shape), tuple(inputs.shape)
        broadcastable = len(mask_shape) <= len(input_shape) and all(
            m is None or i is None or m in (1, i) for m, i in zip(mask_shape[::-1], input_shape[::-1]))
        if not broadcastable:
            raise ValueError(
                f'Softmax "{self.name}": the mask must broadcast to the inputs (each mask axis 1 or '
                f"equal to the input's). Received: inputs.shape={input_shape}, mask.shape={mask_shape}"
            )
        if ops.dtype(mask) != "bool":
            mask = ops.greater(mask, 0.5)
        return mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
