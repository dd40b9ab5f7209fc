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


def _data(shape, seed=0, loc=0.0, scale=1.0):
    return np.random.default_rng(seed).normal(loc, scale, size=shape).astype("float32")


def _copy_weights(ours, theirs):
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [
        (w.name, tuple(w.shape)) for w in theirs.weights]
    for mine, other in zip(ours.weights, theirs.weights):
        other.assign(np.asarray(mine.value))


# -- BatchNormalization ----------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs, input_shape, call_kwargs", [
    ({}, (4, 3), {}),
    ({}, (4, 3), {"training": True}),
    ({"axis": 1}, (4, 3, 5, 2), {"training": True}),
    ({"center": False, "scale": False}, (4, 5, 3), {"training": True}),
    ({"momentum": 0.5, "epsilon": 0.1, "gamma_regularizer": "l2", "beta_constraint": "non_neg",
      "gamma_initializer": "random_normal"}, (6, 3), {"training": True}),
    # Renorm's training output depends on its state, which the helper's extra Keras call moves;
    # its training parity is checked step by step below.
    ({"renorm": True, "renorm_clipping": {"rmax": 2.0, "rmin": 0.5, "dmax": 1.0}}, (4, 3), {}),
    ({"renorm": True, "scale": False}, (4, 3), {"training": False}),
])
def test_batch_normalization(init_kwargs, input_shape, call_kwargs):
    renorm = init_kwargs.get("renorm", False)
    num_weights = (2 - (not init_kwargs.get("center", True)) - (not init_kwargs.get("scale", True)))
    layer = run_layer_test("BatchNormalization", init_kwargs, input_shape=input_shape,
                           call_kwargs=call_kwargs, expected_output_shape=input_shape,
                           expected_num_trainable_weights=num_weights,
                           expected_num_non_trainable_weights=5 if renorm else 2,
                           supports_masking=True, rtol=1e-5, atol=1e-5)
    assert layer.moving_mean.path == "batch_normalization/moving_mean"


def _train_steps(layer, batches):
    outputs = [layer(batch, training=True) for batch in batches]
    return [np.asarray(v.value) for v in layer.non_trainable_variables], outputs


@pytest.mark.parametrize("init_kwargs", [
    {"momentum": 0.8},
    {"momentum": 0.8, "renorm": True},
    {"momentum": 0.8, "renorm": True, "renorm_momentum": 0.5,
     "renorm_clipping": {"rmax": 1.5, "rmin": 0.8, "dmax": 0.3}},
])
def test_batch_normalization_moving_statistics_match_keras_eagerly(init_kwargs):
    keras = keras_oracle()
    batches = [_data((8, 3), seed, loc=2.0, scale=3.0) for seed in range(3)]
    ours = layers.BatchNormalization(**init_kwargs)
    theirs = keras.layers.BatchNormalization(**init_kwargs)
    assert_close(_train_steps(ours, batches), _train_steps(theirs, batches), rtol=1e-5, atol=1e-5,
                 what="moving statistics and training outputs")
    probe = _data((5, 3), 9)
    assert_close(ours(probe), theirs(probe), rtol=1e-5, atol=1e-5, what="inference after training")


def test_batch_normalization_moving_statistics_flow_through_stateless_call_under_jit():
    keras = keras_oracle()
    batches = [_data((8, 3), seed, loc=-1.0, scale=2.0) for seed in range(3)]
    ours = layers.BatchNormalization(momentum=0.7)
    ours(batches[0])  # builds; an inference call leaves the statistics alone
    before = [np.asarray(v.value) for v in ours.non_trainable_variables]

    @jax.jit
    def step(trainable, non_trainable, batch):
        _, non_trainable = ours.stateless_call(trainable, non_trainable, batch, training=True)
        return non_trainable

    trainable = [v.value for v in ours.trainable_variables]
    non_trainable = [v.value for v in ours.non_trainable_variables]
    for batch in batches:
        non_trainable = step(trainable, non_trainable, batch)
    # Nothing was mutated: the new statistics came back as values.
    assert_close([v.value for v in ours.non_trainable_variables], before)
    theirs = keras.layers.BatchNormalization(momentum=0.7)
    assert_close(non_trainable, _train_steps(theirs, batches)[0], rtol=1e-5, atol=1e-6,
                 what="stateless moving statistics")


