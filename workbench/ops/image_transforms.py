"""Geometric image warps by resampling: affine, perspective and elastic transforms,
`map_coordinates` and `scale_and_translate`, on `jax.scipy.ndimage` and `jax.image`."""

import jax
import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.image_filters import as_batched_channels_last, gaussian_blur
from workbench.ops.operation import keras_op

_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _order(interpolation):
    if interpolation not in _ORDERS:
        raise ValueError(
            f"`interpolation` must be one of {sorted(_ORDERS)}. Received: interpolation={interpolation!r}"
        )
    return _ORDERS[interpolation]


def _check_fill_mode(fill_mode):
    if fill_mode not in _FILL_MODES:
        raise ValueError(
            f"`fill_mode` must be one of {_FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )


def _sample(images, rows, cols, order, fill_mode, fill_value):
    """Samples `(batch, h, w, c)` images at per-image coordinates `rows`, `cols` `(batch, H, W)`."""

    def one_channel(channel, r, c):
        return jax.scipy.ndimage.map_coordinates(
            channel, [r, c], order, mode=fill_mode, cval=fill_value
        )

    per_channel = jax.vmap(one_channel, in_axes=(-1, None, None), out_axes=-1)
    return jax.vmap(per_channel)(images, rows, cols).astype(images.dtype)


@keras_export("keras.ops.image.map_coordinates")
@keras_op
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` (one coordinate array per input axis) by interpolation.

    Args:
        coordinates: shape `(inputs.ndim, *output_shape)`.
        order: 0 (nearest) or 1 (linear).
        fill_mode: how points outside are filled: `"constant"` (with `fill_value`), `"nearest"`,
            `"wrap"`, `"mirror"` or `"reflect"`.
    """
    inputs, coordinates = convert_to_tensor(inputs), convert_to_tensor(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            "`coordinates` must have shape (inputs.ndim, ...). "
            f"Received: inputs.shape={inputs.shape}, coordinates.shape={coordinates.shape}"
        )
    _check_fill_mode(fill_mode)
    if order not in (0, 1):
        raise ValueError(f"`order` must be 0 or 1. Received: order={order!r}")
    return jax.scipy.ndimage.map_coordinates(
        inputs, list(coordinates), order, mode=fill_mode, cval=fill_value
    )


def _pixel_grid(height, width, dtype):
    rows, cols = jnp.meshgrid(
        jnp.arange(height, dtype=dtype), jnp.arange(width, dtype=dtype), indexing="ij"
    )
    return rows, cols


@keras_export("keras.ops.image.affine_transform")
@keras_op
def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Warps images: output pixel `(x, y)` takes the input value at the transformed point.

    Args:
        transform: `[a0, a1, a2, b0, b1, b2, c0, c1]` (or a batch of them): the output point
            `(x, y)` reads the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, with
            `k = c0 x + c1 y + 1`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: the value outside the image, for `"constant"`.
    """
    order = _order(interpolation)
    _check_fill_mode(fill_mode)
    images, undo = as_batched_channels_last(images, data_format)
    transform = to_float(transform)
    if transform.ndim not in (1, 2):
        raise ValueError(
            f"`transform` must have rank 1 or 2. Received: transform.shape={transform.shape}"
        )
    transform = jnp.broadcast_to(transform.reshape(-1, 8), (images.shape[0], 8))
    rows, cols = _pixel_grid(images.shape[1], images.shape[2], transform.dtype)
    t = [transform[:, i, None, None] for i in range(8)]
    k = t[6] * cols + t[7] * rows + 1.0
    input_cols = (t[0] * cols + t[1] * rows + t[2]) / k
    input_rows = (t[3] * cols + t[4] * rows + t[5]) / k
    return undo(_sample(images, input_rows, input_cols, order, fill_mode, fill_value))


def _homography(start_points, end_points):
    """The 8 parameters mapping end points (output) to start points (input), per batch."""
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = jnp.zeros_like(ex), jnp.ones_like(ex)
    x_rows = jnp.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = jnp.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    matrix = jnp.concatenate([x_rows, y_rows], axis=-2)
    target = jnp.concatenate([sx, sy], axis=-1)
    return jnp.linalg.solve(matrix, target[..., None])[..., 0]


@keras_export("keras.ops.image.perspective_transform")
@keras_op
def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Warps images so the four `start_points` move to the four `end_points`.

    Args:
        start_points, end_points: `(4, 2)` (or `(batch, 4, 2)`) corner coordinates `(x, y)`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_value: the value of pixels that map from outside the image.
    """
    order = _order(interpolation)
    start_points, end_points = to_float(start_points), to_float(end_points)
    for name, points in (("start_points", start_points), ("end_points", end_points)):
        if points.shape[-2:] != (4, 2) or points.ndim not in (2, 3):
            raise ValueError(
                f"`{name}` must have shape (4, 2) or (batch, 4, 2). Received: {points.shape}"
            )
    images, undo = as_batched_channels_last(images, data_format)
    batch = images.shape[0]
    start_points = jnp.broadcast_to(start_points.reshape(-1, 4, 2), (batch, 4, 2)).astype("float32")
    end_points = jnp.broadcast_to(end_points.reshape(-1, 4, 2), (batch, 4, 2)).astype("float32")
    transform = _homography(start_points, end_points)
    rows, cols = _pixel_grid(images.shape[1], images.shape[2], transform.dtype)
    t = [transform[:, i, None, None] for i in range(8)]
    k = t[6] * cols + t[7] * rows + 1.0
    input_cols = (t[0] * cols + t[1] * rows + t[2]) / k
    input_rows = (t[3] * cols + t[4] * rows + t[5]) / k
    return undo(_sample(images, input_rows, input_cols, order, "constant", fill_value))


def _random_key(seed):
    if seed is None:
        return jax.random.key(np.random.randint(0, 2**31 - 1))
    if isinstance(seed, int):
        return jax.random.key(seed)
    if hasattr(seed, "next"):
        return seed.next()
    return seed


@keras_export("keras.ops.image.elastic_transform")
@keras_op
def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Elastic distortion: pixels move along a random displacement field smoothed by a Gaussian.

    Args:
        alpha: the displacement scale, in pixels.
        sigma: the smoothing Gaussian's standard deviation (its kernel spans `6 * sigma`).
        seed: an int, a JAX key, a `SeedGenerator`, or None (a fresh random draw).
    """
    order = _order(interpolation)
    _check_fill_mode(fill_mode)
    images, undo = as_batched_channels_last(images, data_format)
    batch, height, width, _ = images.shape
    dtype = to_float(images[:0]).dtype
    x_key, y_key = jax.random.split(_random_key(seed))
    kernel_size = int(6 * sigma) | 1
    displacements = []
    for key in (x_key, y_key):
        noise = jax.random.normal(key, (batch, height, width, 1), dtype) * sigma
        smooth = gaussian_blur(noise, (kernel_size, kernel_size), (sigma, sigma), "channels_last")
        displacements.append(alpha * smooth[..., 0])
    rows, cols = _pixel_grid(height, width, dtype)
    return undo(
        _sample(
            images, rows + displacements[1], cols + displacements[0], order, fill_mode, fill_value
        )
    )


_SCALE_AND_TRANSLATE_METHODS = (
    "linear",
    "bilinear",
    "trilinear",
    "cubic",
    "bicubic",
    "tricubic",
    "lanczos3",
    "lanczos5",
)


@keras_export("keras.ops.image.scale_and_translate")
@keras_op
def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """Resamples `images` to `output_shape`, scaling and translating the `spatial_dims`.

    Output coordinate `y` samples the input at `(y + 0.5 - translation) / scale - 0.5`, as
    `jax.image.scale_and_translate`.

    Args:
        method: `"linear"`, `"cubic"`, `"lanczos3"` or `"lanczos5"` (`"bilinear"`, `"trilinear"`,
            `"bicubic"`, `"tricubic"` are aliases).
    """
    if method not in _SCALE_AND_TRANSLATE_METHODS:
        raise ValueError(
            f"`method` must be one of {_SCALE_AND_TRANSLATE_METHODS}. Received: method={method!r}"
        )
    return jax.image.scale_and_translate(
        to_float(images),
        tuple(output_shape),
        tuple(spatial_dims),
        to_float(scale),
        to_float(translation),
        method,
        antialias,
    )
