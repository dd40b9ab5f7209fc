"""StringLookup, IntegerLookup and TextVectorization, which need TensorFlow in Keras: checked
against the examples and formulas of Keras's documentation, and against hand-computed results."""

import math
import os
import tempfile

import numpy as np
import pytest

import workbench
from workbench.layers.preprocessing.preprocessing_utils import index_dtype

layers = workbench.layers
VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
DOCS = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]


def assert_array(actual, expected, rtol=1e-5, atol=1e-6):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol)


def round_trip_assets(layer):
    """A layer rebuilt from its config, with its assets and own variables copied over."""
    revived = layer.__class__.from_config(layer.get_config())
    store = {}
    layer.save_own_variables(store)
    revived.load_own_variables(store)
    with tempfile.TemporaryDirectory() as directory:
        layer.save_assets(directory)
        revived.load_assets(directory)
    return revived


# -- StringLookup: the documented examples ----------------------------------------------------------
def test_string_lookup_with_known_vocabulary():
    output = layers.StringLookup(vocabulary=VOCAB)(DATA)
    assert output.tolist() == [[1, 3, 4], [4, 0, 2]]
    assert workbench.backend.standardize_dtype(output.dtype) == index_dtype()


def test_string_lookup_adapt_orders_by_frequency_then_reverse_sort():
    layer = layers.StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer(DATA).tolist() == [[5, 3, 1], [1, 2, 4]]
    assert layer.get_vocabulary(include_special_tokens=False) == ["d", "z", "c", "b", "a"]
    assert layer.vocabulary_size() == 6


def test_string_lookup_multiple_oov_indices_hash_like_keras():
    layer = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert layer([["a", "c", "d"], ["m", "z", "b"]]).tolist() == [[2, 4, 5], [0, 1, 3]]


def test_string_lookup_encoding_modes():
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(["a", "b", "c", "d", "z"])
    assert_array(one_hot, np.eye(5)[[1, 2, 3, 4, 0]])
    assert workbench.backend.standardize_dtype(one_hot.dtype) == "float32"
    multi_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(DOCS)
    assert_array(multi_hot, [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = layers.StringLookup(vocabulary=VOCAB, output_mode="count")(DOCS)
    assert_array(count, [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])


def test_string_lookup_tf_idf_with_given_weights():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    # OOV weight defaults to the mean of the given weights: 0.5, times two "z".
    assert_array(layer(DOCS), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]])
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(["[UNK]"] + VOCAB, idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    assert_array(layer(DOCS), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]])


def test_string_lookup_tf_idf_adapt_uses_the_documented_formula():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt(DOCS)
    # Two documents; "d" is in 2 of them (3 times), "z" in 1 (twice), the others in 1 (once).
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    idf = [math.log(1 + 2 / (1 + count)) for count in (2, 1, 1, 1, 1)]
    weights = [np.mean(idf)] + idf
    np.testing.assert_allclose(layer.idf_weights, weights, rtol=1e-6)
    expected = [[0, weights[1] * 2, 0, weights[3], 0, weights[5]], [0, weights[1], weights[2] * 2, 0, weights[4], 0]]
    assert_array(layer(DOCS), expected)


def test_string_lookup_invert_and_forward_inverse_pairs():
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)
    assert inverse([[1, 3, 4], [4, 0, 2]]).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    forward = layers.StringLookup(vocabulary=VOCAB)
    assert inverse(forward(DATA)).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    assert inverse(np.array([9, -1])).tolist() == ["[UNK]", "[UNK]"]


# -- StringLookup: masks, OOV, limits -----------------------------------------------------------------
def test_string_lookup_mask_token_is_index_zero_in_int_mode_and_dropped_otherwise():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    assert layer([["a", "", "z"]]).tolist() == [[2, 0, 1]]
    multi_hot = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    assert multi_hot.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
    assert_array(multi_hot([["a", "", ""]]), [[0, 1, 0, 0, 0]])
    inverse = layers.StringLookup(vocabulary=VOCAB, mask_token="[MASK]", invert=True)
    assert inverse([0, 1, 2]).tolist() == ["[MASK]", "[UNK]", "a"]


