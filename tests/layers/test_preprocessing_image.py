"""Image preprocessing layers and Pipeline: parity with real Keras (deterministic layers, and
the random layers in inference and, with the same seeds, in training), and their properties."""

import jax
import numpy as np
import pytest

import workbench
from tests.layer_test import keras_oracle, run_layer_test

layers = workbench.layers
RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(3, 9, 11, 2)).astype("float32")

RANDOM_LAYERS = [
    ("RandomFlip", {"seed": 5}),
    ("RandomFlip", {"mode": "horizontal", "seed": 5}),
    ("RandomFlip", {"mode": "vertical", "seed": 7}),
    ("RandomRotation", {"factor": 0.2, "seed": 3}),
    ("RandomRotation", {"factor": (-0.3, 0.1), "fill_mode": "constant", "interpolation": "nearest",
                        "fill_value": 2.0, "seed": 3}),
    ("RandomZoom", {"height_factor": 0.3, "seed": 4}),
    ("RandomZoom", {"height_factor": (-0.2, 0.3), "width_factor": 0.4, "fill_mode": "wrap", "seed": 4}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": (-0.1, 0.3), "seed": 9}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2, "fill_mode": "nearest", "seed": 9}),
    ("RandomContrast", {"factor": 0.5, "seed": 2}),
    ("RandomContrast", {"factor": (0.2, 0.5), "value_range": (0, 100), "seed": 2}),
    ("RandomBrightness", {"factor": 0.3, "seed": 1}),
    ("RandomCrop", {"height": 4, "width": 5, "seed": 8}),
    ("RandomCrop", {"height": 12, "width": 5, "seed": 8}),
]
DETERMINISTIC_LAYERS = [
    ("Resizing", {"height": 4, "width": 5}),
    ("Resizing", {"height": 6, "width": 4, "interpolation": "bicubic", "crop_to_aspect_ratio": True}),
    ("Resizing", {"height": 5, "width": 5, "interpolation": "nearest", "pad_to_aspect_ratio": True,
                  "fill_value": 1.0}),
    ("Resizing", {"height": 4, "width": 4, "interpolation": "lanczos3", "antialias": True}),
    ("CenterCrop", {"height": 4, "width": 5}),
    ("CenterCrop", {"height": 12, "width": 5}),
]


def assert_array(actual, expected, rtol=1e-5, atol=1e-4):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol)


