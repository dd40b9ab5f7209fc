"""ConvLSTM3D: a 3D convolutional LSTM over sequences of 3D feature maps."""

from workbench.api_export import keras_export
from workbench.layers.rnn.conv_lstm import ConvLSTM


@keras_export("keras.layers.ConvLSTM3D")
class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM: an LSTM whose input and recurrent transformations are 3D convolutions.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 3 ints: the convolution window.
        strides: an int or 3 ints; strides > 1 exclude `dilation_rate` > 1.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(input / strides)`).
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
        dilation_rate: an int or 3 ints, the dilation of the input convolution.
        activation / recurrent_activation: as for `LSTM` (`"tanh"`, `"sigmoid"`).
        use_bias, kernel_initializer, recurrent_initializer, bias_initializer, unit_forget_bias:
            as for `LSTM`.
        kernel_regularizer / recurrent_regularizer / bias_regularizer / activity_regularizer,
        kernel_constraint / recurrent_constraint / bias_constraint: optional, as for `LSTM`.
        dropout / recurrent_dropout: the fractions of the inputs and of the previous output to
            drop in training (one mask per gate).
        seed: an int seed for the dropout masks.
        return_sequences, return_state, go_backwards, stateful: as for `RNN`.

    Call arguments:
        sequences: the input tensor.
        initial_state: optional `[h, c]`, each shaped like one output step.
        mask: optional boolean `(batch_size, timesteps)` tensor.
        training: whether dropout is applied.

    Input shape:
        `(batch_size, timesteps, dim1, dim2, dim3, channels)` (channels last), or
        `(batch_size, timesteps, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch_size, [timesteps,] new_dim1, new_dim2, new_dim3, filters)` (channels last), with the
        time axis only with `return_sequences`; with `return_state`, followed by the final `h`
        and `c`.

    Example:

    >>> layer = ConvLSTM3D(4, 3)
    >>> layer(np.ones((2, 3, 6, 6, 6, 2))).shape
    (2, 4, 4, 4, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs)
