"""Dot: the per-sample dot product of two tensors along given axes."""

from workbench import backend, ops
from workbench.api_export import keras_export
from workbench.layers.merging.base_merge import Merge

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def l2_normalize(x, axis):
    """`x / ||x||` along `axis`, with the norm floored at `epsilon()` (Keras's `normalize`)."""
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.multiply(x, ops.minimum(ops.rsqrt(square_sum), 1.0 / backend.epsilon()))


def batch_dot(x1, x2, axes):
    """Contracts `x1` axis `axes[0]` with `x2` axis `axes[1]`, sample by sample.

    The output axes are the batch axis, `x1`'s remaining axes, then `x2`'s; a result with no
    axis besides the batch axis gets a trailing axis of size 1, as in Keras.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    spec1 = list(_LETTERS[:rank1])
    spec2 = [spec1[0]] + list(_LETTERS[rank1:rank1 + rank2 - 1])
    spec2[axes[1]] = spec1[axes[0]]
    output = [spec1[0]] + [c for i, c in enumerate(spec1) if i not in (0, axes[0])] + [
        c for i, c in enumerate(spec2) if i not in (0, axes[1])]
    result = ops.einsum(f"{''.join(spec1)},{''.join(spec2)}->{''.join(output)}", x1, x2)
    return ops.expand_dims(result, -1) if len(output) == 1 else result


@keras_export("keras.layers.Dot")
class Dot(Merge):
    """Computes the dot product of the samples of two tensors, along the given axes.

    For inputs of shapes `(batch, n)` and `(batch, n)` the output is `(batch, 1)`: each
    sample's `dot(a[i], b[i])`. With `normalize=True` it is the cosine similarity.

    Args:
        axes: an int, or a pair of ints: the axis of each input to contract (not 0, the batch
            axis). The two axes must have the same size.
        normalize: whether to L2-normalize both inputs along the contracted axes first.

    Input shape:
        A list of two tensors of rank 2 or more.

    Output shape:
        `(batch_size, *remaining axes of x1, *remaining axes of x2)`, or `(batch_size, 1)`.

    Example:

    >>> Dot(axes=(2, 2))([np.ones((4, 5, 8)), np.ones((4, 3, 8))]).shape
    (4, 5, 3)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            message = f"Dot: `axes` must be an int or a pair of ints. Received: axes={axes!r}"
            if not isinstance(axes, (list, tuple)):
                raise TypeError(message)
            if len(axes) != 2 or not all(isinstance(a, int) for a in axes):
                raise ValueError(message)
        self.axes = axes
        self.normalize = normalize

    def _resolve_axes(self, shape1, shape2):
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        resolved = tuple(axis % len(shape) if axis < 0 else axis
                         for axis, shape in zip(pair, (shape1, shape2)))
        if 0 in resolved or any(axis >= len(shape) for axis, shape in zip(resolved, (shape1, shape2))):
            raise ValueError(
                f'Layer "{self.name}" (Dot) cannot contract axes={self.axes} of inputs with shapes '
                f"{tuple(shape1)} and {tuple(shape2)}: the axes must exist and not be the batch axis 0."
            )
        return resolved

    def _check_shapes(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 or not all(
                isinstance(s, (list, tuple)) for s in input_shape):
            raise ValueError(
                f'Layer "{self.name}" (Dot) must be called on a list of 2 inputs. '
                f"Received: input_shape={input_shape}"
            )
        shape1, shape2 = (tuple(s) for s in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                f'Layer "{self.name}" (Dot) needs inputs of rank 2 or more (a batch axis and at least '
                f"one more). Received shapes {shape1} and {shape2}"
            )
        axis1, axis2 = self._resolve_axes(shape1, shape2)
        size1, size2 = shape1[axis1], shape2[axis2]
        if size1 is not None and size2 is not None and size1 != size2:
            raise ValueError(
                f'Layer "{self.name}" (Dot) got incompatible input shapes: axis {axis1} of the first '
                f"input has size {size1}, axis {axis2} of the second has size {size2}. Full input "
                f"shapes: {shape1}, {shape2}"
            )
        return shape1, shape2, (axis1, axis2)

    def build(self, input_shape):
        self._check_shapes(input_shape)

    def call(self, inputs, mask=None):
        x1, x2 = inputs
        axes = self._resolve_axes(x1.shape, x2.shape)
        if self.normalize:
            x1 = l2_normalize(x1, axes[0])
            x2 = l2_normalize(x2, axes[1])
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        shape1, shape2, (axis1, axis2) = self._check_shapes(input_shape)
        output = [shape1[0]] + [d for i, d in enumerate(shape1) if i not in (0, axis1)] + [
            d for i, d in enumerate(shape2) if i not in (0, axis2)]
        return tuple(output) if len(output) > 1 else (shape1[0], 1)

    def compute_mask(self, inputs, previous_mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


@keras_export("keras.layers.dot")
def dot(inputs, axes=-1, normalize=False, **kwargs):
    """The functional form of `Dot`: the per-sample dot product of two tensors.

    Args:
        inputs: a list of two tensors.
        axes: an int or a pair of ints: the axes to contract.
        normalize: whether to L2-normalize the inputs first (giving the cosine similarity).
        **kwargs: layer arguments, such as `name`.
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
