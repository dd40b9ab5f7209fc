"""The Layer base: tracking, trainable, training resolution, masks, losses, config, stateless calls."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench as keras
from workbench import ops


class Linear(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", name="kernel")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, inputs):
        self.count.assign(self.count + 1.0)
        return ops.matmul(inputs, self.w) + self.b


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = Linear(3)
        self.stack = [Linear(2), Linear(2)]
        self.named = {"out": Linear(1)}

    def call(self, x):
        x = self.first(x)
        for layer in self.stack:
            x = layer(x)
        return self.named["out"](x)


def test_sublayers_in_attributes_lists_and_dicts_are_tracked():
    block = Block()
    block(np.ones((2, 5), "float32"))
    assert len(block._layers) == 4
    assert len(block.trainable_weights) == 8
    assert len(block.non_trainable_weights) == 4
    assert [w.path for w in block.weights][:2] == ["block/linear/kernel", "block/linear/bias"]
    assert block.count_params() == (5 * 3 + 3 + 1) + (3 * 2 + 2 + 1) + (2 * 2 + 2 + 1) + (2 + 1 + 1)


def test_trainable_flag_propagates_to_sublayers_and_variables():
    block = Block()
    block(np.ones((1, 5), "float32"))
    block.trainable = False
    assert block.trainable_weights == []
    assert all(not layer.trainable for layer in block._layers)
    assert len(block.non_trainable_weights) == 12
    block.trainable = True
    assert len(block.trainable_weights) == 8


def test_get_and_set_weights_round_trip_and_validate():
    layer = Linear(2)
    layer(np.ones((1, 3), "float32"))
    weights = [w + 1 for w in layer.get_weights()]
    layer.set_weights(weights)
    for got, expected in zip(layer.get_weights(), weights):
        np.testing.assert_allclose(got, expected)
    with pytest.raises(ValueError, match="expects 3 weight arrays"):
        layer.set_weights(weights[:1])
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        layer.set_weights([np.zeros((2, 2)), weights[1], weights[2]])


def test_count_params_before_build_explains_how_to_build():
    with pytest.raises(ValueError, match="isn't built"):
        Linear(2).count_params()


def test_stateless_call_is_pure_and_returns_updated_state_inside_jit():
    layer = Linear(2)
    layer(np.ones((1, 3), "float32"))
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]

    @jax.jit
    def step(trainable, non_trainable, x):
        return layer.stateless_call(trainable, non_trainable, x)

    out, new_non_trainable = step([t * 2 for t in trainable], non_trainable, jnp.ones((1, 3)))
    np.testing.assert_allclose(out, 6.0)
    np.testing.assert_allclose(new_non_trainable[0], 2.0)
    np.testing.assert_allclose(layer.count.numpy(), 1.0)


def test_stateless_call_with_wrong_number_of_values_explains_the_order():
    layer = Linear(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="trainable_variables"):
        layer.stateless_call([], [], np.ones((1, 3)))


class TrainingProbe(keras.layers.Layer):
    def call(self, x, training=None):
        return x * (2.0 if training else 1.0)


class Outer(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = TrainingProbe()

    def call(self, x):
        return self.inner(x)


def test_training_argument_resolves_through_nested_calls():
    outer = Outer()
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(outer(x), 1.0)
    np.testing.assert_allclose(outer(x, training=True), 2.0)
    np.testing.assert_allclose(outer.inner(x, training=True), 2.0)


def test_training_propagates_through_functional_models():
    inputs = keras.Input((2,))
    model = keras.Model(inputs, TrainingProbe()(inputs))
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(model(x), 1.0)
    np.testing.assert_allclose(model(x, training=True), 2.0)


class MaskProducer(keras.layers.Layer):
    def call(self, x):
        return x

    def compute_mask(self, inputs, previous_mask=None):
        return ops.not_equal(inputs[..., 0], 0)


class MaskConsumer(keras.layers.Layer):
    def call(self, x, mask=None):
        self.seen = mask
        return x if mask is None else x * ops.expand_dims(ops.cast(mask, x.dtype), -1)


def test_masks_propagate_eagerly_and_in_functional_models():
    data = np.array([[[1.0], [0.0], [2.0]]], "float32")
    producer, consumer = MaskProducer(), MaskConsumer()
    out = consumer(producer(data))
    np.testing.assert_array_equal(np.asarray(consumer.seen), [[True, False, True]])
    inputs = keras.Input((3, 1))
    model = keras.Model(inputs, MaskConsumer()(MaskProducer()(inputs)))
    np.testing.assert_allclose(model(data), out)
    symbolic = MaskProducer()(keras.Input((3, 1)))
    assert symbolic._keras_mask.shape == (None, 3)


def test_masks_propagate_inside_jit():
    producer, consumer = MaskProducer(), MaskConsumer()

    @jax.jit
    def run(x):
        return consumer(producer(x))

    data = jnp.asarray([[[1.0], [0.0]]])
    np.testing.assert_allclose(run(data), [[[1.0], [0.0]]])


class WithLoss(keras.layers.Layer):
    def call(self, x):
        self.add_loss(ops.sum(x))
        return x


def test_add_loss_and_regularization_losses():
    layer = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1), kernel_initializer="ones")
    layer(np.ones((1, 3), "float32"))
    assert len(layer.losses) == 1
    np.testing.assert_allclose(layer.losses[0], 0.1 * 6.0, rtol=1e-6)
    probe = WithLoss()
    probe(np.ones((2, 2), "float32"))
    probe(np.ones((2, 2), "float32"))
    assert len(probe.losses) == 1  # losses are those of the last call
    _, _, losses = probe.stateless_call([], [], jnp.ones((2, 2)), return_losses=True)
    np.testing.assert_allclose(losses[0], 4.0)


def test_activity_regularizer_adds_a_batch_averaged_loss():
    layer = keras.layers.Dense(1, kernel_initializer="ones", activity_regularizer=keras.regularizers.L1(1.0))
    layer(np.ones((4, 2), "float32"))
    np.testing.assert_allclose(layer.losses[0], 2.0, rtol=1e-6)


def test_auto_config_for_simple_constructor_arguments():
    layer = Linear(units=7, name="lin")
    config = layer.get_config()
    assert config["units"] == 7 and config["name"] == "lin"
    assert Linear.from_config(config).units == 7


def test_unserializable_constructor_arguments_explain_get_config():
    class Holder(keras.layers.Layer):
        def __init__(self, thing, **kwargs):
            super().__init__(**kwargs)
            self.thing = thing

    with pytest.raises(NotImplementedError, match="get_config"):
        Holder(object()).get_config()


def test_unknown_keyword_argument_is_rejected():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        keras.layers.Dense(2, unitz=3)


def test_wrong_input_shape_to_built_layer_names_layer_expected_and_received():
    layer = keras.layers.Dense(4, name="classifier")
    layer(np.ones((2, 8), "float32"))
    with pytest.raises(ValueError) as error:
        layer(np.ones((2, 5), "float32"))
    message = str(error.value)
    assert "classifier" in message and "8" in message and "(2, 5)" in message


def test_forgetting_super_init_is_explained():
    class Broken(keras.layers.Layer):
        def __init__(self):
            pass

        def call(self, x):
            return x

    with pytest.raises(RuntimeError, match="super"):
        Broken()(np.ones(2))


def test_layer_runs_eagerly_symbolically_and_under_grad():
    layer = keras.layers.Dense(3)
    eager = layer(np.ones((2, 4), "float32"))
    symbolic = layer(keras.KerasTensor((None, 4)))
    assert symbolic.shape == (None, 3) and eager.shape == (2, 3)
    grads = jax.grad(lambda t: jnp.sum(layer.stateless_call(t, [], jnp.ones((2, 4)))[0]))(
        [v.value for v in layer.trainable_variables])
    np.testing.assert_allclose(grads[1], 2.0)


def test_compute_output_shape_traces_call_when_not_overridden():
    assert Linear(5).compute_output_shape((None, 3)) == (None, 5)
    assert keras.layers.Dense(6).compute_output_shape((2, 3)) == (2, 6)


def test_first_build_inside_jit_creates_concrete_variables():
    layer = keras.layers.Dense(2)

    @jax.jit
    def f(x):
        return layer(x)

    f(jnp.ones((1, 3)))
    assert isinstance(layer.kernel.value, jax.Array)
    assert not isinstance(layer.kernel.value, jax.core.Tracer)
