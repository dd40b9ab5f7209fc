"""Convolutions (regular, depthwise, separable, transposed) on `lax.conv_general_dilated`.

Kernels use Keras's layout: `(*spatial, in_channels, out_channels)` for `conv`,
`(*spatial, in_channels, multiplier)` for `depthwise_conv` and `(*spatial, out_channels,
in_channels)` for `conv_transpose`. `data_format` places the channels last (the default, from
`keras.config.image_data_format()`) or first.
"""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


def spatial_tuple(value, rank, name):
    """An int or a sequence, as a tuple of `rank` ints."""
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(int(v) for v in value)
    if len(value) != rank:
        raise ValueError(f"`{name}` must be an int or {rank} ints. Received: {name}={value}")
    return value


def dimension_numbers(rank, data_format, kernel_out_axis=-1):
    """lax dimension numbers for `rank` spatial dims; the kernel's output axis is -1 or -2."""
    spatial = tuple(range(rank))
    if data_format == "channels_last":
        feature_layout = (0, rank + 1) + tuple(range(1, rank + 1))
    else:
        feature_layout = (0, 1) + tuple(range(2, rank + 2))
    out_axis, in_axis = (rank + 1, rank) if kernel_out_axis == -1 else (rank, rank + 1)
    return jax.lax.ConvDimensionNumbers(
        feature_layout, (out_axis, in_axis) + spatial, feature_layout
    )


def _padding(padding):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding.upper()


def _channels(inputs, data_format):
    return inputs.shape[-1] if data_format == "channels_last" else inputs.shape[1]


