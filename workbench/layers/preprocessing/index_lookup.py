"""IndexLookup: the vocabulary table behind StringLookup, IntegerLookup and TextVectorization.

The vocabulary is plain Python state (a token list and a dict) held on the host. It reaches a
saved model through the config (a vocabulary passed explicitly) or through the asset file
`vocabulary.txt` (an adapted one), and `tf_idf` weights through `save_own_variables`, as in Keras.

Index layout, as Keras: in `"int"` mode `[mask token (if set), OOV indices..., tokens...]`; in the
other modes `[OOV indices..., tokens...]`, with mask tokens dropped from the encoding.
"""

import collections
import os

import jax.numpy as jnp
import numpy as np

from workbench.backend import config
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.hashing import standardize_salt
from workbench.layers.preprocessing.preprocessing_utils import (
    check_int,
    check_option,
    encode_categorical,
    encoded_shape,
    index_dtype,
    is_batch_iterable,
    listify,
    to_host,
)
from workbench.layers.preprocessing.string_hashing import hash_values
from workbench.saving import serialization_lib

DROPPED_INDEX = np.iinfo(np.int32).max  # an index past any depth: encodes to zeros


def _loading_in_safe_mode():
    """True only while a file is deserialized in safe mode (not when a user builds a layer)."""
    return getattr(serialization_lib._safe_mode, "value", None) is True and serialization_lib.in_safe_mode()


class _TokenTable:
    """Tokens and their indices, kept in one object so the layer's attribute tracking (which walks
    every list and dict attribute) does not scan the whole vocabulary on each call."""

    def __init__(self, tokens=(), start=0):
        self.tokens = list(tokens)
        self.index = {token: start + i for i, token in enumerate(self.tokens)}


class _TokenCounts:
    """What `adapt()` accumulates: token counts, document counts and the number of documents."""

    def __init__(self):
        self.tokens = collections.Counter()
        self.documents = collections.Counter()
        self.num_documents = 0


