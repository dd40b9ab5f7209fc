"""SimpleRNN, LSTM, GRU and the generic RNN: parity with Keras, masking, states, dropout, errors."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import assert_close, keras_oracle, run_layer_test  # noqa: E402
from workbench import layers, ops  # noqa: E402
from workbench.backend.tensor_attributes import get_mask  # noqa: E402

SEQUENCES = (2, 5, 3)


def copy_weights_to_keras(ours, theirs):
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    for mine, other in zip(ours.weights, theirs.weights):
        other.assign(np.asarray(mine.value))


# -- the shared layer check, per layer and per important variation ---------------------------------
@pytest.mark.parametrize("init_kwargs, expected_output_shape", [
    ({"units": 4}, (2, 4)),
    ({"units": 4, "return_sequences": True}, (2, 5, 4)),
    ({"units": 4, "return_state": True}, [(2, 4), (2, 4)]),
    ({"units": 4, "go_backwards": True, "return_sequences": True}, (2, 5, 4)),
    ({"units": 4, "unroll": True, "activation": "relu", "use_bias": False}, (2, 4)),
])
def test_simple_rnn(init_kwargs, expected_output_shape):
    layer = run_layer_test("SimpleRNN", init_kwargs, input_shape=SEQUENCES,
                           expected_output_shape=expected_output_shape, supports_masking=True)
    assert [w.path for w in layer.weights] == [
        f"{layer.name}/simple_rnn_cell/{name}" for name in ("kernel", "recurrent_kernel", "bias")
    ][: len(layer.weights)]


@pytest.mark.parametrize("init_kwargs, expected_output_shape", [
    ({"units": 4}, (2, 4)),
    ({"units": 4, "return_state": True}, [(2, 4), (2, 4), (2, 4)]),
    ({"units": 4, "return_sequences": True, "return_state": True}, [(2, 5, 4), (2, 4), (2, 4)]),
    ({"units": 4, "go_backwards": True, "return_sequences": True}, (2, 5, 4)),
    ({"units": 4, "unroll": True, "return_sequences": True}, (2, 5, 4)),
    ({"units": 4, "unit_forget_bias": False, "bias_initializer": "ones"}, (2, 4)),
    ({"units": 4, "use_bias": False, "activation": "relu", "recurrent_activation": "hard_sigmoid"},
     (2, 4)),
    ({"units": 4, "implementation": 1, "kernel_regularizer": "l2"}, (2, 4)),
])
def test_lstm(init_kwargs, expected_output_shape):
    layer = run_layer_test("LSTM", init_kwargs, input_shape=SEQUENCES,
                           expected_output_shape=expected_output_shape, supports_masking=True)
    assert [tuple(w.shape) for w in layer.weights][:2] == [(3, 16), (4, 16)]
    assert layer.weights[0].path == f"{layer.name}/lstm_cell/kernel"


@pytest.mark.parametrize("init_kwargs, expected_output_shape", [
    ({"units": 4}, (2, 4)),
    ({"units": 4, "return_sequences": True, "go_backwards": True}, (2, 5, 4)),
    ({"units": 4, "return_state": True}, [(2, 4), (2, 4)]),
    ({"units": 4, "reset_after": False}, (2, 4)),
    ({"units": 4, "reset_after": False, "return_sequences": True, "unroll": True}, (2, 5, 4)),
    ({"units": 4, "use_bias": False}, (2, 4)),
])
def test_gru(init_kwargs, expected_output_shape):
    layer = run_layer_test("GRU", init_kwargs, input_shape=SEQUENCES,
                           expected_output_shape=expected_output_shape, supports_masking=True)
    if layer.cell.use_bias:
        assert tuple(layer.cell.bias.shape) == ((2, 12) if layer.cell.reset_after else (12,))


@pytest.mark.parametrize("cell_name", ["SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_rnn_with_a_builtin_cell_matches_keras(cell_name):
    keras = keras_oracle()
    layer = run_layer_test("RNN", {"cell": getattr(layers, cell_name)(3), "return_sequences": True},
                           input_shape=SEQUENCES, expected_output_shape=(2, 5, 3),
                           keras_parity=False)
    theirs = keras.layers.RNN(getattr(keras.layers, cell_name)(3), return_sequences=True)
    x = np.random.default_rng(1).normal(size=SEQUENCES).astype("float32")
    theirs(x)
    copy_weights_to_keras(layer, theirs)
    assert_close(layer(x), theirs(x), what=f"RNN({cell_name}) vs Keras")
    assert set(layer.get_config()) == set(theirs.get_config())
    assert set(layer.cell.get_config()) == set(theirs.cell.get_config())


# -- masking ---------------------------------------------------------------------------------------
PADDED = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 0, 0], [5, 0, 0, 0, 0]])


def embedded_pair(units, **lstm_kwargs):
    """An Embedding(mask_zero) -> LSTM pipeline in workbench and in Keras, with the same weights."""
    keras = keras_oracle()
    ours = [layers.Embedding(10, 3, mask_zero=True), layers.LSTM(units, **lstm_kwargs)]
    theirs = [keras.layers.Embedding(10, 3, mask_zero=True), keras.layers.LSTM(units, **lstm_kwargs)]
    ours[1](ours[0](PADDED))
    theirs[1](theirs[0](PADDED))
    for mine, other in zip(ours, theirs):
        copy_weights_to_keras(mine, other)
    return ours, theirs


@pytest.mark.parametrize("lstm_kwargs", [
    {}, {"return_sequences": True}, {"go_backwards": True, "return_sequences": True},
    {"return_sequences": True, "zero_output_for_mask": True}, {"return_state": True},
])
def test_embedding_mask_into_lstm_matches_keras(lstm_kwargs):
    ours, theirs = embedded_pair(4, **lstm_kwargs)
    assert_close(ours[1](ours[0](PADDED)), theirs[1](theirs[0](PADDED)), what="masked LSTM vs Keras")


@pytest.mark.parametrize("layer_name", ["SimpleRNN", "LSTM", "GRU"])
def test_right_padded_batch_ends_like_each_unpadded_sequence(layer_name):
    embedding = layers.Embedding(10, 3, mask_zero=True)
    layer = getattr(layers, layer_name)(4, return_state=True)
    batch = layer(embedding(PADDED))
    for row, sequence in enumerate(PADDED):
        alone = layer(embedding(sequence[sequence != 0][None]))
        for padded_value, value in zip(batch, alone):
            np.testing.assert_allclose(padded_value[row], value[0], rtol=1e-5, atol=1e-6)


def test_masked_steps_repeat_the_previous_output_or_zero():
    embedding = layers.Embedding(10, 3, mask_zero=True)
    repeat = layers.GRU(4, return_sequences=True)
    outputs = np.asarray(repeat(embedding(PADDED)))
    np.testing.assert_array_equal(outputs[1, 3], outputs[1, 2])
    np.testing.assert_array_equal(outputs[2, 1:], np.repeat(outputs[2, :1], 4, axis=0))
    zero = layers.GRU(4, return_sequences=True, zero_output_for_mask=True)
    zero(embedding(PADDED))
    zero.set_weights(repeat.get_weights())
    zeroed = np.asarray(zero(embedding(PADDED)))
    np.testing.assert_array_equal(zeroed[PADDED == 0], 0.0)
    np.testing.assert_array_equal(zeroed[PADDED != 0], outputs[PADDED != 0])


def test_output_mask_is_kept_only_with_return_sequences():
    embedded = layers.Embedding(10, 3, mask_zero=True)(PADDED)
    np.testing.assert_array_equal(get_mask(layers.LSTM(2, return_sequences=True)(embedded)), PADDED != 0)
    assert get_mask(layers.LSTM(2)(embedded)) is None
    symbolic = layers.Embedding(10, 3, mask_zero=True)(workbench.Input((None,), dtype="int32"))
    sequences, h, c = layers.LSTM(2, return_sequences=True, return_state=True)(symbolic)
    assert sequences.shape == (None, None, 2) and h.shape == (None, 2)
    assert get_mask(sequences) is not None and get_mask(h) is None


def test_masked_model_matches_keras_model():
    keras = keras_oracle()

    def build(library):
        inputs = library.Input((5,), dtype="int32")
        x = library.layers.Embedding(10, 4, mask_zero=True)(inputs)
        x = library.layers.Bidirectional(library.layers.LSTM(3, return_sequences=True))(x)
        x = library.layers.GRU(3)(x)
        return library.Model(inputs, library.layers.Dense(2)(x))

    ours, theirs = build(workbench), build(keras)
    theirs.set_weights(ours.get_weights())
    assert_close(ours.predict(PADDED, verbose=0), theirs.predict(PADDED, verbose=0),
                 rtol=1e-5, atol=1e-5, what="masked model vs Keras")


# -- states ----------------------------------------------------------------------------------------
def test_initial_state_matches_keras():
    keras = keras_oracle()
    x = np.random.default_rng(2).normal(size=SEQUENCES).astype("float32")
    h, c = np.full((2, 4), 0.5, "float32"), np.full((2, 4), -0.25, "float32")
    ours, theirs = layers.LSTM(4, return_state=True), keras.layers.LSTM(4, return_state=True)
    ours(x)
    theirs(x)
    copy_weights_to_keras(ours, theirs)
    assert_close(ours(x, initial_state=[h, c]), theirs(x, initial_state=[h, c]), what="initial_state")
    assert not np.allclose(ours(x, initial_state=[h, c])[0], ours(x)[0])


def test_initial_state_from_symbolic_inputs():
    sequences = workbench.Input((5, 3))
    h0, c0 = workbench.Input((4,)), workbench.Input((4,))
    outputs = layers.LSTM(4)(sequences, initial_state=[h0, c0])
    model = workbench.Model([sequences, h0, c0], outputs)
    x = np.ones(SEQUENCES, "float32")
    zeros = np.zeros((2, 4), "float32")
    assert model([x, zeros, zeros]).shape == (2, 4)
    assert not np.allclose(model([x, zeros, zeros]), model([x, zeros + 1, zeros]))


def test_initial_state_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="expects 2 initial state tensors"):
        layers.LSTM(4)(np.ones(SEQUENCES), initial_state=[np.zeros((2, 4))])
    with pytest.raises(ValueError, match=r"Received a state of shape \(2, 3\)"):
        layers.GRU(4)(np.ones(SEQUENCES), initial_state=[np.zeros((2, 3))])


def test_stateful_layer_carries_its_state_and_resets():
    x = np.random.default_rng(3).normal(size=(2, 6, 3)).astype("float32")
    whole = layers.GRU(4)
    expected_whole = whole(x)
    stateful = layers.GRU(4, stateful=True)
    stateful(x[:, :3])
    stateful.set_weights(whole.get_weights())
    stateful.reset_states()
    first = stateful(x[:, :3])
    np.testing.assert_allclose(stateful(x[:, 3:]), expected_whole, rtol=1e-5, atol=1e-6)
    assert [v.path for v in stateful.states] == [f"{stateful.name}/rnn_state"]
    assert len(stateful.weights) == 3  # the states are not weights, as in Keras
    stateful.reset_state()
    np.testing.assert_allclose(stateful(x[:, :3]), first, rtol=1e-6)


def test_stateful_layer_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match="fixed batch size"):
        layers.LSTM(2, stateful=True)(workbench.Input((5, 3)))
    layer = layers.LSTM(2, stateful=True)
    assert layer(workbench.Input((5, 3), batch_size=4)).shape == (4, 2)
    assert [tuple(v.shape) for v in layer.states] == [(4, 2), (4, 2)]


# -- custom cells ----------------------------------------------------------------------------------
@workbench.saving.register_keras_serializable(package="test_rnn")
class MinimalRNNCell(layers.Layer):
    """`h' = tanh(x W + h U)`, the custom-cell example of the Keras guide."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.tanh(ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel))
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_custom_cell_inside_rnn():
    layer = run_layer_test("RNN", {"cell": MinimalRNNCell(4), "return_sequences": True},
                           input_shape=SEQUENCES, expected_output_shape=(2, 5, 4),
                           keras_parity=False, custom_objects={"MinimalRNNCell": MinimalRNNCell})
    x = np.random.default_rng(4).normal(size=SEQUENCES).astype("float32")
    kernel, recurrent = (np.asarray(w.value) for w in layer.cell.weights)
    h, expected = np.zeros((2, 4), "float32"), []
    for t in range(5):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent)
        expected.append(h)
    np.testing.assert_allclose(layer(x), np.stack(expected, axis=1), rtol=1e-5, atol=1e-6)


