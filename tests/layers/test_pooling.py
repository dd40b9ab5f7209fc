import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import assert_close, keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected", [
    ("MaxPooling1D", {}, (2, 7, 3), (2, 3, 3)),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 3), (2, 4, 3)),
    ("MaxPooling1D", {"data_format": "channels_first"}, (2, 3, 7), (2, 3, 3)),
    ("AveragePooling1D", {"pool_size": 2}, (2, 7, 3), (2, 3, 3)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 7, 3), (2, 7, 3)),
    ("MaxPooling2D", {}, (2, 6, 5, 3), (2, 3, 2, 3)),
    ("MaxPooling2D", {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"},
     (2, 6, 5, 3), (2, 3, 5, 3)),
    ("AveragePooling2D", {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 6, 5), (2, 3, 3, 2)),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 5, 3), (2, 3, 3, 3)),
    ("MaxPooling3D", {}, (2, 4, 5, 4, 2), (2, 2, 2, 2, 2)),
    ("MaxPooling3D", {"pool_size": 2, "padding": "same", "data_format": "channels_first"},
     (1, 2, 4, 5, 3), (1, 2, 2, 3, 2)),
    ("AveragePooling3D", {"pool_size": (2, 1, 2), "strides": 1, "padding": "same"},
     (2, 3, 4, 3, 2), (2, 3, 4, 3, 2)),
])
def test_windowed_pooling(layer_name, init_kwargs, input_shape, expected):
    run_layer_test(layer_name, init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=0, supports_masking=False)


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected", [
    ("GlobalMaxPooling1D", {}, (2, 5, 3), (2, 3)),
    ("GlobalMaxPooling1D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 5), (2, 3, 1)),
    ("GlobalAveragePooling1D", {}, (2, 5, 3), (2, 3)),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 5, 3), (2, 1, 3)),
    ("GlobalMaxPooling2D", {}, (2, 4, 5, 3), (2, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True}, (2, 4, 5, 3), (2, 1, 1, 3)),
    ("GlobalAveragePooling2D", {"data_format": "channels_first"}, (2, 3, 4, 5), (2, 3)),
    ("GlobalAveragePooling2D", {"keepdims": True, "data_format": "channels_first"},
     (2, 3, 4, 5), (2, 3, 1, 1)),
    ("GlobalMaxPooling3D", {"data_format": "channels_first"}, (2, 3, 2, 4, 3), (2, 3)),
    ("GlobalAveragePooling3D", {"keepdims": True}, (2, 2, 4, 3, 3), (2, 1, 1, 1, 3)),
])
def test_global_pooling(layer_name, init_kwargs, input_shape, expected):
    run_layer_test(layer_name, init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=0)


@pytest.mark.parametrize("init_kwargs, input_shape", [
    ({}, (3, 5, 2)),
    ({"keepdims": True}, (3, 5, 2)),
    ({"data_format": "channels_first"}, (3, 2, 5)),
])
def test_global_average_pooling1d_with_a_mask(init_kwargs, input_shape):
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    run_layer_test("GlobalAveragePooling1D", init_kwargs, input_shape=input_shape,
                   call_kwargs={"mask": mask}, supports_masking=True)


def test_global_average_pooling1d_averages_only_unmasked_steps():
    data = np.arange(12, dtype="float32").reshape((2, 3, 2))
    mask = np.array([[True, True, False], [True, False, False]])
    out = layers.GlobalAveragePooling1D()(data, mask=mask)
    np.testing.assert_allclose(out, [[1.0, 2.0], [6.0, 7.0]])


def test_global_average_pooling1d_uses_the_embedding_mask_in_a_model():
    keras = keras_oracle()
    tokens = np.array([[3, 1, 0, 0], [2, 2, 2, 0]])
    inputs = workbench.Input((4,), dtype="int32")
    pooled = layers.GlobalAveragePooling1D()(layers.Embedding(5, 3, mask_zero=True)(inputs))
    model = workbench.Model(inputs, pooled)
    k_inputs = keras.Input((4,), dtype="int32")
    k_pooled = keras.layers.GlobalAveragePooling1D()(
        keras.layers.Embedding(5, 3, mask_zero=True)(k_inputs))
    k_model = keras.Model(k_inputs, k_pooled)
    k_model.set_weights(model.get_weights())
    assert_close(model(tokens), k_model(tokens))


