"""DepthwiseConv2D: per-channel convolution over images."""

from workbench.api_export import keras_export
from workbench.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


@keras_export("keras.layers.DepthwiseConv2D")
class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution: each input channel is convolved with its own filters.

    Each of the `C` input channels gets `depth_multiplier` filters of its own; the
    `C * depth_multiplier` outputs are concatenated, and channels never mix (as in MobileNet).
    It is a `Conv2D` with `groups = C`.

    Args:
        kernel_size: int or tuple of 2 ints, the height and width of the convolution window.
        strides: int or tuple of 2 ints.
        padding: `"valid"` or `"same"`.
        depth_multiplier: the number of output channels per input channel.
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.
        dilation_rate: int or tuple of 2 ints, the spacing of the kernel taps.
        activation: activation function (name or callable); None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer / bias_initializer: initializers of the weights.
        depthwise_regularizer / bias_regularizer: optional regularizers of the weights.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint / bias_constraint: optional constraints of the weights.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, new_height, new_width, channels * depth_multiplier)` (or
        channels first).

    Example:

    >>> layer = DepthwiseConv2D(3, depth_multiplier=2)
    >>> layer(np.ones((4, 10, 10, 12))).shape
    (4, 8, 8, 24)
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, depth_multiplier=depth_multiplier, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)
