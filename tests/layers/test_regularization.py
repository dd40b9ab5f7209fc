import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402

RANDOM_LAYERS = [
    ("Dropout", {"rate": 0.5}, (2, 3, 4)),
    ("Dropout", {"rate": 0.3, "noise_shape": (None, 1, 4), "seed": 1}, (2, 3, 4)),
    ("SpatialDropout1D", {"rate": 0.5}, (2, 3, 4)),
    ("SpatialDropout2D", {"rate": 0.5}, (2, 3, 4, 5)),
    ("SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, (2, 3, 4, 5)),
    ("SpatialDropout3D", {"rate": 0.5}, (2, 3, 4, 5, 2)),
    ("SpatialDropout3D", {"rate": 0.5, "data_format": "channels_first"}, (2, 3, 4, 5, 2)),
    ("GaussianNoise", {"stddev": 0.5}, (2, 3)),
    ("GaussianDropout", {"rate": 0.5}, (2, 3)),
    ("AlphaDropout", {"rate": 0.5}, (2, 3)),
    ("AlphaDropout", {"rate": 0.2, "noise_shape": (None, 1)}, (2, 3)),
]


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape", RANDOM_LAYERS)
def test_random_layers_in_inference_mode(layer_name, init_kwargs, input_shape):
    layer = run_layer_test(layer_name, init_kwargs, input_shape=input_shape,
                           expected_output_shape=input_shape, expected_num_trainable_weights=0,
                           supports_masking=True)
    # The seed generator's state is a variable, but not a weight.
    assert layer.weights == []
    assert [v.path for v in layer.non_trainable_variables] == ["seed_generator/seed_generator_state"]


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape", RANDOM_LAYERS)
def test_random_layers_in_training_mode(layer_name, init_kwargs, input_shape):
    # Keras is called twice in the shared helper, so its second draw differs; parity in training
    # mode is checked separately below, draw for draw.
    run_layer_test(layer_name, {**init_kwargs, "seed": 3}, input_shape=input_shape,
                   call_kwargs={"training": True}, expected_output_shape=input_shape,
                   keras_parity=False)


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape", RANDOM_LAYERS)
def test_random_layers_draw_the_same_noise_as_keras_for_a_seed(layer_name, init_kwargs, input_shape):
    keras = keras_oracle()
    kwargs = {**init_kwargs, "seed": 11}
    ours, theirs = getattr(layers, layer_name)(**kwargs), getattr(keras.layers, layer_name)(**kwargs)
    data = np.random.default_rng(0).normal(size=input_shape).astype("float32")
    for _ in range(2):
        np.testing.assert_allclose(ours(data, training=True), theirs(data, training=True), rtol=1e-6)


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape", RANDOM_LAYERS)
def test_random_layers_are_built_at_construction(layer_name, init_kwargs, input_shape):
    assert getattr(layers, layer_name)(**init_kwargs).built


# -- Dropout ---------------------------------------------------------------------------------------
def test_dropout_is_inactive_at_inference():
    data = np.random.default_rng(0).normal(size=(8, 16)).astype("float32")
    layer = layers.Dropout(0.5, seed=0)
    np.testing.assert_array_equal(layer(data), data)
    np.testing.assert_array_equal(layer(data, training=False), data)


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_dropout_rate_is_respected_in_training(rate):
    data = np.ones((200, 100), "float32")
    outputs = np.asarray(layers.Dropout(rate, seed=1)(data, training=True))
    dropped = np.mean(outputs == 0.0)
    assert dropped == pytest.approx(rate, abs=0.02)
    np.testing.assert_allclose(outputs[outputs != 0.0], 1.0 / (1.0 - rate), rtol=1e-6)


def test_dropout_same_seed_is_reproducible_and_each_call_is_new():
    data = np.ones((4, 32), "float32")
    first, second = layers.Dropout(0.5, seed=42), layers.Dropout(0.5, seed=42)
    a1, a2 = np.asarray(first(data, training=True)), np.asarray(first(data, training=True))
    b1 = np.asarray(second(data, training=True))
    np.testing.assert_array_equal(a1, b1)
    assert not np.array_equal(a1, a2)


def test_dropout_noise_shape_drops_whole_timesteps():
    outputs = np.asarray(layers.Dropout(0.5, noise_shape=(None, 1, 8), seed=0)(
        np.ones((16, 5, 8), "float32"), training=True))
    assert np.all(outputs == outputs[:, :1, :])


def test_dropout_training_flag_reaches_it_inside_a_model():
    inputs = workbench.Input((64,))
    model = workbench.Model(inputs, layers.Dropout(0.5, seed=0)(layers.Identity()(inputs)))
    data = np.ones((4, 64), "float32")
    np.testing.assert_array_equal(model(data), data)
    assert np.mean(np.asarray(model(data, training=True)) == 0.0) > 0.3


def test_dropout_advances_its_seed_through_stateless_call():
    layer = layers.Dropout(0.5, seed=0)
    data = np.ones((4, 32), "float32")

    @jax.jit
    def step(non_trainable):
        return layer.stateless_call([], non_trainable, data, training=True)

    state = [v.value for v in layer.non_trainable_variables]
    out1, state = step(state)
    out2, state = step(state)
    assert not np.array_equal(out1, out2)
    np.testing.assert_array_equal(out1, layers.Dropout(0.5, seed=0)(data, training=True))


def test_spatial_dropout_drops_whole_channels():
    outputs = np.asarray(layers.SpatialDropout2D(0.5, seed=0)(np.ones((8, 4, 4, 6), "float32"),
                                                              training=True))
    assert np.all(outputs == outputs[:, :1, :1, :])
    first = np.asarray(layers.SpatialDropout2D(0.5, data_format="channels_first", seed=0)(
        np.ones((8, 6, 4, 4), "float32"), training=True))
    assert np.all(first == first[:, :, :1, :1])


def test_spatial_dropout_checks_rank():
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.SpatialDropout1D(0.5)(np.ones((2, 3)))


@pytest.mark.parametrize("layer_name, argument", [
    ("Dropout", "rate"), ("GaussianDropout", "rate"), ("AlphaDropout", "rate"),
    ("SpatialDropout1D", "rate"), ("GaussianNoise", "stddev"),
])
@pytest.mark.parametrize("value", [1.5, -0.1])
def test_random_layers_reject_rates_outside_0_1(layer_name, argument, value):
    with pytest.raises(ValueError, match=f"Received: {argument}={value}"):
        getattr(layers, layer_name)(value)


@pytest.mark.parametrize("noise_shape", ["abc", (2, 0), (2, 1.5)])
def test_dropout_rejects_bad_noise_shapes(noise_shape):
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape=noise_shape)


