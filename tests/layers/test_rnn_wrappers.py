"""Bidirectional, TimeDistributed, StackedRNNCells and ConvLSTM: parity with Keras and behaviour."""

import os
import re

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import assert_close, keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402
from workbench.backend.tensor_attributes import get_mask  # noqa: E402

SEQUENCES = (2, 5, 3)


def assert_matches_keras(ours, theirs, x, **call_kwargs):
    """Same weights (copied from ours), then the same outputs and weight gradients as Keras."""
    ours_output = ours(x, **call_kwargs)
    theirs(x, **call_kwargs)
    # Paths agree up to the `_N` suffixes that make layer names unique in each library.
    assert [re.sub(r"_\d+", "", w.path) for w in ours.weights] == [
        re.sub(r"_\d+", "", w.path) for w in theirs.weights]
    for mine, other in zip(ours.weights, theirs.weights):
        other.assign(np.asarray(mine.value))
    assert_close(ours_output, theirs(x, **call_kwargs), what=f"{ours.name} vs Keras")
    assert set(ours.get_config()) == set(theirs.get_config())

    probe = [np.random.default_rng(7).normal(size=np.shape(o)).astype("float32")
             for o in jax.tree_util.tree_leaves(ours_output)]

    def gradients(layer):
        non_trainable = [v.value for v in layer.non_trainable_variables]

        def scalar(trainable):
            outputs = layer.stateless_call(trainable, non_trainable, x, **call_kwargs)[0]
            return sum(jnp.sum(o * p) for o, p in zip(jax.tree_util.tree_leaves(outputs), probe))

        return jax.grad(scalar)([v.value for v in layer.trainable_variables])

    assert_close(gradients(ours), gradients(theirs), rtol=1e-5, atol=1e-5,
                 what=f"{ours.name} gradients vs Keras")


# -- Bidirectional ---------------------------------------------------------------------------------
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_merge_modes_match_keras(merge_mode):
    keras = keras_oracle()
    layer = run_layer_test("Bidirectional", {"layer": layers.LSTM(4, return_sequences=True),
                                             "merge_mode": merge_mode},
                           input_shape=SEQUENCES, keras_parity=False, supports_masking=True,
                           expected_output_shape=[(2, 5, 4), (2, 5, 4)] if merge_mode is None
                           else (2, 5, 8 if merge_mode == "concat" else 4))
    assert [w.path for w in layer.weights][::3] == [
        f"{layer.name}/forward_lstm/lstm_cell/kernel", f"{layer.name}/backward_lstm/lstm_cell/kernel"]
    assert_matches_keras(
        layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode=merge_mode),
        keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True), merge_mode=merge_mode),
        np.random.default_rng(1).normal(size=SEQUENCES).astype("float32"))


def test_bidirectional_with_return_state_and_a_given_backward_layer():
    keras = keras_oracle()
    x = np.random.default_rng(2).normal(size=SEQUENCES).astype("float32")
    ours = layers.Bidirectional(layers.GRU(3, return_state=True),
                                backward_layer=layers.GRU(3, return_state=True, go_backwards=True,
                                                          reset_after=False))
    theirs = keras.layers.Bidirectional(keras.layers.GRU(3, return_state=True),
                                        backward_layer=keras.layers.GRU(3, return_state=True,
                                                                        go_backwards=True,
                                                                        reset_after=False))
    assert [tuple(o.shape) for o in ours(x)] == [(2, 6), (2, 3), (2, 3)]
    assert ours.backward_layer.cell.reset_after is False
    assert_matches_keras(ours, theirs, x)
    symbolic = ours(workbench.Input((None, 3)))
    assert [t.shape for t in symbolic] == [(None, 6), (None, 3), (None, 3)]


