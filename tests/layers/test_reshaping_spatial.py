import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected", [
    ("Cropping1D", {}, (2, 6, 3), (2, 4, 3)),
    ("Cropping1D", {"cropping": (0, 2)}, (2, 6, 3), (2, 4, 3)),
    ("Cropping2D", {}, (2, 5, 4, 3), (2, 5, 4, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (2, 5, 4, 3), (2, 4, 1, 3)),
    ("Cropping2D", {"cropping": (1, 2), "data_format": "channels_first"}, (2, 3, 5, 6), (2, 3, 3, 2)),
    ("Cropping3D", {}, (1, 4, 5, 3, 2), (1, 2, 3, 1, 2)),
    ("Cropping3D", {"cropping": ((0, 1), 1, (2, 0)), "data_format": "channels_first"},
     (1, 2, 4, 5, 3), (1, 2, 3, 3, 1)),
])
def test_cropping(layer_name, init_kwargs, input_shape, expected):
    run_layer_test(layer_name, init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=0)


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected", [
    ("ZeroPadding1D", {}, (2, 4, 3), (2, 6, 3)),
    ("ZeroPadding1D", {"padding": (0, 3), "data_format": "channels_first"}, (2, 3, 4), (2, 3, 7)),
    ("ZeroPadding2D", {}, (2, 3, 4, 2), (2, 5, 6, 2)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}, (2, 3, 4, 2), (2, 4, 9, 2)),
    ("ZeroPadding2D", {"padding": 2, "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 7, 8)),
    ("ZeroPadding3D", {}, (1, 2, 3, 2, 2), (1, 4, 5, 4, 2)),
    ("ZeroPadding3D", {"padding": (1, (0, 2), 0), "data_format": "channels_first"},
     (1, 2, 2, 3, 2), (1, 2, 4, 5, 2)),
])
def test_zero_padding(layer_name, init_kwargs, input_shape, expected):
    run_layer_test(layer_name, init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=0)


@pytest.mark.parametrize("layer_name, init_kwargs, input_shape, expected", [
    ("UpSampling1D", {}, (2, 3, 4), (2, 6, 4)),
    ("UpSampling1D", {"size": 3}, (2, 3, 4), (2, 9, 4)),
    ("UpSampling2D", {}, (2, 3, 4, 2), (2, 6, 8, 2)),
    ("UpSampling2D", {"size": (1, 3), "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 3, 12)),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear"}, (2, 3, 4, 2), (2, 6, 8, 2)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bicubic", "data_format": "channels_first"},
     (2, 2, 3, 4), (2, 2, 6, 12)),
    ("UpSampling3D", {}, (1, 2, 3, 2, 2), (1, 4, 6, 4, 2)),
    ("UpSampling3D", {"size": (1, 2, 3), "data_format": "channels_first"},
     (1, 2, 2, 3, 2), (1, 2, 2, 6, 6)),
])
def test_up_sampling(layer_name, init_kwargs, input_shape, expected):
    run_layer_test(layer_name, init_kwargs, input_shape=input_shape, expected_output_shape=expected,
                   expected_num_trainable_weights=0, rtol=1e-5, atol=1e-5)


def test_nearest_up_sampling_repeats_each_pixel():
    data = np.arange(4, dtype="float32").reshape((1, 2, 2, 1))
    out = layers.UpSampling2D(size=(2, 1))(data)
    np.testing.assert_array_equal(out[0, :, :, 0], [[0, 1], [0, 1], [2, 3], [2, 3]])


def test_zero_padding_then_cropping_round_trips():
    data = np.random.default_rng(0).normal(size=(2, 3, 4, 5, 2)).astype("float32")
    padded = layers.ZeroPadding3D(((1, 2), (0, 1), (3, 0)))(data)
    np.testing.assert_array_equal(layers.Cropping3D(((1, 2), (0, 1), (3, 0)))(padded), data)
    assert float(np.abs(np.asarray(padded)).sum()) == pytest.approx(float(np.abs(data).sum()), rel=1e-5)


