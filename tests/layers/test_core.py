import base64
import marshal
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402
from workbench.backend.tensor_attributes import get_mask  # noqa: E402


# -- EinsumDense -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "init_kwargs, input_shape, expected_output_shape",
    [
        ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (2, 3), (2, 4)),
        ({"equation": "ab,bc->ac", "output_shape": 4}, (2, 3), (2, 4)),
        ({"equation": "abc,cd->abd", "output_shape": (None, 4), "bias_axes": "d"}, (2, 5, 3), (2, 5, 4)),
        ({"equation": "abc,cde->abde", "output_shape": (None, 2, 4), "bias_axes": "de"}, (2, 5, 3),
         (2, 5, 2, 4)),
        ({"equation": "...b,bc->...c", "output_shape": 4, "bias_axes": "c"}, (2, 5, 3), (2, 5, 4)),
        ({"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"}, (2, 3, 5), (2, 4, 5)),
        ({"equation": "abc,cd->abd", "output_shape": (5, 4), "activation": "relu"}, (2, 5, 3), (2, 5, 4)),
    ],
)
def test_einsum_dense(init_kwargs, input_shape, expected_output_shape):
    layer = run_layer_test("EinsumDense", init_kwargs, input_shape=input_shape,
                           expected_output_shape=expected_output_shape)
    assert [w.path for w in layer.weights][:1] == ["einsum_dense/kernel"]


def test_einsum_dense_kernel_fans_come_from_the_equation():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4),
                               kernel_initializer=workbench.initializers.VarianceScaling(
                                   scale=1.0, mode="fan_in", distribution="untruncated_normal", seed=1))
    layer.build((None, 5, 300))
    # fan_in is the contracted axis c (300), not the Dense-style product of leading axes.
    assert np.std(np.asarray(layer.kernel.value)) == pytest.approx((1 / 300) ** 0.5, rel=0.1)
    assert layer.get_config()["kernel_initializer"]["config"]["input_axes"] is None


def test_einsum_dense_rejects_a_malformed_equation():
    with pytest.raises(ValueError, match="Invalid einsum equation 'ab->b'"):
        layers.EinsumDense("ab->b", output_shape=3)


@pytest.mark.parametrize(
    "init_kwargs, input_shape, message",
    [
        ({"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "x"}, (2, 4), "bias axis 'x'"),
        ({"equation": "ab,bcz->ac", "output_shape": 3}, (2, 4), "kernel axis 'z'"),
        ({"equation": "abc,cd->abd", "output_shape": (7, 3)}, (2, 5, 4), "shared axis 'b'"),
        ({"equation": "abc,cd->abd", "output_shape": (5, 3)}, (2, 4), "rank 3"),
    ],
)
def test_einsum_dense_rejects_equations_that_do_not_fit(init_kwargs, input_shape, message):
    with pytest.raises(ValueError, match=message):
        layers.EinsumDense(**init_kwargs)(np.ones(input_shape))


# -- Embedding -------------------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs", [
    {"input_dim": 5, "output_dim": 3},
    {"input_dim": 5, "output_dim": 3, "mask_zero": True},
    {"input_dim": 5, "output_dim": 3, "embeddings_initializer": "ones", "embeddings_regularizer": "l2"},
])
def test_embedding(init_kwargs):
    layer = run_layer_test("Embedding", init_kwargs, input_shape=(2, 4), input_dtype="int32",
                           expected_output_shape=(2, 4, 3), expected_output_dtype="float32",
                           expected_num_trainable_weights=1,
                           supports_masking=init_kwargs.get("mask_zero", False))
    assert layer.embeddings.path == "embedding/embeddings"


def test_embedding_mask_zero_marks_padding():
    indices = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    outputs = layers.Embedding(5, 3, mask_zero=True)(indices)
    np.testing.assert_array_equal(get_mask(outputs), indices != 0)
    assert get_mask(layers.Embedding(5, 3)(indices)) is None


class MaskProbe(layers.Layer):
    def call(self, inputs, mask=None):
        self.seen_mask = mask
        return inputs


