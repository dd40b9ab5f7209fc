import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402
from workbench.backend.tensor_attributes import get_mask  # noqa: E402


@pytest.mark.parametrize("layer_name, init_kwargs", [
    ("Activation", {"activation": "relu"}),
    ("Activation", {"activation": "softmax"}),
    ("Activation", {"activation": "gelu"}),
    ("ReLU", {}),
    ("ReLU", {"max_value": 1.0}),
    ("ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.2}),
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.05}),
    ("ELU", {}),
    ("ELU", {"alpha": 0.5}),
    ("Softmax", {}),
    ("Softmax", {"axis": 1}),
    ("Softmax", {"axis": [1, 2]}),
])
def test_stateless_activation_layers(layer_name, init_kwargs):
    layer = run_layer_test(layer_name, init_kwargs, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4),
                           expected_num_trainable_weights=0, supports_masking=True)
    assert layer.built


@pytest.mark.parametrize("init_kwargs, input_shape, alpha_shape", [
    ({"alpha_initializer": "ones"}, (2, 3, 4), (3, 4)),
    ({"alpha_initializer": "ones", "shared_axes": [1]}, (2, 3, 4), (1, 4)),
    ({"alpha_initializer": "ones", "shared_axes": 2}, (2, 3, 4), (3, 1)),
    ({"alpha_initializer": "ones", "shared_axes": [1, 2]}, (2, 3, 4, 5), (1, 1, 5)),
    ({"alpha_regularizer": "l2", "alpha_initializer": "ones"}, (2, 3), (3,)),
])
def test_prelu(init_kwargs, input_shape, alpha_shape):
    # A zero alpha (the default) gets no gradient from a squared loss, so the training step
    # check starts from alpha = 1.
    layer = run_layer_test("PReLU", init_kwargs, input_shape=input_shape,
                           expected_output_shape=input_shape, expected_num_trainable_weights=1)
    assert layer.alpha.shape == alpha_shape
    assert layer.alpha.path == "p_re_lu/alpha"


def test_prelu_default_config_matches_keras():
    run_layer_test("PReLU", input_shape=(2, 3), run_training_step=False)


def test_prelu_learned_slope():
    layer = layers.PReLU(alpha_initializer=workbench.initializers.Constant(0.25))
    np.testing.assert_allclose(layer(np.array([[-4.0, 2.0]])), [[-1.0, 2.0]])


def test_prelu_rejects_a_shared_axis_out_of_range():
    with pytest.raises(ValueError, match="shared axis 3"):
        layers.PReLU(shared_axes=[3])(np.ones((2, 3)))


@pytest.mark.parametrize("layer_name, init_kwargs, message", [
    ("ReLU", {"max_value": -1.0}, "Received: max_value=-1.0"),
    ("ReLU", {"negative_slope": -0.1}, "Received: negative_slope=-0.1"),
    ("ReLU", {"threshold": -1.0}, "Received: threshold=-1.0"),
    ("LeakyReLU", {"negative_slope": -0.3}, "Received: negative_slope=-0.3"),
])
def test_activation_layers_reject_bad_arguments(layer_name, init_kwargs, message):
    with pytest.raises(ValueError, match=message):
        getattr(layers, layer_name)(**init_kwargs)


def test_leaky_relu_accepts_keras2_alpha():
    assert layers.LeakyReLU(alpha=0.1).negative_slope == 0.1


def test_activation_with_a_custom_callable_round_trips_when_registered():
    @workbench.saving.register_keras_serializable(package="test_activation_layers")
    def cube(x):
        return x ** 3

    layer = layers.Activation(cube)
    revived = layers.deserialize(layers.serialize(layer))
    np.testing.assert_allclose(revived(np.array([2.0])), [8.0])


# -- Softmax masking -------------------------------------------------------------------------------
def test_softmax_masked_positions_get_zero_probability():
    logits = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    mask = np.array([[True, True, False, True], [False, True, True, True]])
    probabilities = np.asarray(layers.Softmax()(logits, mask=mask))
    assert np.all(probabilities[~mask] == 0.0)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("mask", [
    np.array([[True, True, False, True], [False, True, True, True]]),
    np.array([[1.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0]], dtype="float32"),
    np.array([[True, False, True, True]]),
])
def test_softmax_mask_matches_keras(mask):
    keras = keras_oracle()
    logits = np.random.default_rng(1).normal(size=(2, 4)).astype("float32")
    np.testing.assert_allclose(layers.Softmax()(logits, mask=mask),
                               keras.layers.Softmax()(logits, mask=mask), rtol=1e-6, atol=1e-7)


def test_softmax_takes_the_mask_of_its_input():
    indices = np.array([[1, 2, 0]])
    scores = SqueezeLast()(layers.Embedding(3, 1, mask_zero=True)(indices))
    assert get_mask(scores) is not None
    probabilities = np.asarray(layers.Softmax()(scores))
    assert probabilities[0, 2] == 0.0


def test_softmax_rejects_a_mask_that_does_not_broadcast():
    with pytest.raises(ValueError, match=r"mask.shape=\(2, 3\)"):
        layers.Softmax()(np.ones((2, 4)), mask=np.ones((2, 3), dtype=bool))


class SqueezeLast(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs[..., 0]