def test_bidirectional_masked_right_padding_matches_each_sequence_and_keras():
    keras = keras_oracle()
    padded = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 0, 0], [5, 0, 0, 0, 0]])
    embedding = layers.Embedding(10, 3, mask_zero=True)
    ours = layers.Bidirectional(layers.LSTM(4))
    batch = np.asarray(ours(embedding(padded)))
    for row, sequence in enumerate(padded):
        alone = ours(embedding(sequence[sequence != 0][None]))
        np.testing.assert_allclose(batch[row], alone[0], rtol=1e-5, atol=1e-6)

    keras_embedding = keras.layers.Embedding(10, 3, mask_zero=True)
    theirs = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
    sequences = layers.Bidirectional(layers.LSTM(4, return_sequences=True))
    ours_output = sequences(embedding(padded))
    theirs(keras_embedding(padded))
    keras_embedding.set_weights(embedding.get_weights())
    theirs.set_weights(sequences.get_weights())
    assert_close(ours_output, theirs(keras_embedding(padded)), what="masked Bidirectional vs Keras")
    np.testing.assert_array_equal(get_mask(ours_output), padded != 0)


def test_bidirectional_initial_state_is_split_between_directions():
    x = np.ones(SEQUENCES, "float32")
    layer = layers.Bidirectional(layers.SimpleRNN(2), merge_mode=None)
    forward, backward = layer(x, initial_state=[np.ones((2, 2), "float32"), np.zeros((2, 2), "float32")])
    plain_forward, plain_backward = layer(x)
    assert not np.allclose(forward, plain_forward)
    np.testing.assert_allclose(backward, plain_backward, rtol=1e-6)


def test_bidirectional_stateful_resets_both_directions():
    layer = layers.Bidirectional(layers.LSTM(2, stateful=True))
    x = np.ones(SEQUENCES, "float32")
    first = np.asarray(layer(x))
    assert len(layer.states) == 4
    assert not np.allclose(layer(x), first)
    layer.reset_states()
    np.testing.assert_allclose(layer(x), first, rtol=1e-6)


@pytest.mark.parametrize("make, message", [
    (lambda: layers.Bidirectional(layers.LSTM(2), merge_mode="max"), "Received: merge_mode='max'"),
    (lambda: layers.Bidirectional("lstm"), "Received: layer='lstm'"),
    (lambda: layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2)), "go_backwards"),
    (lambda: layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(
        2, go_backwards=True, return_sequences=True)), "return_sequences"),
    (lambda: layers.Bidirectional(layers.LSTM(2)).reset_states(), "not stateful"),
])
def test_bidirectional_bad_arguments_are_refused(make, message):
    with pytest.raises((ValueError, AttributeError), match=message):
        make()


# -- TimeDistributed -------------------------------------------------------------------------------
def test_time_distributed_dense_matches_keras():
    keras = keras_oracle()
    layer = run_layer_test("TimeDistributed", {"layer": layers.Dense(4, activation="relu")},
                           input_shape=SEQUENCES, expected_output_shape=(2, 5, 4),
                           keras_parity=False, supports_masking=True)
    assert [w.path for w in layer.weights] == [f"{layer.name}/dense/kernel", f"{layer.name}/dense/bias"]
    x = np.random.default_rng(3).normal(size=SEQUENCES).astype("float32")
    assert_matches_keras(layers.TimeDistributed(layers.Dense(4)),
                         keras.layers.TimeDistributed(keras.layers.Dense(4)), x)


def test_time_distributed_over_images_with_unknown_time():
    layer = layers.TimeDistributed(layers.Flatten())
    assert layer(workbench.Input((None, 4, 4, 2))).shape == (None, None, 32)
    assert layer(np.ones((2, 3, 4, 4, 2))).shape == (2, 3, 32)


def test_time_distributed_keeps_the_mask_and_passes_it_on():
    seen = {}

    class MaskProbe(layers.Layer):
        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

    padded = np.array([[1, 2, 0], [3, 0, 0]])
    output = layers.TimeDistributed(MaskProbe())(layers.Embedding(5, 2, mask_zero=True)(padded))
    np.testing.assert_array_equal(seen["mask"], (padded != 0).reshape(-1))
    np.testing.assert_array_equal(get_mask(output), padded != 0)


def test_time_distributed_refuses_bad_inputs():
    with pytest.raises(ValueError, match="Received: layer=3"):
        layers.TimeDistributed(3)
    with pytest.raises(ValueError, match=r"at least 3 dimensions. Received: input_shape=\(2, 3\)"):
        layers.TimeDistributed(layers.Dense(2))(np.ones((2, 3)))


