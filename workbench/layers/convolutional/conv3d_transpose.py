"""Conv3DTranspose: transposed convolution that upsamples volumes."""

from workbench.api_export import keras_export
from workbench.layers.convolutional.base_conv_transpose import BaseConvTranspose


@keras_export("keras.layers.Conv3DTranspose", "keras.layers.Convolution3DTranspose")
class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer (sometimes called deconvolution).

    It goes the opposite way of a `Conv3D`: from something with the shape of a convolution's
    output back to something with the shape of its input, keeping a compatible connectivity
    pattern. The kernel has shape `kernel_size + (filters, input_channels)`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 3 ints, the size of the convolution window.
        strides: int or tuple of 3 ints, the upsampling factor. `strides > 1` is incompatible
            with `dilation_rate > 1`.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or tuple of 3 ints, each smaller than its stride: the
            extra size added to one side of the output, to pick among the output sizes that
            map back to the input size. None infers it.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.
        dilation_rate: int or tuple of 3 ints, the spacing of the kernel taps.
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

    >>> layer = Conv3DTranspose(4, 2, strides=2)
    >>> layer(np.ones((2, 3, 3, 3, 8))).shape
    (2, 6, 6, 6, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)