def test_string_lookup_adapt_skips_special_tokens_and_truncates_to_max_tokens():
    layer = layers.StringLookup(max_tokens=4, mask_token="")
    layer.adapt([["x", "x", "x", "", "[UNK]", "y", "y", "w", "v"]])
    assert layer.get_vocabulary() == ["", "[UNK]", "x", "y"]
    padded = layers.StringLookup(max_tokens=6, output_mode="multi_hot", pad_to_max_tokens=True)
    padded.adapt(["p", "q"])  # a tie: reverse sort order puts "q" first
    assert padded(["q"]).shape == (6,)
    assert_array(padded([["p", "r"]]), [[1, 0, 1, 0, 0, 0]])


def test_string_lookup_without_oov_indices_rejects_unknown_tokens():
    layer = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    assert layer(["a", "d"]).tolist() == [0, 3]
    with pytest.raises(ValueError, match="out-of-vocabulary values \\['z'\\]"):
        layer(["a", "z"])


def test_string_lookup_adapt_on_arrays_bytes_and_generators():
    for data in (np.array(DATA), np.array(DATA, dtype=bytes), (np.array(row) for row in DATA)):
        layer = layers.StringLookup()
        layer.adapt(data)
        assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    layer = layers.StringLookup()
    layer.adapt((np.array(row) for row in DATA + [["q"]]), steps=1)
    assert layer.get_vocabulary() == ["[UNK]", "d", "c", "a"]


def test_string_lookup_vocabulary_file_and_special_tokens_in_vocabulary():
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "vocab.txt")
        with open(path, "w") as file:
            file.write("[UNK]\na\nb\nc\nd\n")
        layer = layers.StringLookup(vocabulary=path)
        assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
        assert layer(DATA).tolist() == [[1, 3, 4], [4, 0, 2]]
        assert layer.get_config()["vocabulary"] is None  # a file path is not recorded; the asset is


def test_vocabulary_files_named_in_a_config_are_refused_in_safe_mode():
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "vocab.txt")
        with open(path, "w") as file:
            file.write("a\nb\n")
        config = {"module": "keras.layers", "class_name": "StringLookup", "config": {"vocabulary": path}}
        with pytest.raises(ValueError, match="safe mode"):
            workbench.saving.deserialize_keras_object(config)
        layer = workbench.saving.deserialize_keras_object(config, safe_mode=False)
        assert layer.get_vocabulary() == ["[UNK]", "a", "b"]


@pytest.mark.parametrize("kwargs,match", [
    ({"vocabulary": ["a", "a", "b"]}, "repeats tokens"),
    ({"vocabulary": ["a", "", "b"], "mask_token": ""}, "reserved mask_token"),
    ({"vocabulary": ["a", "[UNK]"], "invert": True}, "reserved oov_token"),
    ({"vocabulary": ["a", "b", "c"], "max_tokens": 3}, "more than max_tokens=3"),
    ({"vocabulary": []}, "empty vocabulary"),
    ({"max_tokens": 1}, "max_tokens=1"),
    ({"num_oov_indices": -1}, "num_oov_indices=-1"),
    ({"output_mode": "multi_hot", "invert": True}, "output_mode='multi_hot'"),
    ({"output_mode": "embedding"}, "output_mode='embedding'"),
    ({"pad_to_max_tokens": True}, "max_tokens=None"),
    ({"vocabulary": ["a"], "output_mode": "tf_idf"}, "give `idf_weights`"),
    ({"vocabulary": ["a"], "idf_weights": [1.0]}, "output_mode='int'"),
    ({"salt": "abc", "num_oov_indices": 2}, "salt='abc'"),
    ({"sparse": True, "output_mode": "count"}, "sparse=True"),
    ({"vocabulary": "/no/such/vocabulary.txt"}, "does not exist"),
])
def test_string_lookup_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.StringLookup(**kwargs)


def test_string_lookup_vocabulary_size_is_fixed_in_encoding_modes():
    layer = layers.StringLookup(output_mode="multi_hot")
    with pytest.raises(RuntimeError, match="before calling the layer"):
        layer(["a"])
    layer.set_vocabulary(VOCAB)
    with pytest.raises(RuntimeError, match="fixed once set"):
        layer.set_vocabulary(["a"])
    with pytest.raises(ValueError, match="cannot adapt"):
        layers.StringLookup(vocabulary=VOCAB).adapt(DATA)


