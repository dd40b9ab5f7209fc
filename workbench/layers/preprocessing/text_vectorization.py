"""TextVectorization: standardizes, splits and indexes text, on the host with Python and numpy."""

import re
import string

import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.index_lookup import DROPPED_INDEX
from workbench.layers.preprocessing.preprocessing_utils import (
    check_int,
    check_option,
    index_dtype,
    is_batch_iterable,
    to_host,
    to_strings,
)
from workbench.layers.preprocessing.string_lookup import StringLookup
from workbench.saving import serialization_lib

# TensorFlow's string ops are ASCII-only here: `tf.strings.lower` lowercases A-Z, the punctuation
# is ASCII punctuation, and `tf.strings.split` splits on ASCII whitespace.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_WHITESPACE = " \t\n\r\f\v"
_WHITESPACE_RUN = re.compile(f"[{_WHITESPACE}]+")


def _map_strings(function, strings):
    return np.asarray([function(s) for s in strings.reshape(-1).tolist()], dtype=str).reshape(strings.shape)


def _split_whitespace(text):
    text = text.strip(_WHITESPACE)
    return _WHITESPACE_RUN.split(text) if text else []


def _ngrams(tokens, widths):
    """All n-grams of each width, width by width, joined by spaces (as `tf.strings.ngrams`)."""
    return [" ".join(tokens[i:i + width]) for width in widths for i in range(len(tokens) - width + 1)]