def test_zero_rate_dropout_has_no_seed_generator():
    layer = layers.Dropout(0.0)
    assert layer.variables == []
    data = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(layer(data, training=True), data)


def test_gaussian_noise_statistics():
    outputs = np.asarray(layers.GaussianNoise(0.5, seed=0)(np.zeros((200, 100), "float32"), training=True))
    assert np.std(outputs) == pytest.approx(0.5, rel=0.05)
    assert np.mean(outputs) == pytest.approx(0.0, abs=0.02)


def test_alpha_dropout_keeps_mean_and_variance():
    data = np.random.default_rng(0).normal(size=(200, 200)).astype("float32")
    outputs = np.asarray(layers.AlphaDropout(0.2, seed=0)(data, training=True))
    assert np.mean(outputs) == pytest.approx(0.0, abs=0.03)
    assert np.std(outputs) == pytest.approx(1.0, abs=0.03)


# -- ActivityRegularization ------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs", [{}, {"l1": 0.1}, {"l1": 0.1, "l2": 0.2}])
def test_activity_regularization(init_kwargs):
    run_layer_test("ActivityRegularization", init_kwargs, input_shape=(2, 3),
                   expected_output_shape=(2, 3), supports_masking=True)


def test_activity_regularization_adds_the_penalty_per_sample():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    data = np.array([[1.0, -2.0], [3.0, 0.0]], "float32")
    outputs = layer(data)
    np.testing.assert_array_equal(outputs, data)
    expected = (0.1 * np.abs(data).sum() + 0.2 * np.square(data).sum()) / 2
    assert len(layer.losses) == 1
    assert float(layer.losses[0]) == pytest.approx(expected, rel=1e-6)
    assert "activity_regularizer" not in layer.get_config()
