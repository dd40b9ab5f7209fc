"""Average: the element-wise mean of a list of tensors."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge


@keras_export("keras.layers.Average")
class Average(Merge):
    """Averages a list of inputs element-wise.

    Input shape:
        A list of tensors of the same (or broadcastable) shape.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> Average()([np.ones((2, 3)), np.full((2, 3), 3.0)])[0]
    Array([2., 2., 2.], dtype=float32)
    """

    def _merge_function(self, inputs, masks):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return ops.divide(output, len(inputs))


@keras_export("keras.layers.average")
def average(inputs, **kwargs):
    """The functional form of `Average`: `average([x1, x2])` is their element-wise mean.

    Args:
        inputs: a list of tensors of the same shape.
        **kwargs: layer arguments, such as `name`.
    """
    return Average(**kwargs)(inputs)
