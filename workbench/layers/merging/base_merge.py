"""Merge: the base of the layers that combine a list of tensors element-wise (Add, Maximum, ...)."""

from workbench import ops
from workbench.layers.layer import Layer


class Merge(Layer):
    """Combines a list of tensors with broadcastable shapes into one, element-wise.

    Inputs of lower rank get size-1 axes inserted after the batch axis. The output mask is the
    OR of the input masks when every input has one. Subclasses implement `_merge_function`.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs, masks):
        raise NotImplementedError

    def _check_is_list(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not all(
                isinstance(shape, (list, tuple)) for shape in input_shape):
            raise ValueError(
                f'Merge layer "{self.name}" ({self.__class__.__name__}) must be called on a list of '
                f"tensors, e.g. `{self.__class__.__name__}()([x1, x2])`. "
                f"Received: input_shape={input_shape}"
            )

    def _broadcast_shapes(self, input_shapes):
        """The merged shape without the batch axis; raises naming the layer if shapes clash."""
        batch_sizes = {shape[0] for shape in input_shapes if shape} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f'Merge layer "{self.name}" cannot merge tensors with different batch sizes. '
                f"Received shapes {[tuple(s) for s in input_shapes]}"
            )
        merged = ()
        for shape in input_shapes:
            merged = self._broadcast_pair(merged, tuple(shape[1:]), input_shapes)
        return merged

    def _broadcast_pair(self, shape1, shape2, input_shapes):
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return shape1
        head, tail = shape1[: len(shape1) - len(shape2)], shape1[len(shape1) - len(shape2):]
        merged = []
        for i, j in zip(tail, shape2):
            if i is None or j is None:
                merged.append(None)
            elif i == 1 or j == 1 or i == j:
                merged.append(j if i == 1 else i)
            else:
                raise ValueError(
                    f'Merge layer "{self.name}" ({self.__class__.__name__}) requires inputs with '
                    f"matching (or broadcastable) shapes. Received shapes "
                    f"{[tuple(s) for s in input_shapes]}: sizes {i} and {j} do not match."
                )
        return tuple(head) + tuple(merged)

    def build(self, input_shape):
        self._check_is_list(input_shape)
        self._broadcast_shapes(input_shape)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'Merge layer "{self.name}" must be called on a list of tensors. '
                f"Received: inputs of type {type(inputs).__name__}"
            )
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        ranks = [len(x.shape) for x in inputs]
        if len(set(ranks)) > 1:
            # Align ranks by inserting axes after the batch axis; masks don't survive this.
            inputs = [self._expand_to_rank(x, max(ranks)) for x in inputs]
            masks = [None] * len(inputs)
        return self._merge_function(list(inputs), masks)

    @staticmethod
    def _expand_to_rank(x, rank):
        for _ in range(rank - len(x.shape)):
            x = ops.expand_dims(x, 1)
        return x

    def compute_output_shape(self, input_shape):
        self._check_is_list(input_shape)
        merged = self._broadcast_shapes(input_shape)
        batch_sizes = {shape[0] for shape in input_shape if shape} - {None}
        return (batch_sizes.pop() if len(batch_sizes) == 1 else None, *merged)

    def compute_mask(self, inputs, previous_mask=None):
        if previous_mask is None:
            return None
        if not isinstance(previous_mask, (list, tuple)) or len(previous_mask) != len(inputs):
            raise ValueError(
                f'Merge layer "{self.name}" expects one mask per input. Received {len(inputs)} '
                f"inputs and mask={previous_mask}"
            )
        if any(m is None for m in previous_mask):
            return None
        output_mask = previous_mask[0]
        for m in previous_mask[1:]:
            output_mask = ops.logical_or(output_mask, m)
        return output_mask

    def get_config(self):
        return super().get_config()


def expand_mask(mask, x):
    """A `(batch, ...)` mask broadcast to the full shape of `x`, or None."""
    if mask is None:
        return None
    # Broadcasting by `logical_or` needs no concrete shape, so it also runs on KerasTensors.
    return ops.logical_or(ops.expand_dims(mask, -1), ops.zeros_like(x, dtype="bool"))


def merge_or_keep(op, inputs, masks):
    """Folds `op` over `inputs`, where a masked entry takes the other operand's value.

    For Maximum and Minimum, which have no identity element to put at masked positions.
    """
    output, output_mask = None, None
    for x, mask in zip(inputs, masks):
        mask = expand_mask(mask, x)
        if output is None:
            output, output_mask = x, mask
            continue
        if mask is not None:
            x = ops.where(mask, x, output)
        if output_mask is not None:
            output = ops.where(output_mask, output, x)
        if mask is not None and output_mask is not None:
            output_mask = ops.logical_or(output_mask, mask)
        else:
            output_mask = None
        output = op(output, x)
    return output