# -- StringLookup: config and saved state -------------------------------------------------------------
def test_string_lookup_config_round_trip_with_keras_keys():
    layer = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2, mask_token="", salt=3)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "invert", "max_tokens", "num_oov_indices",
                           "oov_token", "mask_token", "output_mode", "sparse", "pad_to_max_tokens",
                           "idf_weights", "vocabulary", "vocabulary_size", "oov_method", "salt", "encoding"}
    assert config["vocabulary"] == VOCAB and config["salt"] == [3, 3] and config["vocabulary_size"] == 7
    revived = layers.StringLookup.from_config(config)
    assert revived.get_config() == config
    assert revived(DATA).tolist() == layer(DATA).tolist()
    again = workbench.saving.deserialize_keras_object(workbench.saving.serialize_keras_object(layer))
    assert again.get_vocabulary() == layer.get_vocabulary()


@pytest.mark.parametrize("output_mode", ["int", "count", "tf_idf"])
def test_adapted_string_lookup_round_trips_through_assets(output_mode):
    layer = layers.StringLookup(output_mode=output_mode)
    layer.adapt(DOCS)
    assert layer.get_config()["vocabulary"] is None
    with tempfile.TemporaryDirectory() as directory:
        layer.save_assets(directory)
        with open(os.path.join(directory, "vocabulary.txt")) as file:
            assert file.read() == "[UNK]\nd\nz\nc\nb\na"
    revived = round_trip_assets(layer)
    assert revived.get_vocabulary() == layer.get_vocabulary()
    assert_array(revived(DOCS), layer(DOCS))


# -- IntegerLookup ------------------------------------------------------------------------------------
INT_VOCAB = [12, 36, 1138, 42]
INT_DATA = np.array([[12, 1138, 42], [42, 1000, 36]])


def test_integer_lookup_documented_examples():
    assert layers.IntegerLookup(vocabulary=INT_VOCAB)(INT_DATA).tolist() == [[1, 3, 4], [4, 0, 2]]
    layer = layers.IntegerLookup()
    layer.adapt(INT_DATA)
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    assert layer(INT_DATA).tolist() == [[5, 2, 1], [1, 3, 4]]
    two_oov = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=2)
    assert two_oov(np.array([[12, 1138, 42], [37, 1000, 36]])).tolist() == [[2, 4, 5], [1, 0, 3]]
    oov_values = np.array([100, 300, 700, 1100, 1700, 2000])
    floormod = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="floormod")
    farmhash = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash")
    assert floormod(oov_values).tolist() == [0] * 6
    assert farmhash(oov_values).tolist() == [3, 3, 2, 2, 0, 1]


def test_integer_lookup_encodings_and_inverse():
    data = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])
    assert_array(layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="one_hot")(np.array([12, 36, 1138, 42, 7])),
                 np.eye(5)[[1, 2, 3, 4, 0]])
    assert_array(layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="multi_hot")(data),
                 [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    assert_array(layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="count")(data),
                 [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    tf_idf = layers.IntegerLookup(output_mode="tf_idf", vocabulary=[-1] + INT_VOCAB,
                                  idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    assert_array(tf_idf(data), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]])
    forward = layers.IntegerLookup(vocabulary=INT_VOCAB)
    inverse = layers.IntegerLookup(vocabulary=forward.get_vocabulary(), invert=True)
    assert inverse(forward(INT_DATA)).tolist() == [[12, 1138, 42], [42, -1, 36]]


def test_integer_lookup_keeps_64_bit_tokens_and_config_ints():
    big = [2**40, 2**40 + 1]
    layer = layers.IntegerLookup(vocabulary=big, mask_token=0)
    assert layer(np.array([2**40 + 1, 0, 5], dtype=np.int64)).tolist() == [3, 0, 1]
    inverse = layers.IntegerLookup(vocabulary=big, invert=True)
    assert inverse([2, 1, 0]).tolist() == [2**40 + 1, 2**40, -1]
    config = layer.get_config()
    assert config["vocabulary"] == big and config["mask_token"] == 0 and config["vocabulary_dtype"] == "int64"
    assert round_trip_assets(layers.IntegerLookup.from_config(config)).get_vocabulary() == [0, -1] + big
    adapted = layers.IntegerLookup()
    adapted.adapt(INT_DATA)
    assert round_trip_assets(adapted).get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]


@pytest.mark.parametrize("kwargs,match", [
    ({"vocabulary_dtype": "int32"}, "vocabulary_dtype='int32'"),
    ({"salt": 3, "num_oov_indices": 2}, "oov_method='farmhash'"),
    ({"oov_method": "random"}, "oov_method='random'"),
])
def test_integer_lookup_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.IntegerLookup(**kwargs)
    with pytest.raises(ValueError, match="integer inputs"):
        layers.IntegerLookup(vocabulary=INT_VOCAB)(np.array(["a"]))


