"""`keras.ops.image`: image ops. This module is the namespace; filters and warps live in
`image_filters.py` and `image_transforms.py`.

Here: color conversions, resizing, cropping and padding. Images are `(height, width, channels)`
or `(batch, height, width, channels)`, or channels first with `data_format="channels_first"`.
"""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.ops.core import convert_to_tensor, saturate_cast
from workbench.ops.dtype_rules import to_float
from workbench.ops.image_filters import (  # noqa: F401
    as_batched_channels_last,
    extract_patches,
    extract_patches_3d,
    gaussian_blur,
    sobel_edges,
    ssim,
)
from workbench.ops.image_transforms import (  # noqa: F401
    affine_transform,
    elastic_transform,
    map_coordinates,
    perspective_transform,
    scale_and_translate,
)
from workbench.ops.operation import keras_op


def _channels_axis(images, data_format):
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Expected an image of rank 3 or a batch of rank 4. Received: shape={images.shape}"
        )
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


@keras_export("keras.ops.image.rgb_to_grayscale")
@keras_op
def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to one-channel grayscale (luma weights 0.2989, 0.5870, 0.1140).

    One-channel images are returned unchanged; integer images keep their dtype (truncated).
    """
    images = convert_to_tensor(images)
    axis = _channels_axis(images, data_format)
    if images.shape[axis] not in (1, 3):
        raise ValueError(f"Expected 1 or 3 channels. Received: images.shape={images.shape}")
    if images.shape[axis] == 1:
        return images
    weights = jnp.array([0.2989, 0.5870, 0.1140], to_float(images[:0]).dtype)
    gray = jnp.tensordot(to_float(images), weights, axes=((axis,), (0,)))
    return jnp.expand_dims(gray, axis).astype(images.dtype)


def _float_images(images, data_format):
    images = convert_to_tensor(images)
    axis = _channels_axis(images, data_format)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise ValueError(f"Expected float images. Received: images.dtype={images.dtype}")
    return images, axis


@keras_export("keras.ops.image.rgb_to_hsv")
@keras_op
def rgb_to_hsv(images, data_format=None):
    """Converts float RGB images (values in [0, 1]) to HSV, each channel in [0, 1]."""
    images, axis = _float_images(images, data_format)
    red, green, blue = (jnp.take(images, i, axis=axis) for i in range(3))
    value = jnp.maximum(jnp.maximum(red, green), blue)
    spread = value - jnp.minimum(jnp.minimum(red, green), blue)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1.0), 0.0)
    scale = 1.0 / (6.0 * jnp.where(spread > 0, spread, 1.0))
    hue = jnp.where(
        value == green, scale * (blue - red) + 1.0 / 3.0, scale * (red - green) + 2.0 / 3.0
    )
    hue = jnp.where(value == red, scale * (green - blue), hue)
    hue = jnp.where(spread > 0, hue, 0.0)
    hue = jnp.where(hue < 0.0, hue + 1.0, hue)
    return jnp.stack([hue, saturation, value], axis=axis).astype(images.dtype)


@keras_export("keras.ops.image.hsv_to_rgb")
@keras_op
def hsv_to_rgb(images, data_format=None):
    """Converts float HSV images (each channel in [0, 1]) to RGB."""
    images, axis = _float_images(images, data_format)
    hue, saturation, value = (jnp.take(images, i, axis=axis) for i in range(3))
    sector = jnp.mod(hue, 1.0) * 6.0
    red = jnp.clip(jnp.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green = jnp.clip(2.0 - jnp.abs(sector - 2.0), 0.0, 1.0)
    blue = jnp.clip(2.0 - jnp.abs(sector - 4.0), 0.0, 1.0)
    planes = [value * (1.0 - saturation + saturation * c) for c in (red, green, blue)]
    return jnp.stack(planes, axis=axis).astype(images.dtype)


_RESIZE_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def _crop_or_pad_to_aspect(images, size, crop, fill_value):
    """Center-crops (or pads with `fill_value`) `(batch, h, w, c)` images to the target aspect."""
    height, width = images.shape[1:3]
    target_height, target_width = size
    new_height = int(width * target_height / target_width)
    new_width = int(height * target_width / target_height)
    if crop:
        new_height, new_width = max(min(height, new_height), 1), max(min(width, new_width), 1)
        top, left = int((height - new_height) / 2), int((width - new_width) / 2)
        return images[:, top : top + new_height, left : left + new_width]
    new_height, new_width = max(height, new_height), max(width, new_width)
    vertical, horizontal = int((new_height - height) / 2), int((new_width - width) / 2)
    if vertical > 0:
        pads = ((0, 0), (vertical, vertical), (0, 0), (0, 0))
    elif horizontal > 0:
        pads = ((0, 0), (0, 0), (horizontal, horizontal), (0, 0))
    else:
        return images
    return jnp.pad(images, pads, constant_values=jnp.asarray(fill_value, images.dtype))


@keras_export("keras.ops.image.resize")
@keras_op
def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Resizes images to `size = (height, width)`.

    Args:
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"` or `"lanczos5"`.
        antialias: low-pass filter when downsampling.
        crop_to_aspect_ratio: first center-crop to the target aspect ratio, so nothing stretches.
        pad_to_aspect_ratio: first pad (with `fill_value`) to the target aspect ratio.
        fill_mode: only `"constant"`.

    Integer images are rounded and saturated back to their dtype.

    Example:

    >>> resize(np.ones((2, 8, 8, 3)), (4, 4)).shape
    (2, 4, 4, 3)
    """
    if interpolation not in _RESIZE_METHODS:
        raise ValueError(
            f"`interpolation` must be one of {_RESIZE_METHODS}. Received: {interpolation!r}"
        )
    if fill_mode != "constant":
        raise ValueError(
            f"Only fill_mode='constant' is supported. Received: fill_mode={fill_mode!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
        )
    if len(size) != 2:
        raise ValueError(f"`size` must be (height, width). Received: size={size}")
    original_dtype = convert_to_tensor(images).dtype
    images, undo = as_batched_channels_last(images, data_format)
    size = tuple(int(s) for s in size)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        images = _crop_or_pad_to_aspect(images, size, crop_to_aspect_ratio, fill_value)
    images = to_float(images)
    shape = (images.shape[0],) + size + (images.shape[-1],)
    resized = jax.image.resize(images, shape, method=interpolation, antialias=antialias)
    if not jnp.issubdtype(original_dtype, jnp.inexact):
        resized = saturate_cast(jnp.round(resized), original_dtype)
    return undo(resized)


