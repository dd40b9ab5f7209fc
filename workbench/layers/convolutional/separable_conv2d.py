"""SeparableConv2D: a depthwise then a pointwise convolution over images."""

from workbench.api_export import keras_export
from workbench.layers.convolutional.base_separable_conv import BaseSeparableConv


@keras_export("keras.layers.SeparableConv2D", "keras.layers.SeparableConvolution2D")
class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution: a depthwise convolution, then a pointwise (1x1) convolution.

    The depthwise step convolves each input channel with its own `depth_multiplier` filters;
    the pointwise step mixes the resulting channels into `filters` outputs (as in Xception and
    MobileNet). It needs far fewer weights than a `Conv2D` of the same window.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the height and width of the depthwise window.
        strides: int or tuple of 2 ints, the depthwise strides.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.
        dilation_rate: int or tuple of 2 ints, the spacing of the depthwise kernel taps.
        depth_multiplier: the number of depthwise output channels per input channel.
        activation: activation function (name or callable); None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer / pointwise_initializer / bias_initializer: initializers.
        depthwise_regularizer / pointwise_regularizer / bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint / pointwise_constraint / bias_constraint: optional constraints.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, new_height, new_width, filters)` (or channels first).

    Example:

    >>> layer = SeparableConv2D(4, 3, depth_multiplier=2)
    >>> layer(np.ones((4, 10, 10, 12))).shape
    (4, 8, 8, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, depth_multiplier=depth_multiplier, filters=filters, kernel_size=kernel_size,
            strides=strides, padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint, bias_constraint=bias_constraint, **kwargs)
