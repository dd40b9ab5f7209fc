import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import assert_close, keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402
from workbench.backend.tensor_attributes import get_mask  # noqa: E402

TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _fresh(args):
    # Keras's MultiHeadAttention deletes the masks of its inputs when called, so tests that rely
    # on masks pass a function that embeds Keras's inputs anew for every call.
    return args() if callable(args) else args


def _pair(name, init_kwargs, our_args, their_args=None, call_kwargs=None):
    """The workbench and Keras layers, built on the same inputs, with the same random weights."""
    keras = keras_oracle()
    ours = getattr(layers, name)(**init_kwargs)
    theirs = getattr(keras.layers, name)(**init_kwargs)
    ours(*our_args, **(call_kwargs or {}))
    theirs(*_fresh(our_args if their_args is None else their_args), **(call_kwargs or {}))
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [
        (w.name, tuple(w.shape)) for w in theirs.weights]
    assert [w.path.split("/", 1)[1] for w in ours.weights] == [
        w.path.split("/", 1)[1] for w in theirs.weights]
    rng = np.random.default_rng(42)
    for mine, other in zip(ours.weights, theirs.weights):
        # Random biases too, so a wrong bias broadcast cannot hide behind zeros.
        value = rng.normal(scale=0.3, size=mine.shape).astype("float32")
        mine.assign(value)
        other.assign(value)
    return ours, theirs


def _gradients(layer, args, call_kwargs, probe_seed=7):
    """Weight gradients of a random projection of the outputs, computed without mutation."""
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    shapes = [o.shape for o in jax.tree_util.tree_leaves(layer(*_fresh(args), **call_kwargs))]
    probes = [_data(s, probe_seed + i) for i, s in enumerate(shapes)]

    def outputs_of(trainable):
        if isinstance(layer, workbench.layers.Layer):
            return layer.stateless_call(trainable, non_trainable, *args, **call_kwargs)[0]
        # Keras's stateless_call skips `__call__`, which fills the masks in; a scope keeps them.
        keras = keras_oracle()
        mapping = list(zip(layer.trainable_variables, trainable))
        with keras.StatelessScope(state_mapping=mapping):
            return layer(*_fresh(args), **call_kwargs)

    def scalar(trainable):
        leaves = jax.tree_util.tree_leaves(outputs_of(trainable))
        return sum(jnp.sum(o * p) for o, p in zip(leaves, probes))

    return jax.jit(jax.grad(scalar))(trainable)


def _check_parity(ours, theirs, our_args, their_args=None, **call_kwargs):
    their_args = our_args if their_args is None else their_args
    assert_close(ours(*our_args, **call_kwargs), theirs(*_fresh(their_args), **call_kwargs),
                 what="outputs", **TOLERANCE)
    assert_close(_gradients(ours, our_args, call_kwargs),
                 _gradients(theirs, their_args, call_kwargs), what="weight gradients", **TOLERANCE)


# -- MultiHeadAttention ----------------------------------------------------------------------------
MHA_CASES = [
    ({"num_heads": 2, "key_dim": 4}, [(2, 3, 8), (2, 3, 8)]),
    ({"num_heads": 2, "key_dim": 3, "output_shape": (2, 5)}, [(2, 4, 6), (2, 7, 6)]),
    ({"num_heads": 2, "key_dim": 3, "use_bias": False, "output_shape": 7}, [(2, 4, 6), (2, 7, 6)]),
    ({"num_heads": 2, "key_dim": 3}, [(2, 4, 6), (2, 7, 5), (2, 7, 3)]),
    ({"num_heads": 2, "key_dim": 4, "use_gate": True}, [(2, 3, 8), (2, 5, 8)]),
    ({"num_heads": 2, "key_dim": 4, "sliding_window": 2}, [(2, 5, 8), (2, 5, 8)]),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": (1, 2)}, [(2, 3, 4, 5), (2, 3, 4, 5)]),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": 2}, [(2, 3, 4, 5), (2, 3, 6, 5)]),
]