@_nn_export("conv")
@keras_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1D, 2D or 3D, from the rank of `inputs`).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first).
        kernel: `(*kernel_spatial, in_channels, out_channels)`. If `in_channels` divides the
            input channels, the convolution is grouped.
        strides: an int or one int per spatial dimension.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(input / strides)`).
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
        dilation_rate: an int or one int per spatial dimension.

    Example:

    >>> conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 8))).shape
    (1, 3, 3, 8)
    """
    data_format = config.standardize_data_format(data_format)
    kernel = convert_to_tensor(kernel)
    inputs = convert_to_tensor(inputs, dtype=kernel.dtype)
    rank = inputs.ndim - 2
    channels, kernel_channels = _channels(inputs, data_format), kernel.shape[-2]
    if channels % kernel_channels:
        raise ValueError(
            f"The input channels ({channels}) must be a multiple of the kernel's in_channels "
            f"({kernel_channels}). Received: inputs.shape={inputs.shape}, kernel.shape={kernel.shape}"
        )
    return jax.lax.conv_general_dilated(
        inputs,
        kernel,
        window_strides=spatial_tuple(strides, rank, "strides"),
        padding=_padding(padding),
        rhs_dilation=spatial_tuple(dilation_rate, rank, "dilation_rate"),
        dimension_numbers=dimension_numbers(rank, data_format),
        feature_group_count=channels // kernel_channels,
    )


@_nn_export("depthwise_conv")
@keras_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel is convolved with its own `multiplier` filters.

    Args:
        kernel: `(*kernel_spatial, in_channels, multiplier)`; the output has
            `in_channels * multiplier` channels.
        Other arguments as in `conv`.
    """
    data_format = config.standardize_data_format(data_format)
    kernel = convert_to_tensor(kernel)
    inputs = convert_to_tensor(inputs, dtype=kernel.dtype)
    rank = inputs.ndim - 2
    channels = _channels(inputs, data_format)
    if kernel.shape[-2] != channels:
        raise ValueError(
            f"The kernel's in_channels ({kernel.shape[-2]}) must equal the input channels "
            f"({channels}). Received: inputs.shape={inputs.shape}, kernel.shape={kernel.shape}"
        )
    grouped_kernel = jnp.reshape(kernel, kernel.shape[:-2] + (1, channels * kernel.shape[-1]))
    return jax.lax.conv_general_dilated(
        inputs,
        grouped_kernel,
        window_strides=spatial_tuple(strides, rank, "strides"),
        padding=_padding(padding),
        rhs_dilation=spatial_tuple(dilation_rate, rank, "dilation_rate"),
        dimension_numbers=dimension_numbers(rank, data_format),
        feature_group_count=channels,
    )


@_nn_export("separable_conv")
@keras_op
def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """A depthwise convolution followed by a pointwise (1x1) convolution mixing the channels.

    Args:
        depthwise_kernel: `(*kernel_spatial, in_channels, multiplier)`.
        pointwise_kernel: `(*ones, in_channels * multiplier, out_channels)`.
        Other arguments as in `conv`; they apply to the depthwise step.
    """
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, strides=1, padding="valid", data_format=data_format)


def _transpose_padding(kernel_size, stride, dilation, padding, output_padding):
    """(left, right) padding of the stride-dilated input that gives Keras's output length.

    Without `output_padding`, "valid" gives `(n - 1) * stride + max(kernel, stride)` and "same"
    gives `n * stride`; `output_padding` adds to the right of the base length.
    """
    kernel_size = (kernel_size - 1) * dilation + 1
    if padding == "VALID":
        if output_padding is None:
            output_padding = max(kernel_size, stride) - kernel_size
        return kernel_size - 1, kernel_size - 1 + output_padding
    if output_padding is None:
        total = stride + kernel_size - 2
    else:
        total = kernel_size + kernel_size % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, kernel_size - 1)
    return left, total - left


@_nn_export("conv_transpose")
@keras_op
def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the gradient of `conv`), which upsamples by `strides`.

    Args:
        kernel: `(*kernel_spatial, out_channels, in_channels)`.
        output_padding: an int or one int per spatial dimension added to the output size;
            None infers it.
        Other arguments as in `conv`.

    Example:

    >>> conv_transpose(np.ones((1, 4, 4, 3)), np.ones((3, 3, 8, 3)), strides=2).shape
    (1, 9, 9, 8)
    """
    data_format = config.standardize_data_format(data_format)
    kernel = convert_to_tensor(kernel)
    inputs = convert_to_tensor(inputs, dtype=kernel.dtype)
    rank = inputs.ndim - 2
    if _channels(inputs, data_format) != kernel.shape[-1]:
        raise ValueError(
            f"The kernel's last dimension ({kernel.shape[-1]}) must equal the input channels. "
            f"Received: inputs.shape={inputs.shape}, kernel.shape={kernel.shape}"
        )
    strides = spatial_tuple(strides, rank, "strides")
    dilation_rate = spatial_tuple(dilation_rate, rank, "dilation_rate")
    output_paddings = (
        (None,) * rank
        if output_padding is None
        else spatial_tuple(output_padding, rank, "output_padding")
    )
    pads = [
        _transpose_padding(
            kernel.shape[i], strides[i], dilation_rate[i], _padding(padding), output_paddings[i]
        )
        for i in range(rank)
    ]
    # A stride-dilated input convolved with the spatially flipped kernel, in/out swapped.
    flipped = jnp.flip(kernel, axis=tuple(range(rank)))
    return jax.lax.conv_general_dilated(
        inputs,
        flipped,
        window_strides=(1,) * rank,
        padding=pads,
        lhs_dilation=strides,
        rhs_dilation=dilation_rate,
        dimension_numbers=dimension_numbers(rank, data_format, kernel_out_axis=-2),
    )


# -- patches and pixel shuffles --------------------------------------------------------------------
def _patch_indices(size, kernel, stride, dilation):
    """`(count, kernel)` input positions of each patch along one axis."""
    count = (size - dilation * (kernel - 1) - 1) // stride + 1
    return jnp.arange(count)[:, None] * stride + jnp.arange(kernel)[None, :] * dilation


@_nn_export("unfold")
@keras_op
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding blocks from images `(N, C, H, W)` into columns `(N, C*kH*kW, L)` (im2col).

    As `torch.nn.functional.unfold`: `L` counts the blocks, and columns are ordered by channel,
    then kernel row, then kernel column.
    """
    x = convert_to_tensor(x)
    kernel_size = spatial_tuple(kernel_size, 2, "kernel_size")
    dilation, padding = spatial_tuple(dilation, 2, "dilation"), spatial_tuple(padding, 2, "padding")
    stride = spatial_tuple(stride, 2, "stride")
    x = jnp.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    rows = _patch_indices(x.shape[2], kernel_size[0], stride[0], dilation[0])
    cols = _patch_indices(x.shape[3], kernel_size[1], stride[1], dilation[1])
    # patches[n, c, i, j, p, q] = x[n, c, rows[p, i], cols[q, j]]
    patches = x[:, :, rows.T[:, None, :, None], cols.T[None, :, None, :]]
    n, c = x.shape[:2]
    return patches.reshape(n, c * kernel_size[0] * kernel_size[1], rows.shape[0] * cols.shape[0])


@_nn_export("fold")
@keras_op
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums columns `(N, C*kH*kW, L)` back into images `(N, C, H, W)` (col2im; inverse of `unfold`).

    Overlapping values are added, as in `torch.nn.functional.fold`.
    """
    x = convert_to_tensor(x)
    height, width = spatial_tuple(output_size, 2, "output_size")
    kernel_size = spatial_tuple(kernel_size, 2, "kernel_size")
    dilation, padding = spatial_tuple(dilation, 2, "dilation"), spatial_tuple(padding, 2, "padding")
    stride = spatial_tuple(stride, 2, "stride")
    padded_height, padded_width = height + 2 * padding[0], width + 2 * padding[1]
    rows = _patch_indices(padded_height, kernel_size[0], stride[0], dilation[0])
    cols = _patch_indices(padded_width, kernel_size[1], stride[1], dilation[1])
    n = x.shape[0]
    channels = x.shape[1] // (kernel_size[0] * kernel_size[1])
    blocks = x.reshape(n, channels, kernel_size[0], kernel_size[1], rows.shape[0], cols.shape[0])
    output = jnp.zeros((n, channels, padded_height, padded_width), x.dtype)
    output = output.at[:, :, rows.T[:, None, :, None], cols.T[None, :, None, :]].add(blocks)
    return output[:, :, padding[0] : padding[0] + height, padding[1] : padding[1] + width]


@_nn_export("depth_to_space")
@keras_op
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into `block_size x block_size` spatial blocks (pixel shuffle).

    `(N, H, W, C)` becomes `(N, H*b, W*b, C/b**2)` (or the channels-first equivalent).
    """
    x = convert_to_tensor(x)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


@_nn_export("space_to_depth")
@keras_op
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves `block_size x block_size` spatial blocks into channels (inverse of `depth_to_space`)."""
    x = convert_to_tensor(x)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)
