import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import assert_close, keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 5, "kernel_size": 3}, (2, 8, 4), (2, 6, 5)),
    ({"filters": 5, "kernel_size": 3, "padding": "same", "strides": 2}, (2, 9, 4), (2, 5, 5)),
    ({"filters": 5, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 8, 4), (2, 8, 5)),
    ({"filters": 6, "kernel_size": 2, "groups": 2, "activation": "relu"}, (2, 8, 4), (2, 7, 6)),
    ({"filters": 5, "kernel_size": 3, "data_format": "channels_first", "use_bias": False},
     (2, 4, 8), (2, 5, 6)),
    ({"filters": 5, "kernel_size": 3, "padding": "causal", "strides": 2,
      "data_format": "channels_first"}, (2, 4, 9), (2, 5, 5)),
])
def test_conv1d(init_kwargs, input_shape, expected):
    run_layer_test("Conv1D", init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=1 + init_kwargs.get("use_bias", True))


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 4, "kernel_size": 3}, (2, 7, 6, 3), (2, 5, 4, 4)),
    ({"filters": 4, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"},
     (2, 7, 6, 3), (2, 4, 6, 4)),
    ({"filters": 4, "kernel_size": 3, "dilation_rate": (2, 1)}, (2, 7, 6, 3), (2, 3, 4, 4)),
    ({"filters": 4, "kernel_size": 3, "groups": 2, "padding": "same"}, (2, 5, 5, 6), (2, 5, 5, 4)),
    ({"filters": 4, "kernel_size": 3, "strides": 2, "data_format": "channels_first",
      "activation": "tanh"}, (2, 3, 7, 6), (2, 4, 3, 2)),
])
def test_conv2d(init_kwargs, input_shape, expected):
    run_layer_test("Conv2D", init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 3, "kernel_size": 2}, (2, 4, 5, 3, 2), (2, 3, 4, 2, 3)),
    ({"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "groups": 2},
     (1, 5, 4, 3, 2), (1, 3, 2, 2, 4)),
    ({"filters": 3, "kernel_size": 2, "data_format": "channels_first"},
     (1, 2, 4, 5, 3), (1, 3, 3, 4, 2)),
])
def test_conv3d(init_kwargs, input_shape, expected):
    run_layer_test("Conv3D", init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 3, "kernel_size": 3}, (2, 5, 4), (2, 7, 3)),
    ({"filters": 3, "kernel_size": 3, "strides": 2}, (2, 5, 4), (2, 11, 3)),
    ({"filters": 3, "kernel_size": 2, "strides": 3}, (2, 5, 4), (2, 15, 3)),
    ({"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"}, (2, 5, 4), (2, 10, 3)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1}, (2, 5, 4), (2, 12, 3)),
    ({"filters": 3, "kernel_size": 3, "strides": 3, "padding": "same", "output_padding": 2},
     (2, 5, 4), (2, 15, 3)),
    ({"filters": 3, "kernel_size": 3, "dilation_rate": 2}, (2, 5, 4), (2, 9, 3)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
     (2, 4, 5), (2, 3, 11)),
])
def test_conv1d_transpose(init_kwargs, input_shape, expected):
    run_layer_test("Conv1DTranspose", init_kwargs, input_shape=input_shape,
                   expected_output_shape=expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 3, "kernel_size": 3, "strides": 2}, (2, 4, 5, 2), (2, 9, 11, 3)),
    ({"filters": 3, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"},
     (2, 4, 5, 2), (2, 8, 5, 3)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": (1, 0)},
     (2, 4, 5, 2), (2, 10, 11, 3)),
    ({"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first",
      "use_bias": False}, (2, 2, 4, 5), (2, 3, 8, 10)),
])
def test_conv2d_transpose(init_kwargs, input_shape, expected):
    run_layer_test("Conv2DTranspose", init_kwargs, input_shape=input_shape,
                   expected_output_shape=expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 2, "kernel_size": 2, "strides": 2}, (1, 2, 3, 2, 3), (1, 4, 6, 4, 2)),
    ({"filters": 2, "kernel_size": 3, "padding": "same", "data_format": "channels_first"},
     (1, 3, 2, 3, 2), (1, 2, 2, 3, 2)),
])
def test_conv3d_transpose(init_kwargs, input_shape, expected):
    run_layer_test("Conv3DTranspose", init_kwargs, input_shape=input_shape,
                   expected_output_shape=expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 4, "kernel_size": 3}, (2, 8, 3), (2, 6, 4)),
    ({"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
     (2, 8, 3), (2, 4, 4)),
    ({"filters": 4, "kernel_size": 3, "dilation_rate": 2, "data_format": "channels_first"},
     (2, 3, 8), (2, 4, 4)),
])
def test_separable_conv1d(init_kwargs, input_shape, expected):
    layer = run_layer_test("SeparableConv1D", init_kwargs, input_shape=input_shape,
                           expected_output_shape=expected, expected_num_trainable_weights=3,
                           rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"filters": 4, "kernel_size": 3}, (2, 6, 5, 3), (2, 4, 3, 4)),
    ({"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
     (2, 6, 5, 3), (2, 3, 3, 4)),
    ({"filters": 4, "kernel_size": 2, "data_format": "channels_first", "use_bias": False},
     (2, 3, 6, 5), (2, 4, 5, 4)),
])
def test_separable_conv2d(init_kwargs, input_shape, expected):
    run_layer_test("SeparableConv2D", init_kwargs, input_shape=input_shape,
                   expected_output_shape=expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"kernel_size": 3}, (2, 8, 3), (2, 6, 3)),
    ({"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 8, 3), (2, 4, 6)),
    ({"kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"}, (2, 3, 8), (2, 3, 6)),
])
def test_depthwise_conv1d(init_kwargs, input_shape, expected):
    layer = run_layer_test("DepthwiseConv1D", init_kwargs, input_shape=input_shape,
                           expected_output_shape=expected, rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["kernel", "bias"]


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"kernel_size": 3}, (2, 6, 5, 3), (2, 4, 3, 3)),
    ({"kernel_size": 3, "depth_multiplier": 3, "strides": 2, "padding": "same"},
     (2, 6, 5, 2), (2, 3, 3, 6)),
    ({"kernel_size": 2, "data_format": "channels_first", "use_bias": False}, (2, 3, 6, 5), (2, 3, 5, 4)),
])
def test_depthwise_conv2d(init_kwargs, input_shape, expected):
    run_layer_test("DepthwiseConv2D", init_kwargs, input_shape=input_shape,
                   expected_output_shape=expected, rtol=1e-4, atol=1e-5)