# -- TextVectorization ---------------------------------------------------------------------------------
def test_text_vectorization_documented_examples():
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    assert layer([["foo qux bar"], ["qux baz"]]).tolist() == [[4, 1, 3, 0], [1, 2, 0, 0]]
    given = layers.TextVectorization(max_tokens=5000, output_sequence_length=4,
                                     vocabulary=["earth", "wind", "and", "fire"])
    assert given.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]


def test_text_vectorization_standardize_options():
    text = ["Hello, World! É-tu?"]
    cases = {"lower_and_strip_punctuation": [["hello", "world", "Étu"]],
             "lower": [["hello,", "world!", "É-tu?"]],
             "strip_punctuation": [["Hello", "World", "Étu"]],
             None: [["Hello,", "World!", "É-tu?"]]}
    for standardize, tokens in cases.items():
        layer = layers.TextVectorization(standardize=standardize)
        layer.adapt(text)
        assert sorted(layer.get_vocabulary(include_special_tokens=False)) == sorted(tokens[0]), standardize
    seen = []

    def shout(strings):
        seen.append(strings)
        return np.char.upper(strings)

    layer = layers.TextVectorization(standardize=shout)
    layer.adapt(["ab cd"])
    assert isinstance(seen[0], np.ndarray) and seen[0].dtype.kind == "U"
    assert layer.get_vocabulary(include_special_tokens=False) == ["CD", "AB"]


def test_text_vectorization_split_options_and_ngrams():
    layer = layers.TextVectorization(split="character", standardize=None)
    layer.adapt(["abca"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "c", "b"]
    assert layer(["cab", "a"]).tolist() == [[3, 2, 4], [2, 0, 0]]
    whole = layers.TextVectorization(split=None)
    whole.adapt(["New York", "new york", "Paris"])
    assert whole.get_vocabulary() == ["", "[UNK]", "new york", "paris"]
    assert whole([["NEW YORK"], ["Rome"]]).tolist() == [[2], [1]]
    custom = layers.TextVectorization(standardize=None, split=lambda texts: [t.split("-") for t in texts])
    custom.adapt(["a-b", "b-c"])
    assert custom(["b-a"]).tolist() == [[2, 4]]
    bigrams = layers.TextVectorization(ngrams=2)
    bigrams.adapt(["a b c"])
    assert sorted(bigrams.get_vocabulary(include_special_tokens=False)) == ["a", "a b", "b", "b c", "c"]
    only = layers.TextVectorization(ngrams=(2,), standardize=None)
    only.adapt(["x y z"])
    assert sorted(only.get_vocabulary(include_special_tokens=False)) == ["x y", "y z"]
    assert only(["y z x y"]).tolist() == [[only.get_vocabulary().index("y z"), 1, only.get_vocabulary().index("x y")]]


def test_text_vectorization_output_sequence_length_pads_and_truncates():
    layer = layers.TextVectorization(vocabulary=["a", "b", "c"], output_sequence_length=3)
    assert layer(["a b c a b", "c", ""]).tolist() == [[2, 3, 4], [4, 0, 0], [0, 0, 0]]
    unpadded = layers.TextVectorization(vocabulary=["a", "b", "c"])
    assert unpadded(["a b", "c a b x"]).tolist() == [[2, 3, 0, 0], [4, 2, 3, 1]]
    assert workbench.backend.standardize_dtype(unpadded(["a"]).dtype) == index_dtype()


def test_text_vectorization_vector_modes():
    texts = ["a a b", "c z"]
    multi_hot = layers.TextVectorization(vocabulary=["a", "b", "c"], output_mode="multi_hot")
    assert multi_hot.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert_array(multi_hot(texts), [[0, 1, 1, 0], [1, 0, 0, 1]])
    count = layers.TextVectorization(vocabulary=["a", "b", "c"], output_mode="count", max_tokens=6,
                                     pad_to_max_tokens=True)
    assert_array(count(texts), [[0, 2, 1, 0, 0, 0], [1, 0, 0, 1, 0, 0]])
    tf_idf = layers.TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(["a b c", "a b", "a"])
    # a: 3 of 3 documents, b: 2, c: 1 -> idf = log(1 + 3 / (1 + df)); OOV takes the mean.
    idf = {token: math.log(1 + 3 / (1 + df)) for token, df in (("a", 3), ("b", 2), ("c", 1))}
    oov = np.mean(list(idf.values()))
    assert tf_idf.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert_array(tf_idf(["a c c", "q"]), [[0, idf["a"], 0, 2 * idf["c"]], [oov, 0, 0, 0]])


def test_text_vectorization_adapt_on_lists_arrays_and_generators():
    texts = ["The cat sat.", "The dog sat!", "A cat"]
    expected = ["", "[UNK]", "the", "sat", "cat", "dog", "a"]
    for data in (texts, np.array(texts), np.array(texts)[:, None], (np.array(texts[i:i + 2]) for i in (0, 2))):
        layer = layers.TextVectorization()
        layer.adapt(data)
        assert layer.get_vocabulary() == expected


def test_text_vectorization_max_tokens_keeps_the_most_frequent():
    layer = layers.TextVectorization(max_tokens=4)
    layer.adapt(["b b b a a c d d d d"])
    assert layer.get_vocabulary() == ["", "[UNK]", "d", "b"]


def test_text_vectorization_config_round_trip_and_assets():
    layer = layers.TextVectorization(max_tokens=10, ngrams=2, output_sequence_length=5)
    layer.adapt(["hello there world", "hello world"])
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "max_tokens", "standardize", "split", "ngrams",
                           "output_mode", "output_sequence_length", "pad_to_max_tokens", "sparse",
                           "ragged", "vocabulary", "idf_weights", "encoding", "vocabulary_size"}
    # 3 words and 3 bigrams, plus the padding and OOV tokens.
    assert config["vocabulary"] is None and config["vocabulary_size"] == 8
    revived = round_trip_assets(layer)
    assert revived.get_vocabulary() == layer.get_vocabulary()
    assert revived(["hello world"]).tolist() == layer(["hello world"]).tolist()
    serialized = workbench.saving.serialize_keras_object(layer)
    assert serialized["config"]["ngrams"] == 2
    given = layers.TextVectorization(vocabulary=["x", "y"], ngrams=(1, 2))
    again = workbench.saving.deserialize_keras_object(workbench.saving.serialize_keras_object(given))
    assert again.get_vocabulary() == given.get_vocabulary() and again.get_config()["ngrams"] == (1, 2)


