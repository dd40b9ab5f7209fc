import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({}, (2, 3, 4), (2, 12)),
    ({}, (2, 3), (2, 3)),
    ({}, (2, 3, 4, 5), (2, 60)),
    ({"data_format": "channels_first"}, (2, 3, 4, 5), (2, 60)),
])
def test_flatten(init_kwargs, input_shape, expected):
    run_layer_test("Flatten", init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   supports_masking=False)


def test_flatten_of_a_vector_adds_an_axis():
    assert layers.Flatten()(np.ones((4,))).shape == (4, 1)


def test_flatten_channels_first_orders_like_channels_last():
    data = np.random.default_rng(0).normal(size=(2, 3, 4, 5)).astype("float32")
    channels_last = layers.Flatten(data_format="channels_last")(np.transpose(data, (0, 2, 3, 1)))
    np.testing.assert_array_equal(layers.Flatten(data_format="channels_first")(data), channels_last)


def test_flatten_symbolic_shape_with_unknown_axes():
    outputs = layers.Flatten()(workbench.KerasTensor((None, None, 4), dtype="int32"))
    assert outputs.shape == (None, None)
    assert outputs.dtype == "int32"


@pytest.mark.parametrize("target_shape, input_shape, expected", [
    ((4, 3), (2, 3, 4), (2, 4, 3)),
    ((-1,), (2, 3, 4), (2, 12)),
    ((2, -1, 3), (2, 3, 4), (2, 2, 2, 3)),
    ((1, 12), (2, 12), (2, 1, 12)),
])
def test_reshape(target_shape, input_shape, expected):
    run_layer_test("Reshape", {"target_shape": target_shape}, input_shape=input_shape,
                   expected_output_shape=expected)


def test_reshape_symbolic_shapes():
    assert layers.Reshape((-1, 2))(workbench.KerasTensor((None, 3, 4))).shape == (None, 6, 2)
    assert layers.Reshape((-1, 2))(workbench.KerasTensor((None, None, 4))).shape == (None, None, 2)
    keras = keras_oracle()
    assert keras.layers.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)


@pytest.mark.parametrize("target_shape", [(-1, -1), (0, 3), (2.5,)])
def test_reshape_rejects_bad_target_shapes(target_shape):
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape(target_shape)


def test_reshape_reports_a_size_mismatch():
    with pytest.raises(ValueError, match=r"to target_shape=\(5,\)"):
        layers.Reshape((5,))(np.ones((2, 3, 4)))


@pytest.mark.parametrize("dims, input_shape, expected", [
    ((2, 1), (2, 3, 4), (2, 4, 3)),
    ((1, 2), (2, 3, 4), (2, 3, 4)),
    ((3, 1, 2), (2, 3, 4, 5), (2, 5, 3, 4)),
])
def test_permute(dims, input_shape, expected):
    run_layer_test("Permute", {"dims": dims}, input_shape=input_shape, expected_output_shape=expected)


def test_permute_rejects_a_bad_permutation():
    with pytest.raises(ValueError, match=r"Received: dims=\(0, 1\)"):
        layers.Permute((0, 1))


def test_permute_checks_input_rank():
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.Permute((2, 1))(np.ones((2, 3, 4, 5)))


@pytest.mark.parametrize("n", [1, 3])
def test_repeat_vector(n):
    run_layer_test("RepeatVector", {"n": n}, input_shape=(2, 4), expected_output_shape=(2, n, 4))


def test_repeat_vector_values():
    outputs = np.asarray(layers.RepeatVector(2)(np.array([[1.0, 2.0]])))
    np.testing.assert_array_equal(outputs, [[[1.0, 2.0], [1.0, 2.0]]])


def test_repeat_vector_rejects_bad_n():
    with pytest.raises(ValueError, match="Received: n=0"):
        layers.RepeatVector(0)
    with pytest.raises(TypeError, match="n=2.0"):
        layers.RepeatVector(2.0)