def test_frozen_batchnorm_runs_in_inference_mode():
    keras = keras_oracle()
    data = _data((6, 4), 1, loc=3.0)
    ours = layers.BatchNormalization()
    _train_steps(ours, [data])
    ours.trainable = False
    frozen_stats = [np.asarray(v.value) for v in ours.non_trainable_variables]
    assert ours.trainable_weights == [] and len(ours.non_trainable_weights) == 4

    outputs = ours(data, training=True)
    assert_close(outputs, ours(data, training=False), what="frozen training vs inference")
    assert_close([v.value for v in ours.non_trainable_variables], frozen_stats)
    values = [v.value for v in ours.non_trainable_variables]
    stateless_out, new_values = ours.stateless_call([], values, data, training=True)
    assert_close(stateless_out, outputs, rtol=1e-6, atol=1e-6)
    assert_close(new_values, frozen_stats)

    theirs = keras.layers.BatchNormalization()
    theirs.build((None, 4))
    _copy_weights(ours, theirs)
    theirs.trainable = False
    assert_close(outputs, theirs(data, training=True), rtol=1e-6, atol=1e-6,
                 what="frozen BatchNormalization vs Keras")


def test_batch_normalization_with_a_mask_ignores_masked_steps():
    keras = keras_oracle()
    indices = np.array([[1, 2, 0, 0], [3, 1, 4, 0], [2, 0, 0, 0]])
    embedding = layers.Embedding(5, 3, mask_zero=True, embeddings_initializer="random_normal")
    embedded = embedding(indices)
    ours = layers.BatchNormalization(momentum=0.0)
    outputs = ours(embedded, training=True)
    np.testing.assert_array_equal(get_mask(outputs), indices != 0)

    # With momentum 0 the moving statistics are the batch statistics of the unmasked steps.
    kept = np.asarray(embedded)[indices != 0]
    np.testing.assert_allclose(ours.moving_mean.value, kept.mean(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.moving_variance.value, kept.var(axis=0), rtol=1e-4, atol=1e-6)

    keras_embedding = keras.layers.Embedding(5, 3, mask_zero=True)
    keras_embedding.build()
    keras_embedding.embeddings.assign(np.asarray(embedding.embeddings.value))
    theirs = keras.layers.BatchNormalization(momentum=0.0)
    keras_outputs = theirs(keras_embedding(indices), training=True)
    assert_close(outputs, keras_outputs, rtol=1e-5, atol=1e-5, what="masked BatchNormalization")
    assert_close([v.value for v in ours.weights], [v.value for v in theirs.weights],
                 rtol=1e-5, atol=1e-6, what="masked moving statistics")


def test_batch_normalization_in_a_functional_model_keeps_the_mask_and_shape():
    inputs = workbench.Input((4,), dtype="int32")
    outputs = layers.BatchNormalization()(layers.Embedding(5, 3, mask_zero=True)(inputs))
    assert outputs.shape == (None, 4, 3)
    model = workbench.Model(inputs, outputs)
    assert model(np.array([[1, 2, 0, 0]])).shape == (1, 4, 3)


@pytest.mark.parametrize("kwargs, received", [
    ({"axis": [1, 2]}, "axis=[1, 2]"),
    ({"momentum": "fast"}, "momentum='fast'"),
    ({"renorm": True, "renorm_clipping": {"rmx": 1.0}}, "rmx"),
    ({"renorm": True, "renorm_clipping": {"rmax": 1.0, "rmin": 2.0}}, "rmax=1.0, rmin=2.0"),
    ({"renorm": True, "renorm_clipping": {"dmax": -1.0}}, "dmax=-1.0"),
])
def test_batch_normalization_rejects_bad_arguments(kwargs, received):
    with pytest.raises(ValueError, match=received.replace("[", r"\[").replace("]", r"\]")):
        layers.BatchNormalization(**kwargs)


def test_batch_normalization_rejects_an_axis_out_of_range_and_a_bad_mask():
    with pytest.raises(ValueError, match="Axis 3 is out of bounds"):
        layers.BatchNormalization(axis=3)(np.ones((2, 3)))
    with pytest.raises(ValueError, match="one dimension less"):
        layers.BatchNormalization()(np.ones((2, 3)), mask=np.ones((2, 3), bool))


def test_batch_normalization_computes_half_precision_in_float32():
    layer = layers.BatchNormalization(dtype="mixed_bfloat16")
    outputs = layer(_data((4, 3)) * 300.0, training=True)
    assert outputs.dtype == jnp.bfloat16
    assert layer.moving_mean.dtype == "float32"
    assert np.all(np.isfinite(np.asarray(outputs, dtype="float32")))


# -- LayerNormalization ----------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs, input_shape", [
    ({}, (2, 5)),
    ({"axis": -1}, (2, 3, 5)),
    ({"axis": [1, 2]}, (2, 3, 5)),
    ({"axis": [-2, -1], "epsilon": 0.1}, (2, 3, 4, 5)),
    ({"axis": 1}, (2, 3, 5)),
    ({"center": False}, (2, 5)),
    ({"scale": False, "beta_initializer": "ones"}, (2, 5)),
    ({"gamma_initializer": "random_uniform", "gamma_regularizer": "l2"}, (2, 5)),
])
def test_layer_normalization(init_kwargs, input_shape):
    num_weights = 2 - (not init_kwargs.get("center", True)) - (not init_kwargs.get("scale", True))
    run_layer_test("LayerNormalization", init_kwargs, input_shape=input_shape,
                   expected_output_shape=input_shape, expected_num_trainable_weights=num_weights,
                   supports_masking=True, atol=1e-5)