def _check_two_of(values, names):
    """Checks that exactly two of (before, after, target) are given, none negative."""
    if list(values).count(None) != 1:
        received = ", ".join(f"{n}={v}" for n, v in zip(names, values))
        raise ValueError(f"Give exactly two of {', '.join(names)}. Received: {received}")
    for name, value in zip(names, values):
        if value is not None and value < 0:
            raise ValueError(f"`{name}` must be >= 0. Received: {name}={value}")


@keras_export("keras.ops.image.pad_images")
@keras_op
def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Pads images with zeros; give two of (top, bottom, target_height) and two of (left, right,
    target_width)."""
    images, undo = as_batched_channels_last(images, data_format)
    height, width = images.shape[1:3]
    _check_two_of(
        (top_padding, bottom_padding, target_height),
        ("top_padding", "bottom_padding", "target_height"),
    )
    _check_two_of(
        (left_padding, right_padding, target_width),
        ("left_padding", "right_padding", "target_width"),
    )
    top = target_height - bottom_padding - height if top_padding is None else top_padding
    bottom = target_height - top - height if bottom_padding is None else bottom_padding
    left = target_width - right_padding - width if left_padding is None else left_padding
    right = target_width - left - width if right_padding is None else right_padding
    for name, value in (
        ("top_padding", top),
        ("bottom_padding", bottom),
        ("left_padding", left),
        ("right_padding", right),
    ):
        if value < 0:
            raise ValueError(f"The target size is smaller than the image: {name}={value}.")
    return undo(jnp.pad(images, ((0, 0), (top, bottom), (left, right), (0, 0))))


@keras_export("keras.ops.image.crop_images")
@keras_op
def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crops images; give two of (top, bottom, target_height) and two of (left, right,
    target_width)."""
    images, undo = as_batched_channels_last(images, data_format)
    height, width = images.shape[1:3]
    _check_two_of(
        (top_cropping, bottom_cropping, target_height),
        ("top_cropping", "bottom_cropping", "target_height"),
    )
    _check_two_of(
        (left_cropping, right_cropping, target_width),
        ("left_cropping", "right_cropping", "target_width"),
    )
    top = height - target_height - bottom_cropping if top_cropping is None else top_cropping
    new_height = height - bottom_cropping - top if target_height is None else target_height
    left = width - target_width - right_cropping if left_cropping is None else left_cropping
    new_width = width - right_cropping - left if target_width is None else target_width
    if (
        top < 0
        or left < 0
        or new_height < 0
        or new_width < 0
        or top + new_height > height
        or left + new_width > width
    ):
        raise ValueError(
            f"The crop (top={top}, left={left}, height={new_height}, width={new_width}) does not fit "
            f"in images of height {height} and width {width}."
        )
    return undo(images[:, top : top + new_height, left : left + new_width])
