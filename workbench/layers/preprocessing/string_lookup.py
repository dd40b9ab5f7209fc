"""StringLookup: maps strings to vocabulary indices (or encodings), and back with `invert=True`."""

from workbench.api_export import keras_export
from workbench.layers.preprocessing.index_lookup import IndexLookup
from workbench.layers.preprocessing.preprocessing_utils import to_host, to_strings


@keras_export("keras.layers.StringLookup")
class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary, given or learned with `adapt()`.

    In `"int"` mode the indices are laid out as: the mask token (if `mask_token` is set) at 0,
    then `num_oov_indices` out-of-vocabulary (OOV) indices, then the vocabulary. In the other
    modes the OOV indices come first and mask tokens are dropped. With several OOV indices, an
    unknown string goes to the OOV index given by its FarmHash fingerprint (SipHash with `salt`),
    the same as in Keras. The lookup runs on the host (numpy), outside `jax.jit`, like Keras's
    TensorFlow-based layer.

    Args:
        max_tokens: the largest vocabulary size, special tokens included; `adapt()` keeps the
            most frequent tokens. None for no limit.
        num_oov_indices: the number of OOV indices; 0 makes unknown inputs an error.
        mask_token: a string that marks padding (index 0 in `"int"` mode); None for no mask.
        oov_token: the string returned for OOV indices when `invert=True`.
        vocabulary: a list/tuple/array of strings, or the path of a file with one per line.
        idf_weights: in `"tf_idf"` mode, one weight per vocabulary entry.
        invert: map indices back to strings (only in `"int"` mode).
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"` (see
            `CategoryEncoding`; `"tf_idf"` multiplies counts by `idf_weights`).
        pad_to_max_tokens: in the encoding modes, make the last axis `max_tokens` long.
        sparse: must be False (sparse outputs need TensorFlow).
        encoding: the text encoding of byte-string inputs.
        salt: an int or a pair of ints: hash OOV strings with SipHash-2-4 under this key.

    Input shape:
        A string, a (nested) list of strings, or a string array.

    Output shape:
        In `"int"` mode, the input shape: indices as int64 (int32 unless `jax_enable_x64` is on),
        or numpy strings with `invert=True`. In the other modes float32 encodings whose last axis
        is the vocabulary size (Keras's symbolic output dtype).

    Example:

    >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer([["a", "c", "d"], ["d", "z", "b"]])
    Array([[1, 3, 4],
           [4, 0, 2]], dtype=int32)
    >>> layer = StringLookup()
    >>> layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
    >>> layer.get_vocabulary()
    ['[UNK]', 'd', 'z', 'c', 'b', 'a']
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name, salt=salt,
                         vocabulary_dtype="string", **kwargs)

    def _to_tokens(self, data):
        return to_strings(to_host(data, "StringLookup"), self.encoding)

    def _parse_token(self, token):
        return token.decode(self.encoding) if isinstance(token, bytes) else str(token)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]  # always "string"
        return {**config, "encoding": self.encoding}
