"""Permute: reorders the non-batch axes."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.Permute")
class Permute(Layer):
    """Permutes the axes of the input (the batch axis stays first).

    Args:
        dims: the permutation of the non-batch axes, numbered from 1: `(2, 1)` swaps the first
            two axes after the batch axis.

    Input shape:
        Tensor of rank `len(dims) + 1`.

    Output shape:
        The input shape with its non-batch axes reordered by `dims`.

    Example:

    >>> Permute((2, 1))(np.ones((4, 10, 64))).shape
    (4, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Permute: `dims` must be a permutation of 1, 2, ..., n (axis 0 is the batch axis, "
                f"which stays first). Received: dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, axes=(0, *self.dims))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