# -- StackedRNNCells -------------------------------------------------------------------------------
def test_stacked_cells_match_keras():
    keras = keras_oracle()
    layer = run_layer_test("RNN", {"cell": layers.StackedRNNCells([layers.LSTMCell(4), layers.GRUCell(3)]),
                                   "return_sequences": True},
                           input_shape=SEQUENCES, expected_output_shape=(2, 5, 3), keras_parity=False)
    assert [w.path for w in layer.weights][::3] == [
        f"{layer.name}/stacked_rnn_cells/lstm_cell/kernel", f"{layer.name}/stacked_rnn_cells/gru_cell/kernel"]
    x = np.random.default_rng(4).normal(size=SEQUENCES).astype("float32")
    assert_matches_keras(
        layers.RNN([layers.LSTMCell(4), layers.SimpleRNNCell(2)], return_state=True),
        keras.layers.RNN([keras.layers.LSTMCell(4), keras.layers.SimpleRNNCell(2)], return_state=True), x)
    assert set(layers.StackedRNNCells([layers.GRUCell(2)]).get_config()) == set(
        keras.layers.StackedRNNCells([keras.layers.GRUCell(2)]).get_config())


def test_stacked_cells_take_nested_or_flat_initial_states():
    layer = layers.RNN([layers.LSTMCell(2), layers.GRUCell(3)], return_state=True)
    x = np.ones(SEQUENCES, "float32")
    states = [np.full((2, 2), 0.1, "float32"), np.full((2, 2), 0.2, "float32"), np.full((2, 3), 0.3, "float32")]
    flat = layer(x, initial_state=states)
    nested = layer(x, initial_state=[states[:2], states[2]])
    assert_close(flat, nested, what="flat vs nested initial states")
    assert [tuple(s.shape) for s in jax.tree_util.tree_leaves(flat[1:])] == [(2, 2), (2, 2), (2, 3)]


def test_stacked_cells_refuse_a_non_cell():
    with pytest.raises(ValueError, match="state_size"):
        layers.StackedRNNCells([layers.LSTMCell(2), layers.Dense(2)])


# -- ConvLSTM --------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected_output_shape", [
    ("ConvLSTM1D", {"filters": 3, "kernel_size": 2}, (2, 4, 6, 2), (2, 5, 3)),
    ("ConvLSTM2D", {"filters": 3, "kernel_size": 3}, (2, 3, 5, 5, 2), (2, 3, 3, 3)),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": (3, 2), "padding": "same", "return_sequences": True},
     (2, 3, 4, 4, 2), (2, 3, 4, 4, 2)),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "strides": 2, "return_state": True,
                    "go_backwards": True}, (2, 3, 5, 5, 1), [(2, 2, 2, 2)] * 3),
    ("ConvLSTM3D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, (1, 2, 4, 4, 4, 1),
     (1, 2, 2, 2, 2)),
])
def test_conv_lstm(layer_name, init_kwargs, input_shape, expected_output_shape):
    layer = run_layer_test(layer_name, init_kwargs, input_shape=input_shape,
                           expected_output_shape=expected_output_shape, rtol=1e-4, atol=1e-5)
    assert layer.weights[0].path == f"{layer.name}/conv_lstm_cell/kernel"


def test_conv_lstm_right_padding_matches_the_unpadded_sequence():
    layer = layers.ConvLSTM2D(2, 3, padding="same")
    x = np.random.default_rng(5).normal(size=(1, 4, 5, 5, 2)).astype("float32")
    padded = np.concatenate([x, np.zeros_like(x[:, :2])], axis=1)
    mask = np.array([[True] * 4 + [False] * 2])
    np.testing.assert_allclose(layer(padded, mask=mask), layer(x), rtol=1e-5, atol=1e-6)


def test_conv_lstm_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="Received: filters=0"):
        layers.ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match="Received: kernel_size=\\(3, 3, 3\\)"):
        layers.ConvLSTM2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="Received: padding='causal'"):
        layers.ConvLSTM1D(2, 3, padding="causal")