@pytest.mark.parametrize("return_attention_scores", [False, True])
@pytest.mark.parametrize("init_kwargs, shapes", MHA_CASES)
def test_multi_head_attention_matches_keras(init_kwargs, shapes, return_attention_scores):
    inputs = [_data(s, i) for i, s in enumerate(shapes)]
    ours, theirs = _pair("MultiHeadAttention", init_kwargs, inputs)
    _check_parity(ours, theirs, inputs, return_attention_scores=return_attention_scores)
    assert set(ours.get_config()) == set(theirs.get_config())
    assert ours.get_config()["attention_axes"] == theirs.get_config()["attention_axes"]


def test_multi_head_attention_with_a_value_dim_other_than_key_dim():
    # Keras 3.15 on JAX fails here unless it returns the scores (its fused kernel needs equal head
    # sizes); workbench's fused path handles it, and agrees with the scores path and with Keras.
    inputs = [_data((2, 4, 6), 0), _data((2, 7, 5), 1)]
    init_kwargs = {"num_heads": 3, "key_dim": 2, "value_dim": 5}
    ours, theirs = _pair("MultiHeadAttention", init_kwargs, inputs,
                         call_kwargs={"return_attention_scores": True})
    _check_parity(ours, theirs, inputs, return_attention_scores=True)
    assert_close(ours(*inputs), theirs(*inputs, return_attention_scores=True)[0], **TOLERANCE)


def test_multi_head_attention_weights_are_named_and_shaped_as_in_keras():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)
    layer(_data((1, 5, 6)), _data((1, 7, 6)))
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("multi_head_attention/query/kernel", (6, 2, 3)),
        ("multi_head_attention/query/bias", (2, 3)),
        ("multi_head_attention/key/kernel", (6, 2, 3)),
        ("multi_head_attention/key/bias", (2, 3)),
        ("multi_head_attention/value/kernel", (6, 2, 4)),
        ("multi_head_attention/value/bias", (2, 4)),
        ("multi_head_attention/attention_output/kernel", (2, 4, 6)),
        ("multi_head_attention/attention_output/bias", (6,)),
    ]
    assert layer.query_dense is layer._query_dense and layer.output_dense.name == "attention_output"


