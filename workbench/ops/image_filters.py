"""Image filters and patches: Gaussian blur, Sobel edges, SSIM, and patch extraction.

Images are `(height, width, channels)` or `(batch, height, width, channels)`, or channels first
with `data_format="channels_first"` (default: `keras.config.image_data_format()`).
"""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.nn_conv import spatial_tuple
from workbench.ops.operation import keras_op


def as_batched_channels_last(images, data_format, rank=2):
    """Returns `(images as (batch, *spatial, channels), undo)`; `undo` restores the layout."""
    images = convert_to_tensor(images)
    if images.ndim not in (rank + 1, rank + 2):
        raise ValueError(
            f"Expected a single image of rank {rank + 1} or a batch of rank {rank + 2}. "
            f"Received: images.shape={images.shape}"
        )
    unbatched = images.ndim == rank + 1
    if unbatched:
        images = images[None]
    channels_first = config.standardize_data_format(data_format) == "channels_first"
    if channels_first:
        images = jnp.moveaxis(images, 1, -1)

    def undo(outputs, extra_axes=0):
        if channels_first:
            outputs = jnp.moveaxis(outputs, -1 - extra_axes, 1)
        return outputs[0] if unbatched else outputs

    return images, undo


def _gaussian_1d(size, sigma, dtype):
    x = jnp.arange(size, dtype=dtype) - (size - 1) / 2.0
    weights = jnp.exp(-0.5 * (x / sigma) ** 2)
    return weights / jnp.sum(weights)


def _depthwise_same(images, kernel):
    """Convolves each channel of `(batch, h, w, c)` with the 2D `kernel`, zero-padded to "same"."""
    channels = images.shape[-1]
    kernel = jnp.tile(kernel[:, :, None, None], (1, 1, 1, channels))
    return jax.lax.conv_general_dilated(
        images,
        kernel.astype(images.dtype),
        (1, 1),
        "SAME",
        dimension_numbers=("NHWC", "HWIO", "NHWC"),
        feature_group_count=channels,
    )


@keras_export("keras.ops.image.gaussian_blur")
@keras_op
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs images with a Gaussian kernel (zero padding keeps the size).

    Args:
        kernel_size: `(size_x, size_y)`: the kernel's width and height, as in Keras.
        sigma: `(sigma_x, sigma_y)`.
    """
    images, undo = as_batched_channels_last(images, data_format)
    images = to_float(images)
    kernel_size, sigma = spatial_tuple(kernel_size, 2, "kernel_size"), tuple(sigma)
    kernel = jnp.outer(
        _gaussian_1d(kernel_size[1], sigma[1], images.dtype),
        _gaussian_1d(kernel_size[0], sigma[0], images.dtype),
    )
    return undo(_depthwise_same(images, kernel))


@keras_export("keras.ops.image.sobel_edges")
@keras_op
def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel: a new last axis of size 2 holds `[dy, dx]`.

    Returns `(batch, height, width, channels, 2)` (or `(batch, channels, height, width, 2)`).
    """
    images, undo = as_batched_channels_last(images, data_format)
    images = to_float(images)
    smooth, derive = jnp.array([1.0, 2.0, 1.0]), jnp.array([-1.0, 0.0, 1.0])
    dy = _depthwise_same(images, jnp.outer(derive, smooth))
    dx = _depthwise_same(images, jnp.outer(smooth, derive))
    return undo(jnp.stack([dy, dx], axis=-1), extra_axes=1)


@keras_export("keras.ops.image.ssim")
@keras_op
def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    """Structural similarity between two images (or batches), averaged over pixels and channels.

    Local statistics use a `filter_size` Gaussian window with `filter_sigma`, without padding.
    Returns a scalar per image.
    """
    unbatched = convert_to_tensor(image1).ndim == 3
    image1, _ = as_batched_channels_last(image1, data_format)
    image2, _ = as_batched_channels_last(image2, data_format)
    image1 = to_float(image1)
    image2 = to_float(image2).astype(image1.dtype)
    window = _gaussian_1d(filter_size, filter_sigma, image1.dtype)
    kernel = jnp.outer(window, window)

    def local_mean(x):
        channels = x.shape[-1]
        tiled = jnp.tile(kernel[:, :, None, None], (1, 1, 1, channels))
        return jax.lax.conv_general_dilated(
            x,
            tiled,
            (1, 1),
            "VALID",
            dimension_numbers=("NHWC", "HWIO", "NHWC"),
            feature_group_count=channels,
        )

    mu1, mu2 = local_mean(image1), local_mean(image2)
    variance1 = local_mean(image1 * image1) - mu1 * mu1
    variance2 = local_mean(image2 * image2) - mu2 * mu2
    covariance = local_mean(image1 * image2) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    similarity = ((2.0 * mu1 * mu2 + c1) * (2.0 * covariance + c2)) / (
        (mu1 * mu1 + mu2 * mu2 + c1) * (variance1 + variance2 + c2)
    )
    per_image = jnp.mean(similarity, axis=(1, 2, 3))
    return per_image[0] if unbatched else per_image


def _extract(images, size, strides, dilation_rate, padding, data_format, rank):
    images, undo = as_batched_channels_last(images, data_format, rank=rank)
    size = spatial_tuple(size, rank, "size")
    strides = size if strides is None else spatial_tuple(strides, rank, "strides")
    padding = padding.upper()
    if padding not in ("VALID", "SAME"):
        raise ValueError(
            f"`padding` must be 'valid' or 'same'. Received: padding={padding.lower()!r}"
        )
    spatial = "DHW"[-rank:]
    patches = jax.lax.conv_general_dilated_patches(
        images,
        size,
        strides,
        padding,
        rhs_dilation=spatial_tuple(dilation_rate, rank, "dilation_rate"),
        dimension_numbers=(f"N{spatial}C", f"OI{spatial}", f"N{spatial}C"),
    )
    # lax orders the patch features channel-major; Keras orders them position-major.
    channels = images.shape[-1]
    patches = patches.reshape(patches.shape[:-1] + (channels, -1))
    patches = jnp.swapaxes(patches, -1, -2).reshape(patches.shape[:-2] + (-1,))
    return undo(patches)


@keras_export("keras.ops.image.extract_patches")
@keras_op
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Extracts `size` patches from images into the channel axis.

    Each output position holds a flattened `(patch_height, patch_width, channels)` patch. A
    3-tuple `size` extracts 3D patches from volumes (see `extract_patches_3d`).

    Args:
        size: an int or `(patch_height, patch_width)`.
        strides: the step between patches; defaults to `size`.
        dilation_rate: the spacing of a patch's pixels.
        padding: `"valid"` or `"same"`.
    """
    if not isinstance(size, int) and len(size) == 3:
        return _extract(images, size, strides, dilation_rate, padding, data_format, rank=3)
    return _extract(images, size, strides, dilation_rate, padding, data_format, rank=2)


@keras_export("keras.ops.image.extract_patches_3d")
@keras_op
def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Extracts `size` 3D patches from volumes `(batch, depth, height, width, channels)`.

    Each output position holds a flattened `(patch_depth, patch_height, patch_width, channels)`.
    """
    return _extract(volumes, size, strides, dilation_rate, padding, data_format, rank=3)