def test_list_of_custom_cells_is_stacked():
    layer = layers.RNN([MinimalRNNCell(4), MinimalRNNCell(2)], return_state=True)
    output, first_state, second_state = layer(np.ones(SEQUENCES, "float32"))
    assert isinstance(layer.cell, layers.StackedRNNCells)
    assert output.shape == (2, 2) and first_state.shape == (2, 4)
    np.testing.assert_array_equal(output, second_state)


# -- dropout ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer_name", ["SimpleRNN", "LSTM", "GRU"])
def test_dropout_is_inactive_at_inference(layer_name):
    x = np.random.default_rng(5).normal(size=SEQUENCES).astype("float32")
    plain = getattr(layers, layer_name)(4, return_sequences=True)
    dropping = getattr(layers, layer_name)(4, return_sequences=True, dropout=0.5,
                                           recurrent_dropout=0.5, seed=1)
    plain(x)
    dropping(x)
    dropping.set_weights(plain.get_weights())
    np.testing.assert_allclose(dropping(x), plain(x), rtol=1e-6)
    np.testing.assert_allclose(dropping(x, training=False), plain(x), rtol=1e-6)
    assert not np.allclose(dropping(x, training=True), plain(x))


@pytest.mark.parametrize("layer", [
    lambda: layers.LSTM(4, dropout=0.3, recurrent_dropout=0.3, seed=2),
    lambda: layers.GRU(4, dropout=0.3, recurrent_dropout=0.3, reset_after=False, seed=2),
    lambda: layers.RNN([layers.GRUCell(4, recurrent_dropout=0.2), layers.LSTMCell(3, dropout=0.2)]),
])
def test_dropout_in_training_runs_under_jit_and_advances_the_seed(layer):
    layer = layer()
    x = np.ones(SEQUENCES, "float32")
    layer(x)
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    step = jax.jit(lambda t, n: layer.stateless_call(t, n, x, training=True))
    first, advanced = step(trainable, non_trainable)
    second, _ = step(trainable, advanced)
    assert not np.allclose(first, second)
    assert any(not np.array_equal(a, b) for a, b in zip(advanced, non_trainable))