def test_layer_normalization_rms_scaling_is_deprecated_like_keras():
    with pytest.warns(UserWarning, match="RMSNormalization"):
        layer = run_layer_test("LayerNormalization", {"rms_scaling": True}, input_shape=(2, 3, 5),
                               expected_num_trainable_weights=1, atol=1e-5)
    assert [w.name for w in layer.weights] == ["gamma"]


def test_layer_normalization_normalizes_each_example():
    outputs = np.asarray(layers.LayerNormalization(epsilon=1e-6)(_data((3, 8), 2, 5.0, 4.0)))
    np.testing.assert_allclose(outputs.mean(axis=-1), 0.0, atol=1e-5)
    np.testing.assert_allclose(outputs.std(axis=-1), 1.0, atol=1e-4)


def test_layer_normalization_keeps_mixed_precision_dtypes():
    layer = layers.LayerNormalization(dtype="mixed_float16")
    outputs = layer(_data((2, 4)).astype("float16"))
    assert outputs.dtype == jnp.float16
    assert layer.gamma.dtype == "float32"


# -- GroupNormalization ----------------------------------------------------------------------------
@pytest.mark.parametrize("init_kwargs, input_shape", [
    ({"groups": 2}, (2, 6)),
    ({"groups": 3}, (2, 4, 6)),
    ({"groups": -1}, (2, 4, 4, 6)),
    ({"groups": 1, "center": False}, (2, 4, 6)),
    ({"groups": 2, "axis": 1}, (2, 4, 3, 5)),
    ({"groups": 2, "axis": -2, "scale": False}, (2, 3, 4, 5)),
    ({"groups": 3, "epsilon": 0.1, "gamma_initializer": "random_normal"}, (2, 5, 6)),
])
def test_group_normalization(init_kwargs, input_shape):
    run_layer_test("GroupNormalization", init_kwargs, input_shape=input_shape,
                   expected_output_shape=input_shape, supports_masking=True, atol=1e-5)


@pytest.mark.parametrize("groups", [0, -2, 2.5])
def test_group_normalization_rejects_bad_groups(groups):
    with pytest.raises(ValueError, match=f"Received: groups={groups}"):
        layers.GroupNormalization(groups=groups)


def test_group_normalization_needs_groups_that_divide_the_channels():
    with pytest.raises(ValueError, match=r"groups \(4\) must divide the number of channels \(6\)"):
        layers.GroupNormalization(groups=4)(np.ones((2, 6)))


