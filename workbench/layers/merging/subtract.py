"""Subtract: the element-wise difference of two tensors."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge


@keras_export("keras.layers.Subtract")
class Subtract(Merge):
    """Subtracts the second input from the first, element-wise: `inputs[0] - inputs[1]`.

    Input shape:
        A list of exactly two tensors of the same (or broadcastable) shape.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> Subtract()([np.full((2, 3), 5.0), np.ones((2, 3))])[0]
    Array([4., 4., 4.], dtype=float32)
    """

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f'Layer "{self.name}" (Subtract) must be called on exactly 2 inputs. '
                f"Received {len(input_shape)} inputs with shapes {[tuple(s) for s in input_shape]}"
            )

    def _merge_function(self, inputs, masks):
        if len(inputs) != 2:
            raise ValueError(
                f'Layer "{self.name}" (Subtract) must be called on exactly 2 inputs. '
                f"Received {len(inputs)}."
            )
        return ops.subtract(inputs[0], inputs[1])


@keras_export("keras.layers.subtract")
def subtract(inputs, **kwargs):
    """The functional form of `Subtract`: `subtract([x1, x2])` is `x1 - x2`.

    Args:
        inputs: a list of two tensors of the same shape.
        **kwargs: layer arguments, such as `name`.
    """
    return Subtract(**kwargs)(inputs)