def test_config_normalizes_arguments_like_keras():
    keras = keras_oracle()
    for name, kwargs in [("Cropping2D", {"cropping": 3}), ("Cropping3D", {"cropping": (1, 2, 3)}),
                         ("ZeroPadding1D", {"padding": 2}), ("ZeroPadding2D", {"padding": (1, 2)}),
                         ("UpSampling2D", {"size": 3, "interpolation": "BILINEAR"}),
                         ("UpSampling3D", {"size": 2})]:
        ours = getattr(layers, name)(**kwargs).get_config()
        theirs = getattr(keras.layers, name)(**kwargs).get_config()
        for key in ("cropping", "padding", "size", "interpolation"):
            if key in theirs:
                assert ours[key] == theirs[key], (name, key)


def test_symbolic_shapes_keep_unknown_sizes():
    assert layers.ZeroPadding2D(1)(workbench.KerasTensor((None, None, 4, 3))).shape == (None, None, 6, 3)
    assert layers.Cropping1D(1)(workbench.KerasTensor((None, None, 3))).shape == (None, None, 3)
    assert layers.UpSampling2D(2)(workbench.KerasTensor((None, 3, None, 2))).shape == (None, 6, None, 2)


@pytest.mark.parametrize("make, match", [
    (lambda: layers.Cropping1D(cropping=-1), "cropping=-1"),
    (lambda: layers.Cropping2D(cropping=(1, 2, 3)), r"cropping=\(1, 2, 3\)"),
    (lambda: layers.Cropping3D(cropping=((1, 2, 3), 1, 1)), "cropping="),
    (lambda: layers.ZeroPadding2D(padding="same"), "padding='same'"),
    (lambda: layers.ZeroPadding3D(padding=(1, 1)), r"padding=\(1, 1\)"),
    (lambda: layers.UpSampling1D(size=0), "size=0"),
    (lambda: layers.UpSampling2D(size=(2, 0)), r"size=\(2, 0\)"),
    (lambda: layers.UpSampling2D(interpolation="area"), "interpolation='area'"),
    (lambda: layers.UpSampling3D(data_format="channels_middle"), "channels_middle"),
])
def test_bad_arguments_raise_with_the_received_value(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_cropping_everything_raises():
    with pytest.raises(ValueError, match="cropping"):
        layers.Cropping2D(((2, 2), (0, 0)))(np.ones((1, 4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="cropping"):
        layers.Cropping1D((3, 3))(workbench.KerasTensor((None, 5, 2)))


SPATIAL_LAYERS = {
    "Cropping1D": {"cropping": 2},
    "Cropping2D": {"cropping": (1, (2, 0)), "data_format": "channels_first"},
    "Cropping3D": {"cropping": 1},
    "UpSampling1D": {"size": 3},
    "UpSampling2D": {"size": (2, 3), "interpolation": "bilinear"},
    "UpSampling3D": {"size": 2, "data_format": "channels_first"},
    "ZeroPadding1D": {"padding": (0, 2)},
    "ZeroPadding2D": {"padding": 2, "data_format": "channels_first"},
    "ZeroPadding3D": {"padding": (1, 2, (0, 3))},
}


@pytest.mark.parametrize("name", sorted(SPATIAL_LAYERS))
def test_names_and_constructor_arguments_match_keras(name):
    import inspect

    keras = keras_oracle()

    def signature(cls):
        return [(p.name, p.default) for p in inspect.signature(cls.__init__).parameters.values()
                if p.name != "self"]

    ours = getattr(layers, name)
    assert workbench.api_export.get_name_for_object(ours) == f"keras.layers.{name}"
    assert signature(ours) == signature(getattr(keras.layers, name))


@pytest.mark.parametrize("name", sorted(SPATIAL_LAYERS))
def test_keras_configs_load_and_write_back_unchanged(name):
    import json

    keras = keras_oracle()
    keras_layer = getattr(keras.layers, name)(**SPATIAL_LAYERS[name])
    ours = layers.deserialize(json.loads(json.dumps(keras.layers.serialize(keras_layer))))
    assert type(ours) is getattr(layers, name)
    assert json.loads(json.dumps(ours.get_config())) == json.loads(json.dumps(keras_layer.get_config()))
