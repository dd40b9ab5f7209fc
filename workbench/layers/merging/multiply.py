"""Multiply: the element-wise product of a list of tensors."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge, expand_mask


@keras_export("keras.layers.Multiply")
class Multiply(Merge):
    """Multiplies a list of inputs element-wise.

    With masks on every input, a masked entry counts as 1 in the product, and positions masked
    in every input give 0.

    Input shape:
        A list of tensors of the same (or broadcastable) shape.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> Multiply()([np.full((2, 3), 2.0), np.full((2, 3), 3.0)])[0]
    Array([6., 6., 6.], dtype=float32)
    """

    def _merge_function(self, inputs, masks):
        all_masked = all(mask is not None for mask in masks)
        output, output_mask = None, None
        for x, mask in zip(inputs, masks):
            mask = expand_mask(mask, x)
            if mask is not None:
                x = ops.where(mask, x, ops.ones_like(x))
                if all_masked:
                    output_mask = mask if output_mask is None else ops.logical_or(output_mask, mask)
            output = x if output is None else ops.multiply(output, x)
        if all_masked:
            output = ops.where(output_mask, output, ops.zeros_like(output))
        return output


@keras_export("keras.layers.multiply")
def multiply(inputs, **kwargs):
    """The functional form of `Multiply`: `multiply([x1, x2])` multiplies element-wise.

    Args:
        inputs: a list of tensors of the same shape.
        **kwargs: layer arguments, such as `name`.
    """
    return Multiply(**kwargs)(inputs)
