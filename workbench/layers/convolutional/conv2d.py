"""Conv2D: spatial convolution over images."""

from workbench.api_export import keras_export
from workbench.layers.convolutional.base_conv import BaseConv


@keras_export("keras.layers.Conv2D", "keras.layers.Convolution2D")
class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Computes `activation(conv2d(inputs, kernel) + bias)` with a kernel of shape
    `kernel_size + (input_channels // groups, filters)`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the height and width of the convolution window.
        strides: int or tuple of 2 ints. `strides > 1` is incompatible with `dilation_rate > 1`.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, so that the output size is
            `ceil(input / strides)`).
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"` (`(batch, channels, height, width)`); defaults to
            `workbench.config.image_data_format()`.
        dilation_rate: int or tuple of 2 ints, the spacing of the kernel taps.
        groups: int; the input channels are split into `groups` groups, each convolved with
            `filters // groups` filters. Must divide both the input channels and `filters`.
        activation: activation function (name or callable); None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers of the weights.
        kernel_regularizer / bias_regularizer: optional regularizers of the weights.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint / bias_constraint: optional constraints of the weights.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, new_height, new_width, filters)` (or channels first).

    Example:

    >>> layer = Conv2D(32, (3, 3), activation="relu")
    >>> layer(np.ones((4, 10, 10, 128))).shape
    (4, 8, 8, 32)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)