@pytest.mark.parametrize("return_attention_scores", [False, True])
@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_multi_head_attention_with_attention_mask_and_causal_mask(use_causal_mask,
                                                                 return_attention_scores):
    query, value = _data((2, 4, 6), 1), _data((2, 4, 6), 2)
    attention_mask = np.random.default_rng(3).random((2, 4, 4)) > 0.3
    attention_mask[:, :, 0] = True  # every query step can attend somewhere
    ours, theirs = _pair("MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [query, value])
    _check_parity(ours, theirs, [query, value], attention_mask=attention_mask,
                  use_causal_mask=use_causal_mask, return_attention_scores=return_attention_scores)


@pytest.mark.parametrize("return_attention_scores", [False, True])
def test_multi_head_attention_causal_mask_alone(return_attention_scores):
    inputs = _data((2, 5, 6))
    ours, theirs = _pair("MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [inputs, inputs])
    _check_parity(ours, theirs, [inputs, inputs], use_causal_mask=True,
                  return_attention_scores=return_attention_scores)
    _, scores = ours(inputs, inputs, use_causal_mask=True, return_attention_scores=True)
    assert np.all(np.asarray(scores)[..., np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] == 0)


def _embedded_pair(indices_list, dim=6):
    """Each library's Embedding(mask_zero=True) outputs for the same table, masks attached."""
    keras = keras_oracle()
    table = _data((5, dim), 11)
    ours_embedding = layers.Embedding(5, dim, mask_zero=True)
    theirs_embedding = keras.layers.Embedding(5, dim, mask_zero=True)
    ours_embedding.build()
    theirs_embedding.build()
    ours_embedding.embeddings.assign(table)
    theirs_embedding.embeddings.assign(table)
    return ([ours_embedding(i) for i in indices_list],
            lambda: [theirs_embedding(i) for i in indices_list])


@pytest.mark.parametrize("return_attention_scores", [False, True])
@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_multi_head_attention_uses_the_masks_of_embedded_inputs(use_causal_mask,
                                                                return_attention_scores):
    query_indices = np.array([[1, 2, 3, 0], [4, 1, 0, 0]])
    value_indices = np.array([[3, 3, 1, 2, 0], [2, 0, 0, 0, 0]])
    ours_inputs, theirs_inputs = _embedded_pair([query_indices, value_indices])
    ours, theirs = _pair("MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, ours_inputs,
                         theirs_inputs)
    _check_parity(ours, theirs, ours_inputs, theirs_inputs, use_causal_mask=use_causal_mask,
                  return_attention_scores=return_attention_scores)
    outputs = ours(*ours_inputs)
    np.testing.assert_array_equal(get_mask(outputs), query_indices != 0)
    # A padded value step gets no attention.
    _, scores = ours(*ours_inputs, return_attention_scores=True)
    assert np.all(np.asarray(scores)[1, :, :2, 1:] == 0)


def test_multi_head_attention_self_attention_in_a_functional_model_matches_keras():
    keras = keras_oracle()
    indices = np.array([[1, 2, 3, 0, 0], [4, 1, 2, 3, 4]])

    def build(lib):
        inputs = lib.Input((5,), dtype="int32")
        embedded = lib.layers.Embedding(5, 6, mask_zero=True, name="embed")(inputs)
        attended = lib.layers.MultiHeadAttention(2, 3, name="mha")(embedded, embedded,
                                                                  use_causal_mask=True)
        return lib.Model(inputs, attended)

    ours, theirs = build(workbench), build(keras)
    for name in ("embed", "mha"):
        for mine, other in zip(ours.get_layer(name).weights, theirs.get_layer(name).weights):
            value = _data(mine.shape, 5)
            mine.assign(value)
            other.assign(value)
    assert ours.output.shape == (None, 5, 6)
    assert_close(ours(indices), theirs(indices), what="functional model", **TOLERANCE)


def test_multi_head_attention_stateless_call_under_jit_equals_eager():
    query_indices = np.array([[1, 2, 0], [3, 0, 0]])
    (query,), _ = _embedded_pair([query_indices])
    value = _data((2, 4, 6))
    layer = layers.MultiHeadAttention(2, 3, dropout=0.3, seed=1)
    eager = layer(query, value, return_attention_scores=True)
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]

    @jax.jit
    def run(trainable, non_trainable, value):
        outputs, _ = layer.stateless_call(trainable, non_trainable, query, value,
                                          return_attention_scores=True)
        return outputs

    assert_close(run(trainable, non_trainable, value), eager, **TOLERANCE)


def test_multi_head_attention_dropout_is_inactive_at_inference_and_matches_keras_in_training():
    query, value = _data((2, 4, 6), 1), _data((2, 5, 6), 2)
    kwargs = {"num_heads": 2, "key_dim": 3, "dropout": 0.5, "seed": 3}
    ours, theirs = _pair("MultiHeadAttention", kwargs, [query, value])
    plain = layers.MultiHeadAttention(2, 3)
    plain(query, value)
    plain.set_weights(ours.get_weights())
    assert_close(ours(query, value), plain(query, value), **TOLERANCE)
    assert_close(ours(query, value, training=False), theirs(query, value, training=False),
                 **TOLERANCE)
    assert not np.allclose(ours(query, value, training=True), plain(query, value))
    assert [v.path.split("/", 1)[1] for v in ours.non_trainable_variables] == [
        v.path.split("/", 1)[1] for v in theirs.non_trainable_variables]
    # Same seed, same draws: training mode matches Keras call for call.
    ours.non_trainable_variables[0].assign(np.asarray(theirs.non_trainable_variables[0].value))
    for _ in range(2):
        assert_close(ours(query, value, training=True), theirs(query, value, training=True),
                     **TOLERANCE)


def test_multi_head_attention_symbolic_shapes():
    query = workbench.KerasTensor((None, 4, 6))
    value = workbench.KerasTensor((None, 7, 5))
    layer = layers.MultiHeadAttention(2, 3, output_shape=(2, 3))
    outputs, scores = layer(query, value, return_attention_scores=True)
    assert outputs.shape == (None, 4, 2, 3)
    assert scores.shape == (None, 2, 4, 7)
    assert layer.compute_output_shape((None, 4, 6), (None, 7, 5)) == (None, 4, 2, 3)
    axes = layers.MultiHeadAttention(2, 3, attention_axes=(2,))
    _, scores = axes(workbench.KerasTensor((None, 3, 4, 5)), workbench.KerasTensor((None, 3, 6, 5)),
                     return_attention_scores=True)
    assert scores.shape == (None, 3, 2, 4, 6)


def test_multi_head_attention_config_round_trip():
    layer = layers.MultiHeadAttention(2, 3, value_dim=4, dropout=0.1, output_shape=5,
                                      kernel_regularizer="l2", use_gate=True, seed=2)
    layer(_data((1, 3, 6)), _data((1, 4, 6)))
    config = layer.get_config()
    revived = workbench.saving.deserialize_keras_object(
        workbench.saving.serialize_keras_object(layer))
    assert revived.get_config() == config
    assert [w.path for w in revived.weights] == [w.path for w in layer.weights]
    assert config["output_shape"] == (5,) and config["attention_axes"] == (1,)


@pytest.mark.parametrize("kwargs, received", [
    ({"num_heads": 0, "key_dim": 2}, "num_heads=0"),
    ({"num_heads": 2, "key_dim": -1}, "key_dim=-1"),
    ({"num_heads": 2, "key_dim": 2, "value_dim": 2.5}, "value_dim=2.5"),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": "time"}, "attention_axes='time'"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 1.5}, "dropout=1.5"),
    ({"num_heads": 2, "key_dim": 2, "sliding_window": 0}, "sliding_window=0"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": True}, "dropout=0.1"),
])
def test_multi_head_attention_rejects_bad_arguments(kwargs, received):
    with pytest.raises(ValueError, match=received):
        layers.MultiHeadAttention(**kwargs)


def test_multi_head_attention_rejects_mismatched_key_and_value():
    with pytest.raises(ValueError, match="value_shape=.*key_shape="):
        layers.MultiHeadAttention(2, 2)(_data((1, 3, 4)), _data((1, 5, 4)), _data((1, 6, 4)))


# -- Attention and AdditiveAttention ---------------------------------------------------------------
@pytest.mark.parametrize("layer_name, init_kwargs, shapes, call_kwargs", [
    ("Attention", {}, [(2, 3, 4), (2, 5, 4)], {}),
    ("Attention", {"use_scale": True}, [(2, 3, 4), (2, 5, 6), (2, 5, 4)], {}),
    ("Attention", {"score_mode": "concat"}, [(2, 3, 4), (2, 5, 4)],
     {"return_attention_scores": True}),
    ("Attention", {"score_mode": "concat", "use_scale": True}, [(2, 4, 4), (2, 4, 4)],
     {"use_causal_mask": True}),
    ("Attention", {"dropout": 0.5}, [(2, 3, 4), (2, 5, 4)], {"return_attention_scores": True}),
    ("AdditiveAttention", {}, [(2, 3, 4), (2, 5, 4)], {}),
    ("AdditiveAttention", {"use_scale": False}, [(2, 3, 4), (2, 5, 6), (2, 5, 4)],
     {"return_attention_scores": True}),
    ("AdditiveAttention", {}, [(2, 4, 4), (2, 4, 4)], {"use_causal_mask": True}),
])
def test_dot_product_and_additive_attention(layer_name, init_kwargs, shapes, call_kwargs):
    num_weights = int(init_kwargs.get("use_scale", layer_name == "AdditiveAttention")) + int(
        init_kwargs.get("score_mode") == "concat")
    run_layer_test(layer_name, init_kwargs, input_shape=shapes, call_kwargs=call_kwargs,
                   expected_num_trainable_weights=num_weights, **TOLERANCE)


@pytest.mark.parametrize("layer_name", ["Attention", "AdditiveAttention"])
@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_attention_uses_the_masks_of_embedded_inputs(layer_name, use_causal_mask):
    query_indices = np.array([[1, 2, 3, 0], [4, 1, 0, 0]])
    value_indices = np.array([[3, 3, 1, 2], [2, 0, 0, 0]])
    ours_inputs, theirs_inputs = _embedded_pair([query_indices, value_indices], dim=4)
    ours, theirs = _pair(layer_name, {}, [ours_inputs], lambda: [theirs_inputs()])
    _check_parity(ours, theirs, [ours_inputs], lambda: [theirs_inputs()],
                  use_causal_mask=use_causal_mask, return_attention_scores=True)
    outputs, scores = ours(ours_inputs, return_attention_scores=True)
    np.testing.assert_array_equal(get_mask(outputs), query_indices != 0)
    assert np.all(np.asarray(outputs)[query_indices == 0] == 0)
    assert np.all(np.asarray(scores)[1, :, 1:] == 0)


def test_attention_dropout_is_inactive_at_inference_and_matches_keras_in_training():
    keras = keras_oracle()
    inputs = [_data((2, 3, 4), 1), _data((2, 5, 4), 2)]
    ours = layers.Attention(dropout=0.5, seed=4)
    theirs = keras.layers.Attention(dropout=0.5, seed=4)
    assert_close(ours(inputs), layers.Attention()(inputs), **TOLERANCE)
    for _ in range(2):
        assert_close(ours(inputs, training=True), theirs(inputs, training=True), **TOLERANCE)


def test_attention_symbolic_shapes_and_bad_arguments():
    query, value = workbench.KerasTensor((None, 3, 4)), workbench.KerasTensor((None, 5, 6))
    outputs, scores = layers.Attention()([query, value, workbench.KerasTensor((None, 5, 4))],
                                         return_attention_scores=True)
    assert outputs.shape == (None, 3, 6) and scores.shape == (None, 3, 5)
    with pytest.raises(ValueError, match="score_mode='add'"):
        layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match="Received: inputs="):
        layers.Attention()(_data((2, 3, 4)))
    with pytest.raises(ValueError, match="Received: mask="):
        layers.Attention()([_data((2, 3, 4)), _data((2, 3, 4))], mask=np.ones((2, 3), bool))
    with pytest.raises(ValueError, match="dropout=-0.1"):
        layers.AdditiveAttention(dropout=-0.1)


# -- GroupQueryAttention ---------------------------------------------------------------------------
GQA_CASES = [
    ({"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}, [(2, 3, 8), (2, 5, 8)]),
    ({"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 1}, [(2, 4, 6), (2, 4, 6)]),
    ({"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 3, "use_bias": False},
     [(2, 4, 6), (2, 5, 6), (2, 5, 3)]),
    ({"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2, "use_gate": True,
      "sliding_window": 2}, [(2, 5, 6), (2, 5, 6)]),
]


@pytest.mark.parametrize("return_attention_scores", [False, True])
@pytest.mark.parametrize("init_kwargs, shapes", GQA_CASES)
def test_group_query_attention_matches_keras(init_kwargs, shapes, return_attention_scores):
    inputs = [_data(s, i) for i, s in enumerate(shapes)]
    ours, theirs = _pair("GroupQueryAttention", init_kwargs, inputs)
    _check_parity(ours, theirs, inputs, return_attention_scores=return_attention_scores)
    assert set(ours.get_config()) == set(theirs.get_config())


@pytest.mark.parametrize("return_attention_scores", [False, True])
@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_group_query_attention_with_masks(use_causal_mask, return_attention_scores):
    query_indices = np.array([[1, 2, 3, 0], [4, 1, 0, 0]])
    value_indices = np.array([[3, 3, 1, 2], [2, 1, 0, 0]])
    ours_inputs, theirs_inputs = _embedded_pair([query_indices, value_indices], dim=8)
    kwargs = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}
    ours, theirs = _pair("GroupQueryAttention", kwargs, ours_inputs, theirs_inputs)
    attention_mask = np.random.default_rng(3).random((2, 4, 4)) > 0.3
    _check_parity(ours, theirs, ours_inputs, theirs_inputs, use_causal_mask=use_causal_mask,
                  attention_mask=attention_mask, return_attention_scores=return_attention_scores)
    np.testing.assert_array_equal(get_mask(ours(*ours_inputs)), query_indices != 0)


def test_group_query_attention_causal_mask_alone_and_dropout():
    inputs = _data((2, 5, 8))
    kwargs = {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2}
    ours, theirs = _pair("GroupQueryAttention", kwargs, [inputs, inputs])
    _check_parity(ours, theirs, [inputs, inputs], use_causal_mask=True)
    dropping = layers.GroupQueryAttention(**kwargs, dropout=0.5, seed=1)
    dropping(inputs, inputs)
    dropping.set_weights(ours.get_weights())
    assert_close(dropping(inputs, inputs), ours(inputs, inputs), **TOLERANCE)
    assert not np.allclose(dropping(inputs, inputs, training=True), ours(inputs, inputs))


def test_group_query_attention_is_exported_under_the_keras_name():
    assert workbench.api_export.get_name_for_object(layers.GroupQueryAttention) == (
        "keras.layers.GroupQueryAttention")
    assert layers.GroupQueryAttention.__name__ == "GroupedQueryAttention"
    layer = layers.GroupQueryAttention(2, 4, 2)
    layer(_data((1, 3, 6)), _data((1, 3, 6)))
    config = workbench.saving.serialize_keras_object(layer)
    assert config["class_name"] == "GroupQueryAttention"
    revived = workbench.saving.deserialize_keras_object(config)
    assert revived.get_config() == layer.get_config()
    outputs, scores = layer(workbench.KerasTensor((None, 3, 6)),
                            workbench.KerasTensor((None, 5, 6)), return_attention_scores=True)
    assert outputs.shape == (None, 3, 6) and scores.shape == (None, 4, 3, 5)


@pytest.mark.parametrize("kwargs, received", [
    ({"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 2}, "num_key_value_heads=2"),
    ({"head_dim": 0, "num_query_heads": 2, "num_key_value_heads": 2}, "head_dim=0"),
    ({"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 2, "dropout": 2}, "dropout=2"),
])
def test_group_query_attention_rejects_bad_arguments(kwargs, received):
    with pytest.raises(ValueError, match=received):
        layers.GroupQueryAttention(**kwargs)


def test_attention_layers_keep_keras_constructor_arguments():
    import inspect

    keras = keras_oracle()

    def parameters(cls):
        names = inspect.signature(cls.__init__).parameters
        return [p for p in names if p not in ("self", "kwargs")]

    for name in ("MultiHeadAttention", "Attention", "AdditiveAttention", "GroupQueryAttention"):
        assert parameters(getattr(layers, name)) == parameters(getattr(keras.layers, name)), name


def test_attention_weights_saved_by_keras_load_and_save_back(tmp_path):
    keras = keras_oracle()

    def build(lib):
        inputs = lib.Input((5, 8))
        x = lib.layers.MultiHeadAttention(2, 4, use_gate=True)(inputs, inputs)
        x = lib.layers.GroupQueryAttention(4, 4, 2)(x, x)
        x = lib.layers.Attention(use_scale=True, score_mode="concat")([x, inputs])
        return lib.Model(inputs, lib.layers.AdditiveAttention()([x, x]))

    theirs, ours = build(keras), build(workbench)
    rng = np.random.default_rng(0)
    theirs.set_weights([rng.normal(scale=0.3, size=w.shape) for w in theirs.get_weights()])
    theirs.save_weights(tmp_path / "attention.weights.h5")
    ours.load_weights(tmp_path / "attention.weights.h5")
    data = _data((2, 5, 8))
    assert_close(ours(data), theirs(data), **TOLERANCE)
    ours.save(tmp_path / "attention.keras")
    assert_close(keras.saving.load_model(tmp_path / "attention.keras")(data), theirs(data),
                 **TOLERANCE)