# -- RMSNormalization and UnitNormalization --------------------------------------------------------
@pytest.mark.parametrize("init_kwargs, input_shape", [
    ({}, (2, 5)),
    ({"epsilon": 1e-3}, (2, 3, 5)),
    ({"axis": [-2, -1]}, (2, 3, 5)),
])
def test_rms_normalization(init_kwargs, input_shape):
    layer = run_layer_test("RMSNormalization", init_kwargs, input_shape=input_shape,
                           expected_output_shape=input_shape, expected_num_trainable_weights=1,
                           atol=1e-5)
    assert layer.scale.path == "rms_normalization/scale"


def test_rms_normalization_over_inner_axes_scales_each_position():
    data = _data((2, 3, 4, 5))
    layer = layers.RMSNormalization(axis=[1, 2])
    layer(data)
    layer.scale.assign(np.arange(12, dtype="float32").reshape(3, 4))
    expected = data / np.sqrt((data ** 2).mean(axis=(1, 2), keepdims=True) + 1e-6)
    expected = expected * np.arange(12, dtype="float32").reshape(1, 3, 4, 1)
    np.testing.assert_allclose(layer(data), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape", [({}, (2, 5)), ({"axis": [1, 2]}, (2, 3, 5))])
def test_unit_normalization(init_kwargs, input_shape):
    layer = run_layer_test("UnitNormalization", init_kwargs, input_shape=input_shape,
                           expected_output_shape=input_shape, expected_num_trainable_weights=0,
                           supports_masking=True)
    outputs = np.asarray(layer(_data(input_shape)))
    axes = tuple(init_kwargs.get("axis", [-1]))
    np.testing.assert_allclose(np.sqrt((outputs ** 2).sum(axis=axes)), 1.0, rtol=1e-5)


@pytest.mark.parametrize("layer_name", ["LayerNormalization", "RMSNormalization",
                                        "UnitNormalization"])
def test_normalization_layers_reject_a_bad_axis(layer_name):
    with pytest.raises(ValueError, match="Received: axis='last'"):
        getattr(layers, layer_name)(axis="last")


# -- SpectralNormalization -------------------------------------------------------------------------
def _spectral_pair(keras, make_ours, make_theirs, data, power_iterations=1):
    ours = layers.SpectralNormalization(make_ours(), power_iterations=power_iterations)
    theirs = keras.layers.SpectralNormalization(make_theirs(), power_iterations=power_iterations)
    ours(data)
    theirs(data)
    _copy_weights(ours, theirs)
    return ours, theirs


@pytest.mark.parametrize("power_iterations", [1, 3])
def test_spectral_normalization_matches_keras_in_training(power_iterations):
    keras = keras_oracle()
    data = _data((4, 3))
    ours, theirs = _spectral_pair(keras, lambda: layers.Dense(5), lambda: keras.layers.Dense(5),
                                  data, power_iterations)
    assert [w.path for w in ours.weights] == [
        "spectral_normalization/dense/kernel", "spectral_normalization/vector_u",
        "spectral_normalization/dense/bias"]
    assert_close(ours(data), theirs(data), what="inference")
    for _ in range(2):
        assert_close(ours(data, training=True), theirs(data, training=True), rtol=1e-5,
                     atol=1e-6, what="training")
    assert_close([w.value for w in ours.weights], [w.value for w in theirs.weights], rtol=1e-5,
                 atol=1e-6, what="normalized kernel and vector_u")
    # Power iteration estimates the top singular value from below, so after normalizing by the
    # estimate the kernel's top singular value is at least 1 (how close to 1 depends on the
    # random kernel's spectral gap, so that is left to the parity check above).
    singular_values = np.linalg.svd(np.asarray(ours.layer.kernel.value), compute_uv=False)
    assert singular_values[0] >= 1.0 - 1e-4


def test_spectral_normalization_gradients_and_updates_match_keras_under_stateless_call():
    keras = keras_oracle()
    data = _data((4, 3))
    ours, theirs = _spectral_pair(keras, lambda: layers.Dense(5), lambda: keras.layers.Dense(5),
                                  data)
    probe = _data((4, 5), 3)

    def run(layer):
        trainable = [v.value for v in layer.trainable_variables]
        non_trainable = [v.value for v in layer.non_trainable_variables]

        def loss(trainable):
            outputs, new_values = layer.stateless_call(trainable, non_trainable, data,
                                                       training=True)
            return jnp.sum(outputs * probe), new_values

        return jax.jit(jax.grad(loss, has_aux=True))(trainable)

    (our_grads, our_values), (their_grads, their_values) = run(ours), run(theirs)
    assert_close(our_grads, their_grads, rtol=1e-5, atol=1e-5, what="gradients")
    assert_close(our_values, their_values, rtol=1e-5, atol=1e-6, what="vector_u update")


def test_spectral_normalization_wraps_an_embedding_and_round_trips():
    keras = keras_oracle()
    indices = np.array([[1, 2], [3, 0]])
    ours, theirs = _spectral_pair(keras, lambda: layers.Embedding(4, 3),
                                  lambda: keras.layers.Embedding(4, 3), indices)
    assert_close(ours(indices, training=True), theirs(indices, training=True), rtol=1e-5,
                 atol=1e-6)
    config = workbench.saving.serialize_keras_object(ours)
    revived = workbench.saving.deserialize_keras_object(config)
    assert isinstance(revived.layer, layers.Embedding)
    assert revived.get_config() == ours.get_config()
    assert set(ours.get_config()) == set(theirs.get_config())
    symbolic = layers.SpectralNormalization(layers.Dense(2))(workbench.KerasTensor((None, 3)))
    assert symbolic.shape == (None, 2)


def test_spectral_normalization_rejects_bad_arguments():
    with pytest.raises(ValueError, match="Received: power_iterations=0"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="Received: layer="):
        layers.SpectralNormalization("dense")
    with pytest.raises(ValueError, match="neither"):
        layers.SpectralNormalization(layers.Identity())(np.ones((2, 3)))


@pytest.mark.parametrize("frozen", [False, True])
def test_batch_normalization_trained_by_fit_matches_keras(frozen):
    keras = keras_oracle()
    x = _data((64, 4), 0, loc=2.0, scale=3.0)
    y = x.sum(axis=1, keepdims=True)
    weights = []
    for lib in (workbench, keras):
        model = lib.Sequential([
            lib.Input((4,)), lib.layers.Dense(3, kernel_initializer="ones"),
            lib.layers.BatchNormalization(momentum=0.5),
            lib.layers.Dense(1, kernel_initializer="ones")])
        model.layers[1].trainable = not frozen
        model.compile(optimizer=lib.optimizers.SGD(0.01), loss="mse")
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        weights.append(model.layers[1].get_weights())
    assert_close(weights[0], weights[1], rtol=1e-5, atol=1e-5, what="BatchNormalization after fit")
    if frozen:
        assert_close(weights[0], [np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)])


def test_normalization_weights_saved_by_keras_load_and_save_back(tmp_path):
    keras = keras_oracle()

    def build(lib):
        inputs = lib.Input((5, 8))
        x = lib.layers.BatchNormalization()(inputs)
        x = lib.layers.LayerNormalization(axis=[1, 2])(x)
        x = lib.layers.GroupNormalization(groups=2)(x)
        x = lib.layers.RMSNormalization()(x)
        x = lib.layers.SpectralNormalization(lib.layers.Dense(3))(x)
        return lib.Model(inputs, lib.layers.UnitNormalization()(x))

    theirs, ours = build(keras), build(workbench)
    rng = np.random.default_rng(0)
    theirs.set_weights([np.abs(rng.normal(size=w.shape)) for w in theirs.get_weights()])
    theirs.save_weights(tmp_path / "normalization.weights.h5")
    ours.load_weights(tmp_path / "normalization.weights.h5")
    data = _data((2, 5, 8))
    assert_close(ours(data), theirs(data), rtol=1e-5, atol=1e-5)
    ours.save(tmp_path / "normalization.keras")
    assert_close(keras.saving.load_model(tmp_path / "normalization.keras")(data), theirs(data),
                 rtol=1e-5, atol=1e-5)
