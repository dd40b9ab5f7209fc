"""Conv3D: convolution over volumes (video frames, medical scans)."""

from workbench.api_export import keras_export
from workbench.layers.convolutional.base_conv import BaseConv


@keras_export("keras.layers.Conv3D", "keras.layers.Convolution3D")
class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Computes `activation(conv3d(inputs, kernel) + bias)` with a kernel of shape
    `kernel_size + (input_channels // groups, filters)`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 3 ints, the depth, height and width of the window.
        strides: int or tuple of 3 ints. `strides > 1` is incompatible with `dilation_rate > 1`.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(input / strides)`).
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`); defaults to
            `workbench.config.image_data_format()`.
        dilation_rate: int or tuple of 3 ints, the spacing of the kernel taps.
        groups: int; the input channels are split into `groups` groups, each convolved with
            `filters // groups` filters. Must divide both the input channels and `filters`.
        activation: activation function (name or callable); None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers of the weights.
        kernel_regularizer / bias_regularizer: optional regularizers of the weights.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint / bias_constraint: optional constraints of the weights.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        5D tensor `(batch_size, new_dim1, new_dim2, new_dim3, filters)` (or channels first).

    Example:

    >>> layer = Conv3D(8, 3)
    >>> layer(np.ones((2, 6, 6, 6, 4))).shape
    (2, 4, 4, 4, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)