def test_dropout_mask_is_the_same_at_every_timestep():
    layer = layers.SimpleRNN(3, dropout=0.5, activation=None, use_bias=False, seed=3,
                             kernel_initializer="identity", recurrent_initializer="zeros",
                             return_sequences=True)
    outputs = np.asarray(layer(np.ones((4, 6, 3), "float32"), training=True))
    np.testing.assert_array_equal(outputs, np.repeat(outputs[:, :1], 6, axis=1))
    assert set(np.unique(outputs)) <= {0.0, 2.0} and 0.0 in outputs and 2.0 in outputs


# -- training --------------------------------------------------------------------------------------
def test_lstm_model_fits():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(64, 6, 2)).astype("float32")
    y = x.sum(axis=(1, 2))[:, None]
    model = workbench.Sequential([workbench.Input((6, 2)), layers.LSTM(8), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: layers.LSTM(units=0), "Received: units=0"),
    (lambda: layers.GRU(units=-2), "Received: units=-2"),
    (lambda: layers.SimpleRNNCell(units="8"), "Received: units='8'"),
    (lambda: layers.LSTM(4, dropout=1.5), "Received: dropout=1.5"),
    (lambda: layers.GRU(4, recurrent_dropout=-0.1), "Received: recurrent_dropout=-0.1"),
    (lambda: layers.LSTM(4, use_cudnn="yes"), "Received: use_cudnn='yes'"),
    (lambda: layers.LSTM(4, implementation=3), "Received: implementation=3"),
    (lambda: layers.RNN(cell=object()), "Received: cell="),
    (lambda: layers.RNN(cell=layers.Dense(3)), "Received: state_size=None"),
])
def test_bad_arguments_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_inputs_of_the_wrong_rank_or_width_are_refused():
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.LSTM(4)(np.ones((2, 3)))
    layer = layers.GRU(4)
    layer(np.ones(SEQUENCES))
    with pytest.raises(ValueError, match="expected axis -1"):
        layer(np.ones((2, 5, 7)))
    with pytest.raises(ValueError, match="mask must have shape"):
        layers.LSTM(4)(np.ones(SEQUENCES), mask=np.ones((2, 4), bool))