# -- parity with Keras ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name,init_kwargs", DETERMINISTIC_LAYERS)
def test_deterministic_layers_match_keras(name, init_kwargs):
    output_shape = workbench.layers.deserialize({"class_name": name, "config": init_kwargs}).compute_output_shape(IMAGES.shape)
    run_layer_test(name, init_kwargs=init_kwargs, input_data=IMAGES, expected_output_shape=output_shape,
                   rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("name,init_kwargs", RANDOM_LAYERS)
def test_random_layers_are_identity_in_inference_like_keras(name, init_kwargs):
    layer = run_layer_test(name, init_kwargs=init_kwargs, input_data=IMAGES, call_kwargs={"training": False},
                           expected_output_shape=IMAGES.shape)
    assert_array(layer(IMAGES, training=False), IMAGES)


@pytest.mark.parametrize("name,init_kwargs", RANDOM_LAYERS + DETERMINISTIC_LAYERS)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_layers_in_training_match_keras_with_the_same_seed(name, init_kwargs, data_format):
    keras = keras_oracle()
    images = IMAGES
    if data_format == "channels_first":
        if name in ("RandomContrast", "RandomBrightness"):
            pytest.skip("no data_format argument")
        init_kwargs = {**init_kwargs, "data_format": data_format}
        images = np.transpose(IMAGES, (0, 3, 1, 2))
    ours, theirs = getattr(layers, name)(**init_kwargs), getattr(keras.layers, name)(**init_kwargs)
    for _ in range(2):  # successive calls draw successive seeds
        for batch in (images, images[0]):
            assert_array(ours(batch, training=True), theirs(batch, training=True))
    ours_config = {k: v for k, v in ours.get_config().items() if k != "name"}
    theirs_config = {k: v for k, v in theirs.get_config().items() if k != "name"}
    assert ours_config == theirs_config


def test_random_layers_give_keras_results_inside_jit():
    keras = keras_oracle()
    layer = layers.RandomRotation(0.25, seed=11)
    expected = keras.layers.RandomRotation(0.25, seed=11)(IMAGES, training=True)

    @jax.jit
    def augment(state, images):
        return layer.stateless_call([], state, images, training=True)

    outputs, new_state = augment([v.value for v in layer.non_trainable_variables], IMAGES)
    assert_array(outputs, expected)
    assert not np.array_equal(np.asarray(new_state[0]), np.asarray(layer.generator.state.value))


# -- properties --------------------------------------------------------------------------------------
def test_random_flip_outputs_are_exact_flips():
    images = np.arange(8 * 4 * 5 * 1, dtype="float32").reshape(8, 4, 5, 1)
    for mode, flip in (("horizontal", lambda x: x[:, ::-1]), ("vertical", lambda x: x[::-1]),
                       ("horizontal_and_vertical", lambda x: x[::-1, ::-1])):
        outputs = np.asarray(layers.RandomFlip(mode, seed=3)(images, training=True))
        flipped = [np.array_equal(out, flip(image)) for out, image in zip(outputs, images)]
        kept = [np.array_equal(out, image) for out, image in zip(outputs, images)]
        assert all(f or k for f, k in zip(flipped, kept)) and any(flipped) and any(kept), mode


@pytest.mark.parametrize("name,init_kwargs", [
    ("RandomRotation", {"factor": 0.0}), ("RandomZoom", {"height_factor": 0.0}),
    ("RandomTranslation", {"height_factor": 0.0, "width_factor": 0.0}), ("RandomContrast", {"factor": 0.0}),
    ("RandomBrightness", {"factor": 0.0}), ("RandomCrop", {"height": 9, "width": 11}),
])
def test_zero_factor_is_identity_in_training(name, init_kwargs):
    assert_array(getattr(layers, name)(**init_kwargs, seed=1)(IMAGES, training=True), IMAGES, atol=1e-3)


def test_color_layers_stay_in_the_value_range():
    images = RNG.uniform(0, 1, size=(16, 4, 4, 3)).astype("float32")
    contrast = np.asarray(layers.RandomContrast(0.9, value_range=(0, 1), seed=2)(images, training=True))
    brightness = np.asarray(layers.RandomBrightness(0.9, value_range=(0, 1), seed=2)(images, training=True))
    for outputs in (contrast, brightness):
        assert outputs.min() >= 0 and outputs.max() <= 1 and not np.allclose(outputs, images)
    shifts = (brightness - images).reshape(16, -1)
    unclipped = (brightness > 0) & (brightness < 1)
    per_image = [np.unique(np.round(s[u.reshape(-1)], 5)) for s, u in zip(shifts, unclipped.reshape(16, -1))]
    assert all(len(values) <= 1 for values in per_image)  # one offset per image
    integers = layers.RandomBrightness(0.5, seed=4)(images.astype("uint8") * 200, training=True)
    assert integers.dtype == np.uint8


def test_random_crop_takes_a_window_of_the_input():
    images = np.arange(2 * 9 * 11 * 1, dtype="float32").reshape(2, 9, 11, 1)
    outputs = np.asarray(layers.RandomCrop(4, 5, seed=3)(images, training=True))
    assert outputs.shape == (2, 4, 5, 1)
    top, left = np.argwhere(images[0, ..., 0] == outputs[0, 0, 0, 0])[0]
    assert np.array_equal(outputs, images[:, top:top + 4, left:left + 5])
    assert layers.RandomCrop(4, 5, seed=3)(images, training=False).shape == images.shape


def test_center_crop_and_resizing_keep_documented_dtypes():
    images = (IMAGES[0]).astype("uint8")
    assert layers.Resizing(4, 4)(images).dtype == np.uint8
    assert layers.CenterCrop(4, 4)(images).dtype == np.float32
    assert_array(layers.CenterCrop(2, 2)(np.arange(16.0).reshape(4, 4, 1))[..., 0], [[5, 6], [9, 10]])


def test_symbolic_image_shapes():
    inputs = workbench.KerasTensor((None, 9, 11, 2))
    assert layers.Resizing(4, 5)(inputs).shape == (None, 4, 5, 2)
    assert layers.RandomCrop(4, 5, seed=1)(inputs).shape == (None, 4, 5, 2)
    assert layers.RandomRotation(0.1)(inputs).shape == (None, 9, 11, 2)
    first = workbench.KerasTensor((None, 2, 9, 11))
    assert layers.CenterCrop(4, 5, data_format="channels_first")(first).shape == (None, 2, 4, 5)


@pytest.mark.parametrize("name,kwargs,match", [
    ("RandomRotation", {"factor": 1.5}, "factor=1.5"),
    ("RandomRotation", {"factor": (0.1, 0.2, 0.3)}, "factor=\\(0.1, 0.2, 0.3\\)"),
    ("RandomRotation", {"factor": 0.1, "fill_mode": "mirror"}, "fill_mode='mirror'"),
    ("RandomZoom", {"height_factor": -1.0}, "height_factor=-1.0"),
    ("RandomZoom", {"height_factor": 0.1, "interpolation": "bicubic"}, "interpolation='bicubic'"),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": "x"}, "width_factor='x'"),
    ("RandomContrast", {"factor": -0.1}, "factor=-0.1"),
    ("RandomContrast", {"factor": 0.1, "value_range": 255}, "value_range=255"),
    ("RandomBrightness", {"factor": 0.1, "value_range": (0, 1, 2)}, "value_range=\\(0, 1, 2\\)"),
    ("RandomFlip", {"mode": "diagonal"}, "mode='diagonal'"),
    ("RandomCrop", {"height": 0, "width": 3}, "height=0"),
    ("CenterCrop", {"height": 3, "width": 2.5}, "width=2.5"),
    ("Resizing", {"height": 3, "width": 3, "interpolation": "area"}, "interpolation='area'"),
    ("Resizing", {"height": 3, "width": 3, "crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True},
     "only one of"),
    ("Resizing", {"height": 3, "width": 3, "data_format": "nhwc"}, "data_format='nhwc'"),
])
def test_image_layers_reject_bad_arguments(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(layers, name)(**kwargs)


def test_image_layers_reject_inputs_that_are_not_images():
    with pytest.raises(ValueError, match="rank 3 or a batch of rank 4"):
        layers.RandomFlip()(np.ones((4, 4)))


# -- Pipeline -----------------------------------------------------------------------------------------
def test_pipeline_applies_layers_in_order_like_keras():
    keras = keras_oracle()
    steps = [("RandomFlip", {"seed": 1}), ("RandomRotation", {"factor": 0.1, "seed": 2}), ("Rescaling", {"scale": 0.5})]
    ours = layers.Pipeline([getattr(layers, n)(**k) for n, k in steps])
    theirs = keras.layers.Pipeline([getattr(keras.layers, n)(**k) for n, k in steps])
    assert_array(ours(IMAGES), theirs(IMAGES))
    assert_array(ours(IMAGES, training=False), IMAGES * 0.5)
    assert len(ours.layers) == 3 and ours.get_config().keys() == theirs.get_config().keys()


def test_pipeline_config_round_trip_symbolic_shape_and_errors():
    pipeline = layers.Pipeline([layers.Resizing(4, 4), layers.RandomFlip(seed=3)], name="augment")
    revived = workbench.layers.deserialize(workbench.layers.serialize(pipeline))
    assert [type(layer).__name__ for layer in revived.layers] == ["Resizing", "RandomFlip"]
    assert revived.name == "augment"
    assert_array(revived(IMAGES, training=False), layers.Resizing(4, 4)(IMAGES))
    assert pipeline(workbench.KerasTensor((None, 9, 11, 2))).shape == (None, 4, 4, 2)
    with pytest.raises(ValueError, match="list of layers"):
        layers.Pipeline("resize")