def test_text_vectorization_in_a_saved_model():
    layer = layers.TextVectorization(output_mode="tf_idf")
    layer.adapt(["a b c", "a b", "a"])
    inputs = workbench.Input(shape=(1,), dtype="string")
    outputs = layer(inputs)
    assert outputs.shape == (None, 4) and outputs.dtype == "float32"
    model = workbench.Model(inputs, outputs)
    path = os.path.join(tempfile.mkdtemp(), "text.keras")
    model.save(path)
    restored = workbench.saving.load_model(path)
    data = np.array([["a c"], ["b z"]])
    assert_array(restored(data), model(data))


@pytest.mark.parametrize("kwargs,match", [
    ({"standardize": "upper"}, "standardize='upper'"),
    ({"split": "comma"}, "split='comma'"),
    ({"output_mode": "multi_hot", "output_sequence_length": 3}, "output_sequence_length=3"),
    ({"output_sequence_length": -2}, "output_sequence_length=-2"),
    ({"ngrams": [1, 2]}, "ngrams=\\[1, 2\\]"),
    ({"ragged": True}, "ragged=True"),
    ({"sparse": True, "output_mode": "count"}, "sparse=True"),
])
def test_text_vectorization_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.TextVectorization(**kwargs)


def test_text_vectorization_rejects_unsplittable_shapes():
    layer = layers.TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match="last dimension of size 1"):
        layer(np.array([["a", "b"]]))


def test_text_vectorization_on_unicode_text():
    """Non-ASCII text is tokenized and looked up intact; like TF's default `strings.lower`,
    standardization lowercases ASCII letters only and strips ASCII punctuation."""
    from workbench import layers

    layer = layers.TextVectorization(output_mode="int", output_sequence_length=4)
    layer.adapt(["Café naïve!", "東京 タワー 東京", "ÉCOLE école"])
    vocabulary = layer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"]
    assert "東京" == vocabulary[2]  # the most frequent token
    for token in ("café", "naïve", "タワー", "École", "école"):
        assert token in vocabulary, (token, vocabulary)
    ids = np.asarray(layer(np.array(["東京 café", "unknown"])))
    assert ids[0, 0] == vocabulary.index("東京") and ids[0, 1] == vocabulary.index("café")
    assert ids[1, 0] == 1 and ids.shape == (2, 4)
