"""Maximum: the element-wise maximum of a list of tensors."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge, merge_or_keep


@keras_export("keras.layers.Maximum")
class Maximum(Merge):
    """The element-wise maximum of a list of inputs.

    With masks, a masked entry is ignored: the maximum is taken over the unmasked inputs.

    Input shape:
        A list of tensors of the same (or broadcastable) shape.

    Output shape:
        The broadcast shape of the inputs.

    Example:

    >>> Maximum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])
    Array([[3., 5.]], dtype=float32)
    """

    def _merge_function(self, inputs, masks):
        return merge_or_keep(ops.maximum, inputs, masks)


@keras_export("keras.layers.maximum")
def maximum(inputs, **kwargs):
    """The functional form of `Maximum`: `maximum([x1, x2])` is their element-wise maximum.

    Args:
        inputs: a list of tensors of the same shape.
        **kwargs: layer arguments, such as `name`.
    """
    return Maximum(**kwargs)(inputs)