@pytest.mark.filterwarnings("ignore:.*does not support masking")
def test_global_max_pooling1d_ignores_masks_as_keras_does():
    keras = keras_oracle()
    tokens = np.array([[3, 1, 0, 0], [2, 4, 0, 0]])
    embedding = layers.Embedding(5, 3, mask_zero=True)
    out = layers.GlobalMaxPooling1D()(embedding(tokens))
    k_embedding = keras.layers.Embedding(5, 3, mask_zero=True)
    k_embedding.build()
    k_embedding.set_weights(embedding.get_weights())
    assert_close(out, keras.layers.GlobalMaxPooling1D()(k_embedding(tokens)))


def test_global_pooling_drops_the_mask():
    data = workbench.KerasTensor((None, 4, 3))
    masked = layers.Masking()(data)
    assert workbench.backend.tensor_attributes.get_mask(
        layers.GlobalAveragePooling1D()(masked)) is None


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected", [
    ("AdaptiveMaxPooling1D", {"output_size": 3}, (2, 7, 2), (2, 3, 2)),
    ("AdaptiveAveragePooling1D", {"output_size": 4, "data_format": "channels_first"},
     (2, 2, 10), (2, 2, 4)),
    ("AdaptiveMaxPooling2D", {"output_size": (2, 3)}, (2, 5, 7, 2), (2, 2, 3, 2)),
    ("AdaptiveAveragePooling2D", {"output_size": 3}, (2, 7, 6, 2), (2, 3, 3, 2)),
    ("AdaptiveMaxPooling3D", {"output_size": 2, "data_format": "channels_first"},
     (1, 2, 5, 4, 3), (1, 2, 2, 2, 2)),
    ("AdaptiveAveragePooling3D", {"output_size": (1, 2, 3)}, (1, 3, 4, 5, 2), (1, 1, 2, 3, 2)),
])
def test_adaptive_pooling(layer_name, init_kwargs, input_shape, expected):
    run_layer_test(layer_name, init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=0)


def test_adaptive_pooling_output_size_does_not_depend_on_the_input_size():
    layer = layers.AdaptiveAveragePooling2D(4)
    assert layer(np.ones((1, 9, 13, 2), "float32")).shape == (1, 4, 4, 2)
    assert layer(np.ones((1, 32, 5, 2), "float32")).shape == (1, 4, 4, 2)
    assert layer(workbench.KerasTensor((None, None, None, 2))).shape == (None, 4, 4, 2)


def test_pooling_symbolic_shapes_with_unknown_sizes():
    assert layers.MaxPooling2D()(workbench.KerasTensor((None, None, 6, 3))).shape == (None, None, 3, 3)
    assert layers.GlobalAveragePooling2D()(workbench.KerasTensor((None, None, None, 3))).shape == (None, 3)


def test_max_pooling_keeps_integer_dtype():
    data = np.arange(8, dtype="int32").reshape((1, 4, 2))
    out = layers.MaxPooling1D()(data)
    assert workbench.backend.standardize_dtype(out.dtype) == "int32"
    np.testing.assert_array_equal(out, [[[2, 3], [6, 7]]])


def test_aliases_name_the_same_classes():
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.AvgPool1D is layers.AveragePooling1D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert workbench.saving.serialize_keras_object(layers.AvgPool2D(2))["class_name"] == "AveragePooling2D"