class IndexLookup(Layer):
    """Maps tokens to indices (or back, with `invert=True`); see `StringLookup` for the arguments."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        layer_name = self.__class__.__name__
        check_int(layer_name, "max_tokens", max_tokens, 2, allow_none=True)
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{layer_name}: `pad_to_max_tokens=True` needs `max_tokens`. Received: max_tokens=None")
        check_int(layer_name, "num_oov_indices", num_oov_indices, 0)
        check_option(layer_name, "oov_method", oov_method, ("floormod", "farmhash"))
        if salt is not None and vocabulary_dtype != "string" and oov_method != "farmhash":
            raise ValueError(f"{layer_name}: `salt` needs oov_method='farmhash'. Received: oov_method={oov_method!r}")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_option(layer_name, "output_mode", output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"))
        if invert and output_mode != "int":
            raise ValueError(f"{layer_name}: `invert=True` needs output_mode='int'. Received: output_mode={output_mode!r}")
        if sparse:
            raise ValueError(f"{layer_name}: `sparse=True` needs TensorFlow. Received: sparse={sparse}")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                f"{layer_name}: `idf_weights` is only used with output_mode='tf_idf'. Received: "
                f"output_mode={output_mode!r} and idf_weights given."
            )
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(f"{layer_name}: with a `vocabulary` in output_mode='tf_idf', give `idf_weights` too.")
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = standardize_salt(layer_name, salt)
        # Arrays, not lists: the layer's attribute tracking walks lists on every call.
        given = vocabulary is not None and not isinstance(vocabulary, (str, os.PathLike))
        self.input_vocabulary = np.asarray(listify(vocabulary)) if given else None
        self.input_idf_weights = None if idf_weights is None else np.asarray(listify(idf_weights))
        self.idf_weights = None if idf_weights is None else np.asarray(idf_weights, config.floatx())
        self._table = _TokenTable()
        self.reset_state()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self._build_at_init()

    # -- hooks for the subclasses ---------------------------------------------------------------
    def _to_tokens(self, data):
        """`data` as a numpy array of vocabulary tokens."""
        raise NotImplementedError

    def _parse_token(self, line):
        raise NotImplementedError

    def _convert_arguments(self, args):
        return args  # tokens stay on the host, unconverted (no int64 -> int32 truncation)

    # -- indices ---------------------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, mask and OOV indices included."""
        return self._token_start_index() + len(self._table.tokens)

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary, in index order.

        Args:
            include_special_tokens: if True, the mask and OOV tokens are included, so a token's
                position is its index; if False, only the learned or given tokens.
        """
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        return (special if include_special_tokens else []) + list(self._table.tokens)

    # -- setting the vocabulary -----------------------------------------------------------------
    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and, in `"tf_idf"` mode, the IDF weights), replacing any.

        Args:
            vocabulary: a list, tuple or 1D array of tokens, or the path of a text file with one
                token per line. It may start with the mask and OOV tokens, in index order.
            idf_weights: in `"tf_idf"` mode, one weight per vocabulary entry.
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{self.name}: output_mode='tf_idf' needs `idf_weights` with the vocabulary.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                f"{self.name}: `idf_weights` is only used with output_mode='tf_idf'. Received: "
                f"output_mode={self.output_mode!r} and idf_weights given."
            )
        if isinstance(vocabulary, (str, os.PathLike)):
            vocabulary = self._read_vocabulary_file(os.fspath(vocabulary))
        vocabulary = [self._parse_token(t) for t in listify(vocabulary)]
        if not vocabulary:
            raise ValueError(f"{self.name}: cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        special = self.get_vocabulary()[:self._token_start_index()]
        has_special = vocabulary[:len(special)] == special
        tokens = vocabulary[len(special):] if has_special else vocabulary
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(f"{self.name}: the vocabulary repeats tokens; make it unique. Repeated: {repeated}")
        reserved = [("mask_token", self.mask_token)] + ([("oov_token", self.oov_token)] if self.invert else [])
        for argument, token in reserved:
            if token is not None and token in tokens:
                raise ValueError(
                    f"{self.name}: the vocabulary contains the reserved {argument}={token!r} after its "
                    f"start. Leave the special tokens out, or put them first in this order: {special}."
                )
        if self.max_tokens is not None and len(special) + len(tokens) > self.max_tokens:
            raise ValueError(
                f"{self.name}: the vocabulary has {len(special) + len(tokens)} entries (special tokens "
                f"included), more than max_tokens={self.max_tokens}."
            )
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_idf_weights(idf_weights, len(vocabulary), has_special)

    def _read_vocabulary_file(self, path):
        if _loading_in_safe_mode():
            raise ValueError(
                f"{self.name}: refusing to read the vocabulary file '{path}' outside the model archive "
                "while loading in safe mode. If you trust the file, load with `safe_mode=False` or call "
                "`workbench.config.enable_unsafe_deserialization()`."
            )
        if not os.path.exists(path):
            raise ValueError(f"{self.name}: the vocabulary file '{path}' does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError(f"{self.name}: output_mode='tf_idf' cannot read its vocabulary from a file.")
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return lines

    def _set_tokens(self, tokens):
        self._table = _TokenTable(tokens, self._token_start_index())
        self._record_vocabulary_size()

    def _set_idf_weights(self, idf_weights, vocabulary_length, has_special):
        weights = np.asarray(listify(idf_weights), dtype="float64")
        if weights.ndim != 1 or len(weights) != vocabulary_length:
            raise ValueError(
                f"{self.name}: `idf_weights` must be 1D with one weight per vocabulary entry "
                f"({vocabulary_length}). Received shape {weights.shape}."
            )
        front = 0 if has_special else self._token_start_index()
        weights = np.concatenate([np.full(front, weights.mean()), weights])
        self._store_idf_weights(weights)

    def _store_idf_weights(self, weights):
        """Keeps `weights`, padded with zeros to `max_tokens` when `pad_to_max_tokens` is set."""
        if self.pad_to_max_tokens:
            weights = np.pad(weights, (0, max(self.max_tokens - len(weights), 0)))
        self.idf_weights = weights.astype(config.floatx())

    def _record_vocabulary_size(self):
        size = self.vocabulary_size()
        fixed = self.output_mode != "int" and not self.pad_to_max_tokens
        if fixed and self._frozen_vocab_size is not None and size != self._frozen_vocab_size:
            raise RuntimeError(
                f"{self.name}: with output_mode={self.output_mode!r} and pad_to_max_tokens=False the "
                f"vocabulary size is fixed once set; it was {self._frozen_vocab_size}, the new one is "
                f"{size}. Set pad_to_max_tokens=True (with max_tokens) to allow changes."
            )
        self._frozen_vocab_size = size

    # -- adapt -------------------------------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Builds the vocabulary from the tokens of `data`, most frequent first.

        Ties are broken by the tokens' reverse sort order, and with `max_tokens` only the most
        frequent tokens are kept. In `"tf_idf"` mode each sample is a document, and a token's IDF
        weight is `log(1 + num_documents / (1 + document_count))`.

        Args:
            data: an array or (nested) list of tokens, whose first axis lists the samples, or an
                iterable of such batches (e.g. a generator).
            steps: the number of batches to read from an iterable (all of them by default).
        """
        self.reset_state()
        if is_batch_iterable(data):
            for step, batch in enumerate(data):
                if steps is not None and step >= steps:
                    break
                self.update_state(batch)
        else:
            tokens = self._to_tokens(data)
            self.update_state(tokens[:, None] if tokens.ndim == 1 else tokens)
        self.finalize_state()

    def update_state(self, data):
        """Counts the tokens of one batch (rank 0 or 1: one sample; rank 2: one per row)."""
        tokens = self._to_tokens(data)
        rows = [tokens.reshape(-1)] if tokens.ndim <= 1 else list(tokens.reshape(len(tokens), -1))
        self._count_rows(rows)

    def _count_rows(self, rows):
        if self._has_input_vocabulary:
            raise ValueError(
                f"{self.name}: cannot adapt a layer whose vocabulary was given with `vocabulary` or "
                "`set_vocabulary()`."
            )
        for row in rows:
            row = row.tolist() if hasattr(row, "tolist") else list(row)
            self._counts.tokens.update(row)
            if self.output_mode == "tf_idf":
                self._counts.documents.update(set(row))
        self._counts.num_documents += len(rows)

    def finalize_state(self):
        counts = self._counts
        if self._has_input_vocabulary or not counts.tokens:
            self._record_vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            counts.tokens.pop(special, None)
        ranked = sorted(counts.tokens.items(), key=lambda item: (item[1], item[0]), reverse=True)
        if self.max_tokens:
            ranked = ranked[:self.max_tokens - self._token_start_index()]
        tokens = [token for token, _ in ranked]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            document_counts = np.array([counts.documents[t] for t in tokens], dtype="float64")
            idf = np.log(1 + counts.num_documents / (1 + document_counts))
            average = idf.mean() if len(idf) else 0.0
            self._store_idf_weights(np.concatenate([np.full(self._token_start_index(), average), idf]))
        self.reset_state()

    def reset_state(self):
        self._counts = _TokenCounts()

    # -- calling ---------------------------------------------------------------------------------
    def call(self, inputs):
        self._check_ready()
        if self.invert:
            return self._invert(inputs)
        return self._encode(self._lookup(self._to_tokens(inputs)))

    def _check_ready(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens and self._frozen_vocab_size is None:
            raise RuntimeError(
                f"{self.name}: with output_mode={self.output_mode!r} and pad_to_max_tokens=False, set "
                "the vocabulary (the `vocabulary` argument or `adapt()`) before calling the layer."
            )

    def _lookup(self, tokens):
        """The indices of a numpy array of tokens (mask and OOV handled)."""
        unique, inverse = np.unique(tokens.reshape(-1), return_inverse=True)
        table = np.array([self._table.index.get(t, -1) for t in unique.tolist()], dtype=np.int64)
        indices = table[inverse].reshape(tokens.shape)
        is_mask = tokens == self.mask_token if self.mask_token is not None else np.zeros(tokens.shape, bool)
        is_oov = (indices < 0) & ~is_mask
        if is_oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(
                    f"{self.name}: with num_oov_indices=0 every input must be in the vocabulary; found "
                    f"out-of-vocabulary values {np.unique(tokens[is_oov]).tolist()[:10]}. Set "
                    "num_oov_indices=1 to map them to an OOV index."
                )
            indices = np.where(is_oov, self._oov_indices(tokens) + self._oov_start_index(), indices)
        mask_index = 0 if self.output_mode == "int" else DROPPED_INDEX
        return np.where(is_mask, mask_index, indices)

    def _oov_indices(self, tokens):
        if self.num_oov_indices == 1:
            return np.zeros(tokens.shape, np.int64)
        if tokens.dtype.kind in "iu" and self.oov_method == "floormod":
            return np.mod(tokens, self.num_oov_indices)
        return (hash_values(tokens, self.salt) % np.uint64(self.num_oov_indices)).astype(np.int64)

    def _encode(self, indices):
        if self.output_mode == "int":
            return jnp.asarray(indices, dtype=index_dtype())
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        outputs = encode_categorical(indices, mode, depth, config.floatx())
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError(f"{self.name}: output_mode='tf_idf' needs IDF weights: adapt the layer or set them.")
            outputs = outputs * jnp.asarray(self.idf_weights)
        return outputs

    def _invert(self, inputs):
        """Vocabulary items for indices, as a numpy array (strings or int64 stay on the host)."""
        indices = np.asarray(to_host(inputs, self.__class__.__name__), dtype=np.int64)
        vocabulary = np.asarray(self.get_vocabulary())
        valid = (indices >= 0) & (indices < len(vocabulary))
        return np.where(valid, vocabulary[np.clip(indices, 0, len(vocabulary) - 1)], self.oov_token)

    def compute_output_shape(self, input_shape):
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        return encoded_shape(input_shape, mode, depth)

    def compute_output_spec(self, inputs):
        if self.invert:
            dtype = self.vocabulary_dtype
        else:
            dtype = index_dtype() if self.output_mode == "int" else config.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # -- state -----------------------------------------------------------------------------------
    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = np.asarray(store["idf_weights"], config.floatx())

    def save_assets(self, dir_path):
        """Writes an adapted vocabulary to `dir_path/vocabulary.txt` (a given one is in the config)."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as file:
            file.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as file:
            lines = file.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if not lines:
            return
        idf_weights = None
        if self.output_mode == "tf_idf":
            idf_weights = self.idf_weights[:len(lines)]
        self.set_vocabulary(lines, idf_weights=idf_weights)

    def get_config(self):
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }
