"""`keras.ops.image` parity: each image op gives Keras's values on the same inputs."""

import numpy as np
import pytest

from tests.ops.ops_parity import Case, check_case, integers, uniform
from workbench import ops


def images(*shape, seed=0):
    return uniform(*shape, low=0.0, high=1.0, seed=seed)


def image_case(name, args, id=None, **kwargs):
    return Case(name, args, kwargs, rtol=1e-4, atol=1e-5, namespace="image", id=id or name)


CORNERS = np.array([[0, 0], [7, 0], [7, 5], [0, 5]], "float32")
MOVED = np.array([[1, 0], [6, 1], [7, 4], [0, 5]], "float32")

CASES = [
    image_case("rgb_to_grayscale", lambda: (images(2, 5, 6, 3),)),
    image_case(
        "rgb_to_grayscale",
        lambda: (images(3, 5, 6),),
        id="rgb_to_grayscale-channels-first",
        data_format="channels_first",
    ),
    image_case(
        "rgb_to_grayscale", lambda: (integers(5, 6, 3, high=255),), id="rgb_to_grayscale-int"
    ),
    image_case("rgb_to_hsv", lambda: (images(2, 5, 6, 3),)),
    image_case(
        "rgb_to_hsv",
        lambda: (images(2, 3, 5, 6),),
        id="rgb_to_hsv-channels-first",
        data_format="channels_first",
    ),
    image_case("hsv_to_rgb", lambda: (images(2, 5, 6, 3),)),
    image_case("resize", lambda: (images(2, 8, 10, 3), (4, 5))),
    image_case(
        "resize",
        lambda: (images(8, 10, 3), (12, 7)),
        id="resize-unbatched-up",
        interpolation="nearest",
    ),
    image_case(
        "resize",
        lambda: (images(2, 8, 10, 3), (5, 5)),
        id="resize-bicubic-antialias",
        interpolation="bicubic",
        antialias=True,
    ),
    image_case(
        "resize",
        lambda: (images(2, 8, 10, 3), (4, 4)),
        id="resize-lanczos3",
        interpolation="lanczos3",
    ),
    image_case(
        "resize", lambda: (images(2, 8, 10, 3), (4, 4)), id="resize-crop", crop_to_aspect_ratio=True
    ),
    image_case(
        "resize",
        lambda: (images(2, 8, 10, 3), (4, 4)),
        id="resize-pad",
        pad_to_aspect_ratio=True,
        fill_value=0.5,
    ),
    image_case(
        "resize",
        lambda: (images(2, 10, 8, 3), (4, 4)),
        id="resize-pad-width",
        pad_to_aspect_ratio=True,
    ),
    image_case(
        "resize",
        lambda: (images(2, 3, 8, 10), (4, 5)),
        id="resize-channels-first",
        data_format="channels_first",
    ),
    image_case(
        "resize",
        lambda: (integers(2, 8, 10, 3, high=255).astype("uint8"), (5, 7)),
        id="resize-uint8",
    ),
    image_case(
        "affine_transform",
        lambda: (images(6, 7, 3), np.array([1.1, 0.1, -1.0, -0.2, 0.9, 0.5, 0, 0], "float32")),
    ),
    image_case(
        "affine_transform",
        lambda: (images(6, 7, 3), np.array([0.9, 0.0, 1.0, 0.1, 1.0, 0.0, 0, 0], "float32")),
        id="affine_transform-nearest-reflect",
        interpolation="nearest",
        fill_mode="reflect",
    ),
    image_case(
        "affine_transform",
        lambda: (
            images(2, 3, 6, 7),
            np.array([[1, 0, 0.5, 0, 1, -0.5, 0, 0], [1.2, 0, 0, 0, 0.8, 0, 0, 0]], "float32"),
        ),
        id="affine_transform-batched-channels-first",
        fill_mode="wrap",
        data_format="channels_first",
    ),
    image_case(
        "affine_transform",
        lambda: (images(1, 6, 7, 3), np.array([[1.1, 0.1, -1.0, -0.2, 0.9, 0.5, 0, 0]], "float32")),
        id="affine_transform-fill",
        fill_value=0.7,
        fill_mode="constant",
    ),
    image_case(
        "map_coordinates", lambda: (images(5, 6), uniform(2, 3, 4, low=-1.0, high=6.0, seed=1), 1)
    ),
    image_case(
        "map_coordinates",
        lambda: (images(5, 6, 2), uniform(3, 4, low=-1.0, high=6.0, seed=1), 0),
        id="map_coordinates-nearest-mirror",
        fill_mode="mirror",
    ),
    image_case("perspective_transform", lambda: (images(6, 8, 3), CORNERS, MOVED)),
    image_case(
        "perspective_transform",
        lambda: (images(2, 3, 6, 8), np.stack([CORNERS, MOVED]), np.stack([MOVED, CORNERS])),
        id="perspective_transform-batched",
        data_format="channels_first",
        interpolation="nearest",
        fill_value=0.5,
    ),
    image_case("gaussian_blur", lambda: (images(2, 7, 8, 3),), data_format="channels_last"),
    image_case(
        "gaussian_blur",
        lambda: (images(2, 3, 7, 8),),
        id="gaussian_blur-options",
        kernel_size=(5, 3),
        sigma=(2.0, 0.7),
        data_format="channels_first",
    ),
    image_case("sobel_edges", lambda: (images(2, 7, 8, 3),)),
    image_case(
        "sobel_edges",
        lambda: (images(2, 3, 7, 8),),
        id="sobel_edges-channels-first",
        data_format="channels_first",
    ),
    image_case("ssim", lambda: (images(2, 16, 16, 3), images(2, 16, 16, 3, seed=1))),
    image_case(
        "ssim",
        lambda: (images(16, 16, 3), images(16, 16, 3, seed=1)),
        id="ssim-unbatched-options",
        max_val=2.0,
        filter_size=7,
        filter_sigma=1.0,
    ),
    image_case("extract_patches", lambda: (images(2, 8, 8, 3), 3)),
    image_case(
        "extract_patches",
        lambda: (images(2, 9, 8, 3), (2, 3)),
        id="extract_patches-same",
        strides=(2, 2),
        padding="same",
    ),
    image_case(
        "extract_patches",
        lambda: (images(3, 9, 9), 2),
        id="extract_patches-unbatched-channels-first",
        strides=1,
        dilation_rate=2,
        data_format="channels_first",
    ),
    image_case("extract_patches_3d", lambda: (images(1, 4, 6, 6, 2), 2)),
    image_case(
        "extract_patches_3d",
        lambda: (images(1, 5, 6, 6, 2), (2, 3, 3)),
        id="extract_patches_3d-same",
        strides=(1, 2, 2),
        padding="same",
    ),
    image_case("pad_images", lambda: (images(2, 5, 6, 3), 1, 2), bottom_padding=3, right_padding=0),
    image_case(
        "pad_images",
        lambda: (images(3, 5, 6),),
        id="pad_images-target",
        top_padding=1,
        left_padding=2,
        target_height=9,
        target_width=10,
        data_format="channels_first",
    ),
    image_case(
        "crop_images", lambda: (images(2, 8, 9, 3), 1, 2), bottom_cropping=3, right_cropping=0
    ),
    image_case(
        "crop_images",
        lambda: (images(3, 8, 9),),
        id="crop_images-target",
        top_cropping=1,
        left_cropping=2,
        target_height=4,
        target_width=5,
        data_format="channels_first",
    ),
    image_case(
        "scale_and_translate",
        lambda: (
            images(2, 6, 8, 3),
            (2, 9, 12, 3),
            np.array([1.5, 1.5], "float32"),
            np.array([0.0, 0.5], "float32"),
            (1, 2),
            "linear",
        ),
    ),
    image_case(
        "scale_and_translate",
        lambda: (
            images(6, 8),
            (4, 4),
            np.array([0.6, 0.5], "float32"),
            np.array([0.2, 0.0], "float32"),
            (0, 1),
            "cubic",
        ),
        id="scale_and_translate-cubic",
        antialias=False,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_image_op_matches_keras(case):
    check_case(case)


def test_gaussian_blur_uses_the_configured_data_format_by_default():
    # Keras 3.15 on JAX treats data_format=None as channels_first in gaussian_blur; here None
    # means the global image_data_format(), as everywhere else.
    x = images(2, 7, 8, 3)
    np.testing.assert_allclose(
        ops.image.gaussian_blur(x), ops.image.gaussian_blur(x, data_format="channels_last")
    )


def test_elastic_transform_is_seeded_and_keeps_shape():
    x = images(2, 12, 12, 3)
    first = ops.image.elastic_transform(x, seed=3)
    assert first.shape == x.shape and first.dtype == x.dtype
    np.testing.assert_array_equal(first, ops.image.elastic_transform(x, seed=3))
    assert not np.allclose(first, ops.image.elastic_transform(x, seed=4))
    np.testing.assert_allclose(ops.image.elastic_transform(x, alpha=0.0, seed=1), x, atol=1e-6)


def test_hsv_round_trip():
    x = images(2, 5, 6, 3)
    np.testing.assert_allclose(ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(x)), x, atol=1e-5)


def test_every_image_op_is_covered():
    import keras

    covered = {case.name for case in CASES} | {"elastic_transform"}
    assert [n for n in dir(keras.ops.image) if not n.startswith("_") and n not in covered] == []


def test_one_transform_applies_to_every_image_of_a_batch():
    x = images(2, 6, 7, 3)
    transform = np.array([1.1, 0.1, -1.0, -0.2, 0.9, 0.5, 0, 0], "float32")
    batched = ops.image.affine_transform(x, transform)
    np.testing.assert_allclose(batched[1], ops.image.affine_transform(x[1], transform))
    warped = ops.image.perspective_transform(x, CORNERS, MOVED)
    np.testing.assert_allclose(warped[0], ops.image.perspective_transform(x[0], CORNERS, MOVED))
