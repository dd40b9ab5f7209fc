"""Add: the element-wise sum of a list of tensors."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge


@keras_export("keras.layers.Add")
class Add(Merge):
    """Adds a list of inputs element-wise.

    Input shape:
        A list of tensors of the same (or broadcastable) shape.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> Add()([np.ones((2, 3)), np.ones((2, 3))])[0]
    Array([2., 2., 2.], dtype=float32)
    """

    def _merge_function(self, inputs, masks):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


@keras_export("keras.layers.add")
def add(inputs, **kwargs):
    """The functional form of `Add`: `add([x1, x2])` adds the tensors element-wise.

    Args:
        inputs: a list of tensors of the same shape.
        **kwargs: layer arguments, such as `name`.
    """
    return Add(**kwargs)(inputs)
