"""Concatenate: joins a list of tensors along one axis."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge, expand_mask


@keras_export("keras.layers.Concatenate")
class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    All inputs need the same shape except along `axis`. With masks, the output mask is the
    concatenation of the input masks (an unmasked input counts as all True).

    Args:
        axis: the concatenation axis (default -1, the last).

    Input shape:
        A list of tensors of the same rank, matching in every axis but `axis`.

    Output shape:
        The common shape, with `axis` of the summed size.

    Example:

    >>> Concatenate(axis=1)([np.ones((2, 3)), np.zeros((2, 4))]).shape
    (2, 7)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        self._check_is_list(input_shape)
        self._check_shapes(input_shape)

    def _check_shapes(self, input_shapes):
        ranks = {len(shape) for shape in input_shapes}
        rank = ranks.pop() if len(ranks) == 1 else None
        if rank is not None and not -rank <= self.axis < rank:
            raise ValueError(
                f'Layer "{self.name}" (Concatenate) has axis={self.axis}, out of range for inputs of '
                f"rank {rank}. Received: input_shape={[tuple(s) for s in input_shapes]}"
            )
        mismatch = rank is None or any(
            len({shape[axis] for shape in input_shapes} - {None}) > 1
            for axis in range(rank) if axis != self.axis % rank)
        if mismatch:
            raise ValueError(
                f'Layer "{self.name}" (Concatenate) requires inputs with matching shapes except for '
                f"the concatenation axis {self.axis}. Received: input_shape="
                f"{[tuple(s) for s in input_shapes]}"
            )

    def call(self, inputs, mask=None):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        self._check_is_list(input_shape)
        self._check_shapes(input_shape)
        output_shape = list(input_shape[0])
        sizes = [shape[self.axis] for shape in input_shape]
        output_shape[self.axis] = None if None in sizes else sum(sizes)
        return tuple(output_shape)

    def compute_mask(self, inputs, previous_mask=None):
        if previous_mask is None:
            return None
        if not isinstance(previous_mask, (list, tuple)) or len(previous_mask) != len(inputs):
            raise ValueError(
                f'Layer "{self.name}" (Concatenate) expects one mask per input. Received '
                f"{len(inputs)} inputs and mask={previous_mask}"
            )
        if all(m is None for m in previous_mask):
            return None
        masks = []
        for x, mask in zip(inputs, previous_mask):
            if mask is None:
                mask = ops.ones_like(x, dtype="bool")
            elif len(mask.shape) < len(x.shape):
                mask = expand_mask(mask, x)
            masks.append(mask)
        return ops.any(ops.concatenate(masks, axis=self.axis), axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


@keras_export("keras.layers.concatenate")
def concatenate(inputs, axis=-1, **kwargs):
    """The functional form of `Concatenate`: joins the tensors along `axis`.

    Args:
        inputs: a list of tensors matching in every axis but `axis`.
        axis: the concatenation axis.
        **kwargs: layer arguments, such as `name`.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
