"""Reshape: reshapes the non-batch axes to `target_shape`."""

import math

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer


def _check_target_shape(target_shape):
    unknown = [d for d in target_shape if d == -1]
    bad = [d for d in target_shape
           if d != -1 and (isinstance(d, bool) or not isinstance(d, int) or d <= 0)]
    if bad or len(unknown) > 1:
        raise ValueError(
            "Reshape: `target_shape` must hold positive integers and at most one -1 (an axis whose "
            f"size is inferred). Received: target_shape={target_shape}"
        )


def resolve_target_shape(input_shape, target_shape, layer_name):
    """The target shape with its -1 filled in, or None where the input size is unknown."""
    if -1 not in target_shape:
        known = [d for d in input_shape if d is not None]
        if len(known) == len(input_shape) and math.prod(known) != math.prod(target_shape):
            raise ValueError(
                f'Layer "{layer_name}" cannot reshape inputs of shape {tuple(input_shape)} (batch '
                f"axis excluded, {math.prod(known)} values) to target_shape={target_shape} "
                f"({math.prod(target_shape)} values). Use -1 for one axis to infer its size."
            )
        return tuple(target_shape)
    if any(d is None for d in input_shape):
        return tuple(None if d == -1 else d for d in target_shape)
    total, fixed = math.prod(input_shape), math.prod(d for d in target_shape if d != -1)
    if total % fixed:
        raise ValueError(
            f'Layer "{layer_name}" cannot reshape inputs of shape {tuple(input_shape)} (batch axis '
            f"excluded, {total} values) to target_shape={target_shape}: {total} is not a multiple "
            f"of {fixed}."
        )
    return tuple(total // fixed if d == -1 else d for d in target_shape)


@keras_export("keras.layers.Reshape")
class Reshape(Layer):
    """Reshapes the input (all axes but the batch axis) to `target_shape`.

    Args:
        target_shape: the output shape without the batch axis; one entry may be -1, to be
            inferred from the input size.

    Input shape:
        N-D tensor `(batch_size, ...)` with the same number of values per sample as `target_shape`.

    Output shape:
        `(batch_size, *target_shape)`.

    Example:

    >>> Reshape((3, -1))(np.ones((2, 12))).shape
    (2, 3, 4)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        _check_target_shape(target_shape)
        self.target_shape = target_shape
        self.built = True

    def call(self, inputs):
        shape = resolve_target_shape(tuple(inputs.shape)[1:], self.target_shape, self.name)
        return ops.reshape(inputs, (inputs.shape[0], *(-1 if d is None else d for d in shape)))

    def compute_output_shape(self, input_shape):
        shape = resolve_target_shape(tuple(input_shape)[1:], self.target_shape, self.name)
        return (input_shape[0], *shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