@keras_export("keras.layers.TextVectorization")
class TextVectorization(Layer):
    """Turns strings into sequences of token indices, or into multi-hot/count/TF-IDF vectors.

    Each string is standardized (e.g. lowercased, punctuation stripped), split into tokens,
    optionally combined into n-grams, then looked up in a vocabulary that is given or learned by
    `adapt()` (most frequent first, ties broken by reverse sort order, as Keras). In `"int"`
    mode index 0 is padding and index 1 is the OOV token `"[UNK]"`. The work runs on the host in
    Python/numpy, outside `jax.jit`, like Keras's TensorFlow-based layer: apply it to your data
    (or call the model eagerly) rather than inside a compiled step.

    Args:
        max_tokens: the largest vocabulary size, padding and OOV tokens included.
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`, `"strip_punctuation"`,
            None, or a callable taking and returning a numpy array of strings. Lowercasing and
            punctuation are ASCII-only, as in TensorFlow.
        split: `"whitespace"` (default), `"character"`, None, or a callable mapping a 1D array
            of strings to a list of token lists.
        ngrams: None, an int `n` (all n-grams up to `n`) or a tuple of n-gram widths.
        output_mode: `"int"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        output_sequence_length: in `"int"` mode, pad (with 0) or truncate each sequence to this
            length; by default sequences are padded to the longest in the batch.
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        vocabulary: a list of strings, or the path of a file with one per line.
        idf_weights: in `"tf_idf"` mode, one weight per vocabulary entry.
        sparse: must be False; ragged: must be False (both need TensorFlow).
        encoding: the text encoding of byte-string inputs.

    Input shape:
        A batch of strings, `(batch_size,)` or `(batch_size, 1)` (or a list of strings).

    Output shape:
        `(batch_size, sequence_length)` int64 indices (int32 unless `jax_enable_x64` is on) in
        `"int"` mode; `(batch_size, vocabulary_size)` float32 otherwise.

    Example:

    >>> layer = TextVectorization(max_tokens=5000, output_sequence_length=4)
    >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> layer([["foo qux bar"], ["qux baz"]])
    Array([[4, 1, 3, 0],
           [1, 2, 0, 0]], dtype=int32)
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace",
                 ngrams=None, output_mode="int", output_sequence_length=None, pad_to_max_tokens=False,
                 vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding="utf-8",
                 name=None, **kwargs):
        if not (standardize is None or callable(standardize)):
            check_option("TextVectorization", "standardize", standardize,
                         ("lower_and_strip_punctuation", "lower", "strip_punctuation"))
        if not (split is None or callable(split)):
            check_option("TextVectorization", "split", split, ("whitespace", "character"))
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_option("TextVectorization", "output_mode", output_mode,
                     ("int", "one_hot", "multi_hot", "count", "tf_idf"))
        widths = (ngrams,) if isinstance(ngrams, int) else ngrams
        if ngrams is not None and not (isinstance(widths, tuple) and all(
                isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in widths)):
            raise ValueError(
                "TextVectorization: `ngrams` must be None, a positive int or a tuple of them. "
                f"Received: ngrams={ngrams!r}"
            )
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError(
                "TextVectorization: `output_sequence_length` is only used with output_mode='int'. "
                f"Received: output_sequence_length={output_sequence_length!r}, output_mode={output_mode!r}"
            )
        check_int("TextVectorization", "output_sequence_length", output_sequence_length, 0, allow_none=True)
        for flag, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(f"TextVectorization: `{flag}=True` needs TensorFlow. Received: {flag}={value}")
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._ragged = ragged
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_input_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self._build_at_init()

    def _convert_arguments(self, args):
        return args  # text stays on the host

    # -- text processing -------------------------------------------------------------------------
    def _standardized(self, inputs):
        strings = to_strings(to_host(inputs, "TextVectorization"), self._encoding)
        if callable(self._standardize):
            return to_strings(self._standardize(strings), self._encoding)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            strings = _map_strings(lambda s: s.translate(_ASCII_LOWER), strings)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            strings = _map_strings(lambda s: _PUNCTUATION.sub("", s), strings)
        return strings

    def _tokenize(self, inputs):
        """Standardized tokens: a dense array (no split, no n-grams), or a list of token lists."""
        strings = self._standardized(inputs)
        if self._split is None:
            if self._ngrams is None:
                return strings
            rows = strings.reshape(-1, strings.shape[-1] if strings.ndim else 1).tolist()
        else:
            if strings.ndim > 1:
                if strings.shape[-1] != 1:
                    raise ValueError(
                        "TextVectorization splits strings, so inputs must have rank 1, or a last "
                        f"dimension of size 1. Received: inputs.shape={strings.shape}"
                    )
                strings = strings[..., 0]
            texts = strings.reshape(-1)
            if self._split == "whitespace":
                rows = [_split_whitespace(text) for text in texts.tolist()]
            elif self._split == "character":
                rows = [list(text) for text in texts.tolist()]
            else:
                rows = [[str(t) for t in row] for row in self._split(texts)]
        if self._ngrams is not None:
            rows = [_ngrams(row, self._ngrams) for row in rows]
        return rows

    # -- vocabulary ------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary from the text in `data`.

        Args:
            data: an array or list of strings (one example each), or an iterable of such
                batches, e.g. a generator.
            batch_size: unused; accepted for Keras compatibility.
            steps: the number of batches to read from an iterable (all of them by default).
        """
        self.reset_state()
        if is_batch_iterable(data):
            for step, batch in enumerate(data):
                if steps is not None and step >= steps:
                    break
                self.update_state(batch)
        else:
            strings = to_strings(to_host(data, "TextVectorization"), self._encoding)
            self.update_state(strings[:, None] if strings.ndim == 1 else strings)
        self.finalize_state()

    def update_state(self, data):
        tokens = self._tokenize(data)
        if isinstance(tokens, np.ndarray):
            self._lookup_layer.update_state(tokens)
        else:
            self._lookup_layer._count_rows(tokens)

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order (with the padding `""` and OOV `"[UNK]"` tokens first)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The vocabulary size, padding and OOV tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and IDF weights in `"tf_idf"` mode); see `StringLookup`."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- calling ---------------------------------------------------------------------------------
    def call(self, inputs):
        lookup = self._lookup_layer
        lookup._check_ready()
        tokens = self._tokenize(inputs)
        if isinstance(tokens, np.ndarray):
            indices = lookup._lookup(tokens)
        else:
            indices = self._padded_indices(tokens)
        if self._output_mode != "int":
            return lookup._encode(indices)
        length = self._output_sequence_length
        if length is not None:
            indices = indices[..., :length]
            padding = [(0, 0)] * (indices.ndim - 1) + [(0, length - indices.shape[-1])]
            indices = np.pad(indices, padding)
        return jnp.asarray(indices, dtype=index_dtype())

    def _padded_indices(self, rows):
        """Looks up token lists and pads them into one array (0 in "int" mode, else dropped)."""
        lookup = self._lookup_layer
        flat = lookup._lookup(np.asarray([t for row in rows for t in row], dtype=str))
        width = max([len(row) for row in rows] + [1 if self._output_mode != "int" else 0])
        pad = 0 if self._output_mode == "int" else DROPPED_INDEX
        padded = np.full((len(rows), width), pad, dtype=np.int64)
        start = 0
        for i, row in enumerate(rows):
            padded[i, :len(row)] = flat[start:start + len(row)]
            start += len(row)
        return padded

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup._frozen_vocab_size
        return (input_shape[0], depth)

    def compute_output_spec(self, inputs):
        dtype = index_dtype() if self._output_mode == "int" else "float32"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # -- state -----------------------------------------------------------------------------------
    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    def get_config(self):
        lookup = self._lookup_layer
        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": lookup.get_config()["vocabulary"],
            "idf_weights": lookup.get_config()["idf_weights"],
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = serialization_lib.deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)
