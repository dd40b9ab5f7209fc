"""Hashing: maps strings or integers to a fixed number of bins with a stable hash."""

import numpy as np

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.preprocessing_utils import (
    check_int,
    check_option,
    encode_categorical,
    encoded_shape,
    index_dtype,
    to_host,
)
from workbench.layers.preprocessing.string_hashing import hash_values


def standardize_salt(layer_name, salt):
    """`None`, an int (used for both key halves) or two ints, as a list of two ints or None."""
    if salt is None:
        return None
    if isinstance(salt, (tuple, list)) and len(salt) == 2 and all(isinstance(s, int) for s in salt):
        return list(salt)
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    raise ValueError(f"{layer_name}: `salt` must be an int or a pair of ints. Received: salt={salt!r}")


@keras_export("keras.layers.Hashing")
class Hashing(Layer):
    """Hashes strings or integers into `num_bins` bins, with the same bins as Keras.

    Values are hashed as text (integers by their decimal digits, floats first truncated to
    integers) with FarmHash `Fingerprint64`, or with SipHash-2-4 keyed by `salt` when it is given,
    exactly as `tf.strings.to_hash_bucket_fast` / `_strong` do. The hashing runs on the host with
    numpy, outside `jax.jit`, like Keras's TensorFlow-based layer: use it in the input pipeline.

    Args:
        num_bins: the number of bins, including the mask bin when `mask_value` is set.
        mask_value: a value mapped to bin 0; the others then hash into bins `1..num_bins-1`.
        salt: an int or a pair of ints; selects SipHash-2-4 with that key.
        output_mode: `"int"` (bin indices), or `"one_hot"`, `"multi_hot"`, `"count"` encodings
            (see `CategoryEncoding`).
        sparse: must be False (sparse outputs need TensorFlow).

    Input shape:
        A string, a list of strings, or a string/integer array of any shape.

    Output shape:
        The input shape in `"int"` mode (int64 indices, int32 unless `jax_enable_x64` is on);
        otherwise encoded with a last axis of size `num_bins`.

    Example:

    >>> Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]])
    Array([[1],
           [0],
           [1],
           [1],
           [2]], dtype=int32)
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        super().__init__(**kwargs)
        check_int("Hashing", "num_bins", num_bins, 1)
        check_option("Hashing", "output_mode", output_mode, ("int", "one_hot", "multi_hot", "count"))
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                "Hashing: with output_mode='int' the dtype must be 'int32' or 'int64'. "
                f"Received: dtype={kwargs['dtype']!r}"
            )
        if sparse:
            raise ValueError(f"Hashing: `sparse=True` needs TensorFlow. Received: sparse={sparse}")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = standardize_salt("Hashing", salt)
        self.strong_hash = self.salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self._build_at_init()

    def _convert_arguments(self, args):
        return args  # strings and 64-bit integers stay on the host, unconverted

    def _hash_to_bins(self, values):
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        if values.dtype.kind == "f":
            values = values.astype("int64")
        indices = (hash_values(values, self.salt) % np.uint64(bins)).astype("int64")
        if mask is not None:
            indices = np.where(mask, 0, indices + 1)
        return indices

    def call(self, inputs):
        values = np.asarray(to_host(inputs, "Hashing"))
        if values.dtype.kind == "O":
            values = values.astype(str)
        indices = self._hash_to_bins(values)
        if self.output_mode == "int":
            return encode_categorical(indices, "int", self.num_bins, index_dtype())
        return encode_categorical(indices, self.output_mode, self.num_bins, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        dtype = index_dtype() if self.output_mode == "int" else self.compute_dtype
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