def test_conv2d_with_regularizers_and_constraints():
    layer = run_layer_test("Conv2D", {
        "filters": 3, "kernel_size": 2, "kernel_regularizer": "l2", "bias_regularizer": "l1",
        "activity_regularizer": "l2", "kernel_constraint": "max_norm", "bias_constraint": "non_neg",
        "kernel_initializer": "he_normal", "bias_initializer": "ones",
    }, input_shape=(2, 4, 4, 2), expected_output_shape=(2, 3, 3, 3))
    assert len(layer.losses) == 3
    config = layer.get_config()
    assert config["kernel_regularizer"]["class_name"] == "L2"
    assert config["bias_constraint"]["class_name"] == "NonNeg"


def test_causal_conv1d_never_sees_the_future():
    layer = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    data = np.random.default_rng(0).normal(size=(1, 10, 3)).astype("float32")
    changed = data.copy()
    changed[:, 6:] += 1.0
    np.testing.assert_allclose(layer(data)[:, :6], layer(changed)[:, :6], rtol=1e-6)


def test_grouped_conv_matches_one_conv_per_group():
    layer = layers.Conv2D(4, 3, groups=2, use_bias=False)
    data = np.random.default_rng(0).normal(size=(1, 5, 5, 6)).astype("float32")
    out = np.asarray(layer(data))
    kernel = np.asarray(layer.kernel.value)
    for g in range(2):
        single = layers.Conv2D(2, 3, use_bias=False)
        single.build((None, 5, 5, 3))
        single.kernel.assign(kernel[..., 2 * g:2 * g + 2])
        np.testing.assert_allclose(out[..., 2 * g:2 * g + 2], single(data[..., 3 * g:3 * g + 3]),
                                   rtol=1e-5, atol=1e-5)