class SqueezeLast(layers.Layer):
    """`x[..., 0]`, keeping the mask (a plain op would drop it, in Keras too)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs[..., 0]


def test_embedding_mask_reaches_the_next_layer_eagerly_and_in_a_model():

    indices = np.array([[1, 2, 0], [4, 0, 0]])
    probe = MaskProbe()
    probe(layers.Embedding(5, 3, mask_zero=True)(indices))
    np.testing.assert_array_equal(probe.seen_mask, indices != 0)

    inputs = workbench.Input((3,), dtype="int32")
    embedded = layers.Embedding(5, 3, mask_zero=True)(inputs)
    assert get_mask(embedded).shape == (None, 3)
    outputs = layers.Softmax(axis=1)(SqueezeLast()(layers.Dense(1)(embedded)))
    probabilities = np.asarray(workbench.Model(inputs, outputs)(indices))
    np.testing.assert_array_equal(probabilities[indices == 0], 0.0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)


def test_embedding_mask_survives_jit():
    layer = layers.Embedding(5, 3, mask_zero=True)
    indices = np.array([[1, 0, 2]])
    layer(indices)

    @jax.jit
    def run(trainable, data):
        outputs, _ = layer.stateless_call(trainable, [], data)
        return get_mask(outputs)

    np.testing.assert_array_equal(run([v.value for v in layer.trainable_variables], indices), indices != 0)


def test_embedding_weights_argument_sets_the_table():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=[table])
    np.testing.assert_array_equal(layer(np.array([[2, 0]])), table[[[2, 0]]])


@pytest.mark.parametrize("argument", ["input_dim", "output_dim"])
@pytest.mark.parametrize("value", [0, -3, 2.5])
def test_embedding_rejects_non_positive_sizes(argument, value):
    kwargs = {"input_dim": 4, "output_dim": 4, argument: value}
    with pytest.raises(ValueError, match=f"Received: {argument}={value}"):
        layers.Embedding(**kwargs)


# -- Lambda ----------------------------------------------------------------------------------------
@workbench.saving.register_keras_serializable(package="test_core")
def double_plus(x, offset=0.0):
    return x * 2.0 + offset


def test_lambda_with_a_registered_function():
    run_layer_test("Lambda", {"function": double_plus, "arguments": {"offset": 1.0}},
                   input_shape=(2, 3), expected_output_shape=(2, 3))


def test_lambda_with_output_shape_and_mask():
    layer = layers.Lambda(lambda x: x[:, :2], output_shape=(2,), mask=lambda inputs, mask: mask)
    symbolic = layer(workbench.KerasTensor((None, 5)))
    assert symbolic.shape == (None, 2)
    assert layer.supports_masking


def test_lambda_passes_mask_and_training_when_the_function_asks():
    seen = {}

    def function(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    indices = np.array([[1, 0]])
    layers.Lambda(function)(layers.Embedding(3, 2, mask_zero=True)(indices), training=True)
    np.testing.assert_array_equal(seen["mask"], indices != 0)
    assert seen["training"] is True


def test_lambda_with_a_python_lambda_is_refused_in_safe_mode():
    layer = layers.Lambda(lambda x, scale=3.0: x * scale, output_shape=lambda shape: shape)
    config = workbench.saving.serialize_keras_object(layer)
    assert config["config"]["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode=False"):
        workbench.saving.deserialize_keras_object(config, safe_mode=True)
    with pytest.raises(ValueError, match="safe mode"):
        layers.Lambda.from_config(layer.get_config())
    revived = workbench.saving.deserialize_keras_object(config, safe_mode=False)
    np.testing.assert_allclose(revived(np.ones((1, 2))), 3.0)
    assert revived.compute_output_shape((None, 2)) == (None, 2)


def test_lambda_closure_survives_unsafe_round_trip():
    factor = 5.0
    layer = layers.Lambda(lambda x: x * factor)
    revived = workbench.saving.deserialize_keras_object(
        workbench.saving.serialize_keras_object(layer), safe_mode=False)
    np.testing.assert_allclose(revived(np.ones((1, 2))), 5.0)


def test_lambda_config_loads_in_keras_and_back():
    keras = keras_oracle()
    ours = layers.Lambda(lambda x: x + 1.0)
    theirs = keras.saving.deserialize_keras_object(
        workbench.saving.serialize_keras_object(ours), safe_mode=False)
    np.testing.assert_allclose(theirs(np.zeros((1, 2))), 1.0)
    back = workbench.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(keras.layers.Lambda(lambda x: x - 1.0)), safe_mode=False)
    np.testing.assert_allclose(back(np.zeros((1, 2))), -1.0)


def test_lambda_rejects_a_non_callable():
    with pytest.raises(ValueError, match="Received: function=3"):
        layers.Lambda(3)


# -- Identity and Masking --------------------------------------------------------------------------
def test_identity():
    run_layer_test("Identity", input_shape=(2, 3), expected_output_shape=(2, 3), supports_masking=True)


def test_identity_keeps_dtype_symbolically():
    assert layers.Identity()(workbench.KerasTensor((None, 3), dtype="int32")).dtype == "int32"


@pytest.mark.parametrize("init_kwargs", [{}, {"mask_value": 1.0}])
def test_masking(init_kwargs):
    data = np.random.default_rng(0).normal(size=(3, 4, 2)).astype("float32")
    data[:, 1] = init_kwargs.get("mask_value", 0.0)
    run_layer_test("Masking", init_kwargs, input_data=data, expected_output_shape=(3, 4, 2),
                   supports_masking=True)


def test_masking_zeroes_masked_steps_and_sets_the_mask():
    data = np.ones((2, 3, 2), "float32")
    data[:, 1] = -1.0
    data[0, 2, 0] = -1.0  # only one feature equals mask_value: the step stays
    outputs = layers.Masking(mask_value=-1.0)(data)
    np.testing.assert_array_equal(get_mask(outputs), [[True, False, True], [True, False, True]])
    np.testing.assert_array_equal(np.asarray(outputs)[:, 1], 0.0)
    np.testing.assert_array_equal(np.asarray(outputs)[0, 2], [-1.0, 1.0])


def test_masking_mask_in_a_functional_model():
    inputs = workbench.Input((3, 2))
    masked = layers.Masking()(inputs)
    assert get_mask(masked).shape == (None, 3)
    model = workbench.Model(inputs, layers.Identity()(masked))
    data = np.ones((1, 3, 2), "float32")
    data[0, 0] = 0.0
    np.testing.assert_array_equal(get_mask(model(data)), [[False, True, True]])


# -- Dense (argument validation, shared with the exemplar) -----------------------------------------
def test_dense_rejects_negative_units():
    with pytest.raises(ValueError, match="Received: units=-1"):
        layers.Dense(units=-1)




def test_lambda_reads_the_generic_lambda_record_keras_writes():
    # `keras.saving.serialize_keras_object(a_lambda)` gives {"value": [code, defaults, closure]}.
    code = base64.encodebytes(marshal.dumps((lambda x, k: x * k).__code__)).decode("ascii")
    config = layers.serialize(layers.Lambda(lambda x: x))
    config["config"]["function"] = {"class_name": "__lambda__", "config": {"value": [code, [3.0], None]}}
    revived = workbench.saving.deserialize_keras_object(config, safe_mode=False)
    np.testing.assert_allclose(revived(np.ones((1, 2))), 3.0)
