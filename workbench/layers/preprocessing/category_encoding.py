"""CategoryEncoding: one-hot, multi-hot or count encodings of integer features."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.preprocessing_utils import (
    check_int,
    check_option,
    encode_categorical,
    encoded_shape,
)


@keras_export("keras.layers.CategoryEncoding")
class CategoryEncoding(Layer):
    """Encodes integer features in `[0, num_tokens)` as dense one-hot, multi-hot or count vectors.

    For integers whose range is not known in advance, use `IntegerLookup`.

    Args:
        num_tokens: the number of distinct tokens; inputs must be in `[0, num_tokens)` (values
            outside encode to all zeros).
        output_mode: `"one_hot"` encodes each value into a new last axis (replacing a last
            axis of size 1); `"multi_hot"` (the default) marks, per sample (axis 1 of a batch,
            or the whole of a rank-1 input), which tokens occur; `"count"` counts them.
        sparse: must be False (sparse outputs need TensorFlow).

    Call arguments:
        inputs: a 1D or 2D integer tensor (a list works too).
        count_weights: in `"count"` mode, a tensor shaped like `inputs` weighting each value.

    Output shape:
        `(..., num_tokens)`: see `output_mode`.

    Example:

    >>> layer = CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    >>> layer([[0, 1], [0, 0], [1, 2], [3, 1]])
    Array([[1., 1., 0., 0.],
           [1., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 0., 1.]], dtype=float32)
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":  # Keras 2 name
            output_mode = "multi_hot"
        check_option("CategoryEncoding", "output_mode", output_mode, ("one_hot", "multi_hot", "count"))
        if num_tokens is None:
            raise ValueError(
                "CategoryEncoding: `num_tokens` must be set. If the number of tokens is not known "
                "in advance, use `IntegerLookup`. Received: num_tokens=None"
            )
        check_int("CategoryEncoding", "num_tokens", num_tokens, 1)
        if sparse:
            raise ValueError(f"CategoryEncoding: `sparse=True` needs TensorFlow. Received: sparse={sparse}")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False
        self._build_at_init()

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "CategoryEncoding: `count_weights` is only used in 'count' mode. Received: "
                    f"output_mode={self.output_mode!r} with count_weights given."
                )
            count_weights = ops.cast(count_weights, self.compute_dtype)
        inputs = ops.convert_to_tensor(inputs)
        return encode_categorical(inputs, self.output_mode, self.num_tokens, self.compute_dtype,
                                  count_weights=count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}