def test_conv_symbolic_shapes_with_unknown_spatial_sizes():
    assert layers.Conv2D(4, 3)(workbench.KerasTensor((None, None, 8, 3))).shape == (None, None, 6, 4)
    out = layers.Conv2DTranspose(4, 3, strides=2)(workbench.KerasTensor((None, 5, None, 3)))
    assert out.shape == (None, 11, None, 4)
    assert layers.DepthwiseConv2D(3, depth_multiplier=2)(
        workbench.KerasTensor((None, 6, 6, 3))).shape == (None, 4, 4, 6)


@pytest.mark.parametrize("layer_name, init_kwargs", [
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}),
    ("Conv1DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2, "output_padding": 1,
                         "padding": "same"}),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 3, "padding": "same"}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}),
])
def test_compute_output_shape_matches_keras(layer_name, init_kwargs):
    keras = keras_oracle()
    shape = (2, 9, 3) if "1D" in layer_name else (2, 9, 8, 3)
    ours = getattr(layers, layer_name)(**init_kwargs).compute_output_shape(shape)
    theirs = getattr(keras.layers, layer_name)(**init_kwargs).compute_output_shape(shape)
    assert tuple(ours) == tuple(theirs)


def test_conv_in_a_functional_model_trains_like_keras_weights():
    keras = keras_oracle()
    inputs = workbench.Input((8, 8, 3))
    x = layers.Conv2D(4, 3, activation="relu")(inputs)
    x = layers.SeparableConv2D(2, 3, padding="same")(x)
    model = workbench.Model(inputs, x)
    k_inputs = keras.Input((8, 8, 3))
    k_x = keras.layers.Conv2D(4, 3, activation="relu")(k_inputs)
    k_model = keras.Model(k_inputs, keras.layers.SeparableConv2D(2, 3, padding="same")(k_x))
    k_model.set_weights(model.get_weights())
    data = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
    assert_close(model(data), k_model(data), rtol=1e-4, atol=1e-5)


def test_aliases_name_the_same_classes():
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
    assert workbench.saving.serialize_keras_object(layers.Convolution1D(2, 3))["class_name"] == "Conv1D"


