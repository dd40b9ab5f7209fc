"""HashedCrossing: crosses categorical features with the hashing trick."""

import numpy as np

from workbench.api_export import keras_export
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
from workbench.layers.preprocessing.string_hashing import (
    CROSS_HASH_KEY,
    fingerprint_cat64,
    hash_values,
)


@keras_export("keras.layers.HashedCrossing")
class HashedCrossing(Layer):
    """Crosses scalar categorical features: `hash(feature_1, feature_2, ...) % num_bins`.

    The hash is the one of `tf.sparse.cross_hashed`, so bins match Keras's: strings are
    fingerprinted with FarmHash `Fingerprint64`, integers enter as their 64-bit value, and the
    features are combined in order with `FingerprintCat64`. It runs on the host with numpy.

    Args:
        num_bins: the number of hash bins.
        output_mode: `"int"` (bin indices) or `"one_hot"`.
        sparse: must be False (sparse outputs need TensorFlow).

    Call arguments:
        inputs: a list or tuple of at least two features, each a string or integer array of
            shape `()`, `(batch_size,)` or `(batch_size, 1)`, all the same shape.

    Output shape:
        The features' shape in `"int"` mode; `(batch_size, num_bins)` in `"one_hot"` mode.

    Example:

    >>> layer = HashedCrossing(num_bins=5)
    >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))
    Array([1, 4, 1, 1, 3], dtype=int32)
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        check_option("HashedCrossing", "output_mode", output_mode, ("int", "one_hot"))
        check_int("HashedCrossing", "num_bins", num_bins, 1)
        if sparse:
            raise ValueError(f"HashedCrossing: `sparse=True` needs TensorFlow. Received: sparse={sparse}")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self._build_at_init()

    def _convert_arguments(self, args):
        return args  # strings and 64-bit integers stay on the host, unconverted

    def call(self, inputs):
        features = self._check_features(inputs)
        hashed = np.full(features[0].shape, CROSS_HASH_KEY, dtype=np.uint64)
        flat = hashed.reshape(-1)
        for feature in features:
            if feature.dtype.kind in "USO":
                values = hash_values(feature.astype(str) if feature.dtype.kind == "O" else feature)
            else:
                values = feature.astype(np.int64).view(np.uint64)
            for i, value in enumerate(values.reshape(-1).tolist()):
                flat[i] = fingerprint_cat64(int(flat[i]), value)
        indices = (hashed % np.uint64(self.num_bins)).astype("int64")
        if self.output_mode == "int":
            return encode_categorical(indices, "int", self.num_bins, index_dtype())
        return encode_categorical(indices, "one_hot", self.num_bins, self.compute_dtype)

    def _check_features(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(
                "HashedCrossing must be called on a list or tuple of at least two features. "
                f"Received: inputs={inputs!r}"
            )
        features = [np.asarray(to_host(x, "HashedCrossing")) for x in inputs]
        shape = features[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                "HashedCrossing features must have shape (), (batch_size,) or (batch_size, 1). "
                f"Received shapes: {[f.shape for f in features]}"
            )
        if any(f.shape != shape for f in features):
            raise ValueError(
                "HashedCrossing features must all have the same shape. "
                f"Received shapes: {[f.shape for f in features]}"
            )
        if any(f.dtype.kind not in "iuUSO" for f in features):
            raise ValueError(
                "HashedCrossing features must be integers or strings. "
                f"Received dtypes: {[str(f.dtype) for f in features]}"
            )
        return features

    def compute_output_shape(self, input_shape):
        return encoded_shape(tuple(input_shape[0]), self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        dtype = index_dtype() if self.output_mode == "int" else self.compute_dtype
        return KerasTensor(self.compute_output_shape([x.shape for x in inputs]), dtype=dtype)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": self.sparse,
                "name": self.name, "dtype": self.dtype}
