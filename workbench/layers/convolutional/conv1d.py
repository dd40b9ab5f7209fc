"""Conv1D: temporal convolution over `(batch, steps, channels)` sequences."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.convolutional.base_conv import BaseConv


@keras_export("keras.layers.Conv1D", "keras.layers.Convolution1D")
class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution).

    Computes `activation(conv1d(inputs, kernel) + bias)` with a kernel of shape
    `kernel_size + (input_channels // groups, filters)`.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple of 1 int, the length of the convolution window.
        strides: int or tuple of 1 int. `strides > 1` is incompatible with `dilation_rate > 1`.
        padding: `"valid"` (no padding), `"same"` (output length `ceil(steps / strides)`) or
            `"causal"` (left padding only, so `output[t]` never depends on `input[t + 1:]`;
            for autoregressive models such as WaveNet).
        data_format: `"channels_last"` (`(batch, steps, channels)`) or `"channels_first"`
            (`(batch, channels, steps)`); defaults to `workbench.config.image_data_format()`.
        dilation_rate: int or tuple of 1 int, the spacing of the kernel taps.
        groups: int; the input channels are split into `groups` groups, each convolved with
            `filters // groups` filters. Must divide both the input channels and `filters`.
        activation: activation function (name or callable); None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers of the weights.
        kernel_regularizer / bias_regularizer: optional regularizers of the weights.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint / bias_constraint: optional constraints of the weights.

    Input shape:
        3D tensor `(batch_size, steps, channels)` (channels last) or
        `(batch_size, channels, steps)` (channels first).

    Output shape:
        3D tensor `(batch_size, new_steps, filters)` (or channels first).

    Example:

    >>> layer = Conv1D(32, 3, activation="relu")
    >>> layer(np.ones((4, 10, 128))).shape
    (4, 8, 32)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)

    def convolution_op(self, inputs, kernel):
        if self.padding != "causal":
            return super().convolution_op(inputs, kernel)
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        steps = (left, 0)
        inputs = ops.pad(inputs, ((0, 0), steps, (0, 0)) if self.data_format == "channels_last"
                         else ((0, 0), (0, 0), steps))
        return ops.conv(inputs, kernel, strides=self.strides, padding="valid",
                        data_format=self.data_format, dilation_rate=self.dilation_rate)