@pytest.mark.parametrize("make, match", [
    (lambda: layers.Conv2D(filters=0, kernel_size=3), "filters=0"),
    (lambda: layers.Conv2D(filters=4, kernel_size=3, padding="full"), "padding='full'"),
    (lambda: layers.Conv2D(filters=4, kernel_size=3, padding="causal"), "padding='causal'"),
    (lambda: layers.Conv2D(filters=4, kernel_size=0), "kernel_size=0"),
    (lambda: layers.Conv2D(filters=4, kernel_size=(3, 3, 3)), r"kernel_size=\(3, 3, 3\)"),
    (lambda: layers.Conv2D(filters=4, kernel_size=3, strides=(1, 0)), r"strides=\(1, 0\)"),
    (lambda: layers.Conv2D(filters=5, kernel_size=3, groups=2), "groups=2"),
    (lambda: layers.Conv2D(filters=4, kernel_size=3, groups=0), "groups=0"),
    (lambda: layers.Conv1D(4, 3, strides=2, dilation_rate=2), "dilation_rate"),
    (lambda: layers.Conv2D(4, 3, data_format="channels_middle"), "channels_middle"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: layers.SeparableConv2D(4, 3, depth_multiplier=0), "depth_multiplier=0"),
    (lambda: layers.DepthwiseConv2D(3, padding="causal"), "padding='causal'"),
])
def test_bad_arguments_raise_with_the_received_value(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_groups_must_divide_the_input_channels():
    with pytest.raises(ValueError, match="groups=2"):
        layers.Conv2D(4, 3, groups=2)(np.ones((1, 5, 5, 3), "float32"))


def test_valid_conv_of_a_too_small_input_raises():
    with pytest.raises(ValueError, match="negative"):
        layers.Conv2D(4, 5)(np.ones((1, 3, 3, 2), "float32"))


def test_unknown_channels_raise_a_clear_error():
    with pytest.raises(ValueError, match="channel"):
        layers.Conv1D(4, 3)(workbench.KerasTensor((None, 8, None)))


def test_keras_loads_a_saved_conv_model_with_identical_outputs(tmp_path):
    keras = keras_oracle()
    inputs = workbench.Input((9, 9, 3))
    x = layers.Conv2D(4, 3, strides=2, padding="same", groups=1, activation="relu")(inputs)
    x = layers.DepthwiseConv2D(3, depth_multiplier=2, data_format="channels_last")(x)
    x = layers.Conv2DTranspose(2, 3, strides=2, output_padding=1)(x)
    model = workbench.Model(inputs, layers.SeparableConv2D(3, 2)(x))
    path = str(tmp_path / "conv.keras")
    model.save(path)
    data = np.random.default_rng(0).normal(size=(2, 9, 9, 3)).astype("float32")
    assert_close(model(data), keras.saving.load_model(path)(data), rtol=1e-4, atol=1e-5)


CONV_LAYERS = {
    "Conv1D": {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2,
               "activation": "relu", "kernel_regularizer": "l2"},
    "Conv2D": {"filters": 4, "kernel_size": (3, 2), "strides": 2, "groups": 2,
               "data_format": "channels_first", "use_bias": False},
    "Conv3D": {"filters": 4, "kernel_size": 2, "padding": "same", "bias_constraint": "non_neg"},
    "Conv1DTranspose": {"filters": 4, "kernel_size": 3, "strides": 2, "output_padding": 1},
    "Conv2DTranspose": {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    "Conv3DTranspose": {"filters": 4, "kernel_size": 2, "strides": (2, 1, 2),
                        "output_padding": (1, 0, 0), "data_format": "channels_first"},
    "SeparableConv1D": {"filters": 4, "kernel_size": 3, "depth_multiplier": 2,
                        "pointwise_regularizer": "l1"},
    "SeparableConv2D": {"filters": 4, "kernel_size": 3, "strides": 2, "activation": "tanh"},
    "DepthwiseConv1D": {"kernel_size": 3, "depth_multiplier": 3, "depthwise_constraint": "max_norm"},
    "DepthwiseConv2D": {"kernel_size": (2, 3), "padding": "same", "bias_initializer": "ones"},
}
CONV_ALIASES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose", "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose", "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D",
}


def _signature(cls):
    import inspect

    return [(p.name, p.default) for p in inspect.signature(cls.__init__).parameters.values()
            if p.name != "self"]


@pytest.mark.parametrize("name", sorted(CONV_LAYERS) + sorted(CONV_ALIASES))
def test_names_and_constructor_arguments_match_keras(name):
    keras = keras_oracle()
    ours, theirs = getattr(layers, name), getattr(keras.layers, name)
    canonical = CONV_ALIASES.get(name, name)
    assert ours is getattr(layers, canonical) and theirs is getattr(keras.layers, canonical)
    assert workbench.api_export.get_name_for_object(ours) == f"keras.layers.{canonical}"
    assert _signature(ours) == _signature(theirs)


@pytest.mark.parametrize("name", sorted(CONV_LAYERS))
def test_keras_configs_load_and_write_back_unchanged(name):
    import json

    keras = keras_oracle()
    keras_layer = getattr(keras.layers, name)(**CONV_LAYERS[name])
    ours = layers.deserialize(json.loads(json.dumps(keras.layers.serialize(keras_layer))))
    assert type(ours) is getattr(layers, name)
    assert json.loads(json.dumps(ours.get_config())) == json.loads(json.dumps(keras_layer.get_config()))