@pytest.mark.parametrize("make, match", [
    (lambda: layers.MaxPooling2D(pool_size=0), "pool_size=0"),
    (lambda: layers.MaxPooling2D(pool_size=(2, 2, 2)), r"pool_size=\(2, 2, 2\)"),
    (lambda: layers.AveragePooling1D(2, strides=-1), "strides=-1"),
    (lambda: layers.MaxPooling1D(padding="full"), "padding='full'"),
    (lambda: layers.MaxPooling1D(padding="causal"), "padding='causal'"),
    (lambda: layers.GlobalAveragePooling2D(data_format="channels_middle"), "channels_middle"),
    (lambda: layers.AdaptiveMaxPooling2D(output_size=0), "output_size=0"),
    (lambda: layers.AdaptiveAveragePooling1D(output_size=(2, 2)), r"output_size=\(2, 2\)"),
])
def test_bad_arguments_raise_with_the_received_value(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_wrong_rank_input_raises():
    with pytest.raises(ValueError, match="ndim=4"):
        layers.MaxPooling2D()(np.ones((2, 4, 3), "float32"))


@pytest.mark.parametrize("layer", [
    lambda: layers.MaxPooling2D(),
    lambda: layers.AveragePooling2D(3, strides=1, padding="same"),
    lambda: layers.AdaptiveMaxPooling2D(2),
    lambda: layers.GlobalMaxPooling2D(),
])
def test_input_gradients_flow_through_pooling_under_jit(layer):
    import jax

    pool = layer()
    data = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype("float32")
    grads = jax.jit(jax.grad(lambda x: pool.stateless_call([], [], x)[0].sum()))(data)
    assert grads.shape == data.shape and np.isfinite(np.asarray(grads)).all()


POOLING_LAYERS = {
    "MaxPooling1D": {"pool_size": 3, "strides": 1, "padding": "same"},
    "MaxPooling2D": {"pool_size": (2, 3), "data_format": "channels_first"},
    "MaxPooling3D": {"strides": 1},
    "AveragePooling1D": {"pool_size": 2, "data_format": "channels_first"},
    "AveragePooling2D": {"pool_size": 3, "strides": (1, 2), "padding": "same"},
    "AveragePooling3D": {"pool_size": (1, 2, 2)},
    "GlobalMaxPooling1D": {"keepdims": True},
    "GlobalMaxPooling2D": {"data_format": "channels_first"},
    "GlobalMaxPooling3D": {},
    "GlobalAveragePooling1D": {"data_format": "channels_first", "keepdims": True},
    "GlobalAveragePooling2D": {"keepdims": True},
    "GlobalAveragePooling3D": {},
    "AdaptiveMaxPooling1D": {"output_size": 4},
    "AdaptiveMaxPooling2D": {"output_size": (2, 3), "data_format": "channels_first"},
    "AdaptiveMaxPooling3D": {"output_size": 2},
    "AdaptiveAveragePooling1D": {"output_size": 4, "data_format": "channels_first"},
    "AdaptiveAveragePooling2D": {"output_size": 3},
    "AdaptiveAveragePooling3D": {"output_size": (1, 2, 3)},
}
POOLING_ALIASES = {
    **{f"MaxPool{n}D": f"MaxPooling{n}D" for n in (1, 2, 3)},
    **{f"AvgPool{n}D": f"AveragePooling{n}D" for n in (1, 2, 3)},
    **{f"GlobalMaxPool{n}D": f"GlobalMaxPooling{n}D" for n in (1, 2, 3)},
    **{f"GlobalAvgPool{n}D": f"GlobalAveragePooling{n}D" for n in (1, 2, 3)},
}


def _signature(cls):
    import inspect

    return [(p.name, p.default) for p in inspect.signature(cls.__init__).parameters.values()
            if p.name != "self"]


@pytest.mark.parametrize("name", sorted(POOLING_LAYERS) + sorted(POOLING_ALIASES))
def test_names_and_constructor_arguments_match_keras(name):
    keras = keras_oracle()
    ours, theirs = getattr(layers, name), getattr(keras.layers, name)
    canonical = POOLING_ALIASES.get(name, name)
    assert ours is getattr(layers, canonical) and theirs is getattr(keras.layers, canonical)
    assert workbench.api_export.get_name_for_object(ours) == f"keras.layers.{canonical}"
    assert _signature(ours) == _signature(theirs)


@pytest.mark.parametrize("name", sorted(POOLING_LAYERS))
def test_keras_configs_load_and_write_back_unchanged(name):
    import json

    keras = keras_oracle()
    keras_layer = getattr(keras.layers, name)(**POOLING_LAYERS[name])
    ours = layers.deserialize(json.loads(json.dumps(keras.layers.serialize(keras_layer))))
    assert type(ours) is getattr(layers, name)
    assert json.loads(json.dumps(ours.get_config())) == json.loads(json.dumps(keras_layer.get_config()))
