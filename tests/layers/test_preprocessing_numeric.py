"""Numeric preprocessing layers: Normalization, Discretization, CategoryEncoding, Rescaling,
Hashing and HashedCrossing (and the hashes behind them)."""

import os
import tempfile

import jax
import numpy as np
import pytest

import workbench
from tests.layer_test import keras_oracle, run_layer_test
from workbench.layers.preprocessing import string_hashing

layers = workbench.layers
RNG = np.random.default_rng(0)


def assert_array(actual, expected, rtol=1e-5, atol=1e-6):
    """Compares one array with an expected array or nested list (checked for shape too)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol)


# -- Normalization --------------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs,shape", [
    ({"mean": 3.0, "variance": 2.0}, (4, 3)),
    ({"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]}, (4, 3)),
    ({"axis": (1, 2), "mean": [[1.0, 2.0]], "variance": [[2.0, 3.0]], "invert": True}, (4, 1, 2)),
    ({"axis": None, "mean": 0.5, "variance": 4.0}, (4, 5)),
])
def test_normalization_with_given_statistics_matches_keras(init_kwargs, shape):
    run_layer_test("Normalization", init_kwargs=init_kwargs, input_shape=shape,
                   expected_output_shape=shape, expected_num_trainable_weights=0)


@pytest.mark.parametrize("axis,shape", [(-1, (32, 4)), (None, (32, 4)), ((1, 2), (16, 3, 2)), (1, (16, 3, 2))])
def test_normalization_adapt_on_array_matches_keras(axis, shape):
    keras = keras_oracle()
    data = RNG.normal(2.0, 3.0, size=shape).astype("float32")
    ours, theirs = layers.Normalization(axis=axis), keras.layers.Normalization(axis=axis)
    ours.adapt(data)
    theirs.adapt(data)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights] == ["mean", "variance", "count"]
    assert_array(ours.adapt_mean.value, theirs.adapt_mean.value, rtol=1e-5, atol=1e-5)
    assert_array(ours.adapt_variance.value, theirs.adapt_variance.value, rtol=1e-5, atol=1e-5)
    assert_array(ours(data), theirs(data), rtol=1e-5, atol=1e-5)


def test_normalization_adapt_on_batches_list_generator_and_tuples():
    keras = keras_oracle()
    data = RNG.normal(size=(30, 3)).astype("float32")
    batches = [data[:10], data[10:25], data[25:]]
    expected = keras.layers.Normalization()
    expected.adapt(data)
    for source in (batches, (b for b in batches), [(b, np.zeros(len(b))) for b in batches]):
        layer = layers.Normalization()
        layer.adapt(source)
        assert_array(layer.adapt_mean.value, expected.adapt_mean.value, rtol=1e-5, atol=1e-6)
        assert_array(layer.adapt_variance.value, expected.adapt_variance.value, rtol=1e-5, atol=1e-6)


def test_normalization_docstring_examples():
    layer = layers.Normalization(axis=None)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype="float32"))
    assert_array(layer(np.array([1.0, 2.0, 3.0], "float32")), [-1.4142135, -0.70710677, 0.0])
    data = np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]], "float32")
    layer = layers.Normalization(axis=-1)
    layer.adapt(data)
    assert_array(layer(np.array([[0.0, 7.0, 4.0]], "float32")), [[-1.0, -1.0, -1.0]])
    layer = layers.Normalization(axis=-1, invert=True)
    layer.adapt(data)
    assert_array(layer(np.array([[1.0, 2.0, 3.0]], "float32")), [[2.0, 10.0, 8.0]])


def test_normalization_adapted_statistics_run_in_jit_and_survive_saving():
    data = RNG.normal(5.0, 2.0, size=(40, 3)).astype("float32")
    layer = layers.Normalization()
    layer.adapt(data)
    expected = layer(data)
    pure = jax.jit(lambda nt, x: layer.stateless_call([], nt, x)[0])
    assert_array(pure([v.value for v in layer.non_trainable_variables], data), expected)
    model = workbench.Sequential([workbench.Input((3,)), layer])
    path = os.path.join(tempfile.mkdtemp(), "normalization.keras")
    model.save(path)
    restored = workbench.saving.load_model(path)
    assert_array(restored(data), expected)


@pytest.mark.parametrize("kwargs,match", [
    ({"mean": 1.0}, "both `mean` and `variance`"),
    ({"mean": [1.0, 2.0], "variance": [1.0]}, "same shape"),
    ({"axis": -1, "mean": [[1.0]], "variance": [[1.0]]}, "at most one dimension"),
    ({"axis": "last"}, "Received: axis='last'"),
])
def test_normalization_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Normalization(**kwargs)


def test_normalization_rejects_bad_axis_and_mismatched_adapt_data():
    with pytest.raises(ValueError, match="axis=\\(3,\\)"):
        layers.Normalization(axis=3)(np.ones((2, 3)))
    layer = layers.Normalization()
    layer.adapt(np.ones((4, 3)))
    with pytest.raises(ValueError, match="shape \\(4, 5\\)"):
        layer.adapt(np.ones((4, 5)))
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt([])
    with pytest.raises(TypeError, match="pass the array itself"):
        layers.Normalization().adapt([1.0, 2.0])


# -- Discretization -------------------------------------------------------------------------------
@pytest.mark.parametrize("output_mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_with_boundaries_matches_keras(output_mode):
    data = RNG.normal(size=(6, 4)).astype("float32")
    run_layer_test("Discretization", init_kwargs={"bin_boundaries": [-0.5, 0.0, 0.7], "output_mode": output_mode},
                   input_data=data)


def test_discretization_docstring_examples():
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    assert layer(data).tolist() == [[0, 2, 3, 1], [1, 3, 2, 1]]
    assert workbench.backend.standardize_dtype(layer(data).dtype) == "int32"
    layer = layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(data)
    assert layer(data).tolist() == [[0, 2, 3, 2], [1, 3, 3, 1]]


@pytest.mark.parametrize("source", ["array", "list", "generator"])
def test_discretization_adapt_matches_keras_quantile_summaries(source):
    # Keras's `adapt` needs TensorFlow (for a dataset check), but its summary functions are plain
    # numpy: drive them by hand, batch by batch, as its `adapt` does.
    from keras.src.layers.preprocessing import discretization as keras_discretization

    data = RNG.gamma(2.0, size=(300,)).astype("float32")
    batches = [data[:100], data[100:250], data[250:]]
    feed = {"array": lambda: data, "list": lambda: batches, "generator": lambda: iter(batches)}[source]
    summary = np.zeros((2, 0), "float32")
    for batch in ([data] if source == "array" else batches):
        batch_summary = keras_discretization.summarize(batch, 0.02)
        summary = keras_discretization.merge_summaries(batch_summary, summary, 0.02)
    expected = keras_discretization.get_bin_boundaries(summary, 5).tolist()
    layer = layers.Discretization(num_bins=5, epsilon=0.02)
    layer.adapt(feed())
    np.testing.assert_allclose(layer.bin_boundaries, expected, rtol=1e-6)
    assert np.asarray(layer(data)).tolist() == np.digitize(data, expected).tolist()


def test_discretization_adapted_config_round_trip_and_steps():
    layer = layers.Discretization(num_bins=3)
    layer.adapt((np.arange(10.0) + 10 * i for i in range(5)), steps=2)
    assert max(layer.bin_boundaries) < 20
    revived = layers.Discretization.from_config(layer.get_config())
    assert revived.bin_boundaries == layer.bin_boundaries
    assert set(layer.get_config()) == set(keras_oracle().layers.Discretization(num_bins=3).get_config())


@pytest.mark.parametrize("kwargs,match", [
    ({}, "give `bin_boundaries`"),
    ({"num_bins": 3, "bin_boundaries": [1.0]}, "not both"),
    ({"num_bins": -1}, "num_bins=-1"),
    ({"bin_boundaries": [0.0], "output_mode": "tf_idf"}, "output_mode='tf_idf'"),
    ({"bin_boundaries": [0.0], "output_mode": "one_hot", "sparse": True}, "sparse=True"),
])
def test_discretization_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Discretization(**kwargs)


def test_discretization_needs_boundaries_before_use():
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(np.ones((2, 2)))
    with pytest.raises(ValueError, match="cannot be adapted"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(np.ones(3))


# -- CategoryEncoding -----------------------------------------------------------------------------
@pytest.mark.parametrize("output_mode,shape", [("one_hot", (5,)), ("one_hot", (5, 1)), ("multi_hot", (5, 3)),
                                               ("count", (5, 3)), ("multi_hot", (5,))])
def test_category_encoding_matches_keras(output_mode, shape):
    data = RNG.integers(0, 6, size=shape).astype("int32")
    run_layer_test("CategoryEncoding", init_kwargs={"num_tokens": 6, "output_mode": output_mode},
                   input_data=data, expected_output_dtype="float32")


def test_category_encoding_docstring_examples_and_count_weights():
    one_hot = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1])
    assert_array(one_hot, np.eye(4)[[3, 2, 0, 1]])
    multi_hot = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")([[0, 1], [0, 0], [1, 2], [3, 1]])
    assert_array(multi_hot, [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]])
    count = layers.CategoryEncoding(num_tokens=4, output_mode="count")([[0, 1], [0, 0], [1, 2], [3, 1]],
                                                                        count_weights=weights)
    assert_array(count, [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0], [0, 0.2, 0, 0.4]])
    with pytest.raises(ValueError, match="only used in 'count' mode"):
        layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([1], count_weights=[1.0])


@pytest.mark.parametrize("kwargs,match", [
    ({}, "num_tokens=None"), ({"num_tokens": 0}, "num_tokens=0"),
    ({"num_tokens": 3, "output_mode": "int"}, "output_mode='int'"),
])
def test_category_encoding_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.CategoryEncoding(**kwargs)


# -- Rescaling ------------------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs", [{"scale": 1.0 / 255}, {"scale": 2.0, "offset": -1.0},
                                         {"scale": [0.5, 1.0, 2.0], "offset": [0.0, 1.0, 2.0]}])
def test_rescaling_matches_keras(init_kwargs):
    run_layer_test("Rescaling", init_kwargs=init_kwargs, input_shape=(2, 4, 4, 3), expected_output_shape=(2, 4, 4, 3))


def test_rescaling_config_with_array_scale_round_trips():
    layer = layers.Rescaling(scale=np.array([0.5, 2.0], "float32"), offset=1.0)
    revived = workbench.layers.deserialize(workbench.layers.serialize(layer))
    assert_array(revived(np.ones((1, 2), "float32")), [[1.5, 3.0]])
    assert_array(revived(np.full((2, 2), 255, "uint8")), [[128.5, 511.0]] * 2)


# -- the hashes -----------------------------------------------------------------------------------
def test_fingerprint64_matches_farmhash_reference_values():
    # From FarmHash's test vectors (farmhashna::Hash64 = Fingerprint64), one per length class.
    vectors = {"": 0x9AE16A3B2F90404F, "a": 0xB3454265B6DF75E3, "abcd": 0x1A5502DE4A1F8101,
               "abcdefgh": 0xFEE9D22990C82909, "0123456789=012345": 0x46A7416ED4861E3B,
               "C is as portable as Stonehedge!!": 0xB944F8A16261E414,
               "Discard medicine more than two years old.": 0xE8F89AB6DF9BDD25,
               "Even if I could be Shakespeare, I think I should still choose to be Faraday. - A. Huxley":
                   0x5A05644EB66E435E,
               "The fugacity of a constituent in a mixture of gases at a given temperature is proportional "
               "to its mole fraction.  Lewis-Randall Rule": 0x098EFF6958C5E91A}
    for text, expected in vectors.items():
        assert string_hashing.fingerprint64(text.encode()) == expected, text


def test_siphash64_matches_reference_values():
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)  # the SipHash paper's key 00 01 .. 0f
    assert string_hashing.siphash64(key, b"") == 0x726FDB47DD0E0E31
    assert string_hashing.siphash64(key, bytes(range(8))) == 0x93F5F5799A932462
    assert string_hashing.siphash64(key, bytes(range(15))) == 0xA129CA6149BE45E5


# -- Hashing ----------------------------------------------------------------------------------------
def test_hashing_matches_keras_documented_bins():
    letters = [["A"], ["B"], ["C"], ["D"], ["E"]]
    assert layers.Hashing(num_bins=3)(letters).tolist() == [[1], [0], [1], [1], [2]]
    assert layers.Hashing(num_bins=3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]]).tolist() == [[1], [1], [0], [2], [2]]
    assert layers.Hashing(num_bins=3, salt=[133, 137])(letters).tolist() == [[1], [2], [1], [0], [2]]
    assert layers.Hashing(num_bins=3, salt=133)(letters).tolist() == [[0], [0], [2], [1], [0]]
    names = np.asarray([["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]])
    assert layers.Hashing(num_bins=2)(names).tolist() == [[0], [0], [1], [0], [0]]
    assert layers.Hashing(num_bins=2, salt=[211, 137])(names).tolist() == [[1], [0], [1], [0], [1]]
    assert layers.Hashing(num_bins=3, mask_value="omar")(names).tolist() == [[0], [1], [2], [1], [1]]
    assert layers.Hashing(num_bins=3)(np.array([[0], [1], [2], [3], [4]])).tolist() == [[1], [0], [1], [0], [2]]
    assert layers.Hashing(num_bins=3, salt=[133, 137])(np.array([0, 1, 2, 3, 4])).tolist() == [1, 1, 2, 0, 1]
    assert layers.Hashing(num_bins=3)([0.2, 1.7, 2.0, 3.9, 4.1]).tolist() == [1, 0, 1, 0, 2]  # floats truncate
    assert layers.Hashing(num_bins=1)(names).tolist() == [[0]] * 5


def test_hashing_encoded_output_modes():
    assert_array(layers.Hashing(num_bins=3, output_mode="one_hot")(np.array([[0], [1], [2], [3], [4]])),
                 [[0, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert_array(layers.Hashing(num_bins=3, output_mode="multi_hot")(np.array([[0, 1, 2, 3, 4]])), [[1, 1, 1]])
    assert_array(layers.Hashing(num_bins=3, output_mode="count")(np.array([0, 1, 2, 3, 4])), [2, 2, 1])
    symbolic = layers.Hashing(num_bins=3, output_mode="count")(workbench.KerasTensor((None, 5), dtype="int32"))
    assert symbolic.shape == (None, 3) and symbolic.dtype == "float32"


def test_hashing_config_round_trip_and_keys():
    layer = layers.Hashing(num_bins=8, salt=7, mask_value="", output_mode="int")
    config = layer.get_config()
    assert config["salt"] == [7, 7] and config["dtype"]["config"]["name"] == "int64"
    assert layers.Hashing.from_config(config).get_config() == config
    assert set(config) == {"name", "trainable", "dtype", "num_bins", "salt", "mask_value", "output_mode", "sparse"}


@pytest.mark.parametrize("kwargs,match", [
    ({"num_bins": 0}, "num_bins=0"), ({"num_bins": None}, "num_bins=None"),
    ({"num_bins": 2, "salt": "x"}, "salt='x'"), ({"num_bins": 2, "salt": [1, 2, 3]}, "salt=\\[1, 2, 3\\]"),
    ({"num_bins": 2, "output_mode": "tf_idf"}, "output_mode='tf_idf'"),
    ({"num_bins": 2, "dtype": "float32"}, "dtype='float32'"),
    ({"num_bins": 2, "output_mode": "count", "sparse": True}, "sparse=True"),
])
def test_hashing_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Hashing(**kwargs)


def test_hashing_refuses_to_run_inside_jit():
    layer = layers.Hashing(num_bins=3)
    with pytest.raises(ValueError, match="runs on the host"):
        jax.jit(lambda x: layer(x))(np.arange(3))


# -- HashedCrossing ---------------------------------------------------------------------------------
def test_hashed_crossing_matches_keras_documented_bins():
    first, second = np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])
    assert layers.HashedCrossing(num_bins=5)((first, second)).tolist() == [1, 4, 1, 1, 3]
    assert layers.HashedCrossing(num_bins=5)([first[:, None], second[:, None]]).tolist() == [[1], [4], [1], [1], [3]]
    assert layers.HashedCrossing(num_bins=5)((np.array("A"), np.array(101))).tolist() == 1
    assert_array(layers.HashedCrossing(num_bins=5, output_mode="one_hot")((first, second)),
                 np.eye(5)[[1, 4, 1, 1, 3]])


def test_hashed_crossing_rejects_bad_inputs_and_arguments():
    layer = layers.HashedCrossing(num_bins=5)
    with pytest.raises(ValueError, match="at least two features"):
        layer(np.array(["A"]))
    with pytest.raises(ValueError, match="same shape"):
        layer((np.array(["A", "B"]), np.array([1])))
    with pytest.raises(ValueError, match="integers or strings"):
        layer((np.array([1.5]), np.array([1])))
    with pytest.raises(ValueError, match="output_mode='count'"):
        layers.HashedCrossing(num_bins=5, output_mode="count")
    config = layers.HashedCrossing(num_bins=5, name="cross").get_config()
    assert config == {"num_bins": 5, "output_mode": "int", "sparse": False, "name": "cross", "dtype": "int64"}
