"""IntegerLookup: maps integers to vocabulary indices (or encodings), and back with `invert=True`."""

import numpy as np

from workbench.api_export import keras_export
from workbench.layers.preprocessing.index_lookup import IndexLookup
from workbench.layers.preprocessing.preprocessing_utils import to_host


@keras_export("keras.layers.IntegerLookup")
class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices through a vocabulary, given or learned with `adapt()`.

    The index layout and output modes are those of `StringLookup`. With several OOV indices an
    unknown integer goes to OOV index `value % num_oov_indices` (`oov_method="floormod"`) or to
    the bucket of its FarmHash fingerprint (`"farmhash"`, SipHash with `salt`), as in Keras.
    Tokens are 64-bit integers; the lookup runs on the host (numpy), outside `jax.jit`.

    Args:
        max_tokens: the largest vocabulary size, special tokens included. None for no limit.
        num_oov_indices: the number of OOV indices; 0 makes unknown inputs an error.
        mask_token: an integer that marks padding (index 0 in `"int"` mode); None for no mask.
        oov_token: the integer returned for OOV indices when `invert=True` (default -1).
        vocabulary: a list/tuple/array of integers, or the path of a file with one per line.
        vocabulary_dtype: must be `"int64"`.
        idf_weights: in `"tf_idf"` mode, one weight per vocabulary entry.
        invert: map indices back to vocabulary integers (only in `"int"` mode).
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        sparse: must be False (sparse outputs need TensorFlow).
        pad_to_max_tokens: in the encoding modes, make the last axis `max_tokens` long.
        oov_method: `"floormod"` or `"farmhash"`, how OOV integers pick one of several OOV indices.
        salt: with `oov_method="farmhash"`, an int or pair of ints keying SipHash-2-4.

    Input shape:
        An integer, a (nested) list of integers, or an integer array.

    Output shape:
        As `StringLookup`; with `invert=True`, a numpy int64 array of vocabulary integers (kept
        on the host, so 64-bit tokens survive without `jax_enable_x64`).

    Example:

    >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]]))
    Array([[1, 3, 4],
           [4, 0, 2]], dtype=int32)
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False, oov_method="floormod",
                 salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(
                "IntegerLookup: only vocabulary_dtype='int64' is supported. "
                f"Received: vocabulary_dtype={vocabulary_dtype!r}"
            )
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         oov_method=oov_method, salt=salt, name=name, **kwargs)

    def _to_tokens(self, data):
        tokens = np.asarray(to_host(data, "IntegerLookup"))
        if tokens.dtype.kind not in "iub":
            raise ValueError(
                f"IntegerLookup expects integer inputs. Received an array of dtype {tokens.dtype}; "
                "use StringLookup for strings."
            )
        return tokens.astype(np.int64)

    def _parse_token(self, token):
        return int(token)

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        return config