def test_docstring_examples_run():
    import doctest
    import importlib

    names = ["rnn", "simple_rnn", "lstm", "gru", "stacked_rnn_cells", "bidirectional",
             "time_distributed", "conv_lstm1d", "conv_lstm2d", "conv_lstm3d"]
    globs = {**{name: getattr(layers, name) for name in layers.__all__}, "np": np, "workbench": workbench}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for name in names:
        module = importlib.import_module(f"workbench.layers.rnn.{name}")
        for test in doctest.DocTestFinder().find(module, globs=dict(globs)):
            runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0 and results.attempted >= 20


def test_configs_load_in_keras_and_back():
    import json

    keras = keras_oracle()

    def make(library):
        recurrent = library.layers
        return [recurrent.LSTM(3, return_sequences=True, dropout=0.1), recurrent.GRU(2, reset_after=False),
                recurrent.SimpleRNN(2), recurrent.Bidirectional(recurrent.LSTM(2), merge_mode="sum"),
                recurrent.TimeDistributed(recurrent.Dense(2)),
                recurrent.RNN([recurrent.LSTMCell(2), recurrent.GRUCell(3)], go_backwards=True),
                recurrent.ConvLSTM2D(2, 3, padding="same"), recurrent.GRUCell(2, reset_after=False)]

    for theirs, ours in zip(make(keras), make(workbench)):
        keras_config = json.loads(json.dumps(keras.saving.serialize_keras_object(theirs)))
        revived = workbench.saving.deserialize_keras_object(keras_config)
        assert type(revived).__name__ == type(theirs).__name__
        assert set(revived.get_config()) == set(keras_config["config"])
        ours_config = json.loads(json.dumps(workbench.saving.serialize_keras_object(ours)))
        assert type(keras.saving.deserialize_keras_object(ours_config)).__name__ == type(ours).__name__
