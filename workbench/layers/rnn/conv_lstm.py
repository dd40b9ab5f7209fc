"""ConvLSTM: an LSTM whose input and recurrent transformations are convolutions."""

from workbench import activations, constraints, initializers, ops, random, regularizers, tree
from workbench.backend import config as backend_config
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate
from workbench.layers.rnn.dropout_rnn_cell import DropoutRNNCell, gated_transform
from workbench.layers.rnn.lstm import forget_bias_initializer
from workbench.layers.rnn.rnn import RNN, cell_property, check_units, merge_cell_config


def _spatial_tuple(value, rank, name):
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    valid = all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values)
    if len(values) != rank or not valid:
        raise ValueError(
            f"`{name}` must be a positive int or a tuple of {rank} positive ints. "
            f"Received: {name}={value!r}"
        )
    return values


def _conv_output_length(length, kernel_size, padding, stride, dilation):
    if length is None:
        return None
    if padding == "same":
        return -(-length // stride)
    return (length - (kernel_size - 1) * dilation - 1) // stride + 1


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One step of ConvLSTM: the LSTM gates (`i, f, c, o`) computed by convolutions.

    `kernel` is `(*kernel_size, channels, 4 * filters)` and `recurrent_kernel`
    `(*kernel_size, filters, 4 * filters)`, with the gates stacked on the last axis as in Keras.
    The recurrent convolution uses stride 1 and `"same"` padding.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: as for `Conv2D`.
        The other arguments are as for `LSTMCell`; dropout uses one mask per gate.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTM supports rank 1, 2 or 3. Received: rank={rank!r}")
        check_units(filters, "filters")
        check_rate(self.__class__.__name__, dropout, "dropout")
        check_rate(self.__class__.__name__, recurrent_dropout, "recurrent_dropout")
        super().__init__(**kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = _spatial_tuple(kernel_size, rank, "kernel_size")
        self.strides = _spatial_tuple(strides, rank, "strides")
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
        self.data_format = backend_config.standardize_data_format(data_format)
        self.dilation_rate = _spatial_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` is not compatible with `dilation_rate > 1`. Received: "
                f"strides={self.strides}, dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.dropout_mask_count = 4
        self.state_size = -1  # The states are feature maps; `get_initial_state` makes them.
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, inputs_shape, states_shape=None):
        spatial = inputs_shape[1:-1] if self.data_format == "channels_last" else inputs_shape[2:]
        channels = inputs_shape[self._channel_axis]
        if None in spatial or channels is None:
            raise ValueError(
                "ConvLSTM needs static spatial and channel dimensions. Received: "
                f"input_shape={tuple(inputs_shape)}"
            )
        self.spatial_dims = tuple(spatial)
        self.input_dim = channels
        self.kernel = self.add_weight(name="kernel",
                                      shape=self.kernel_size + (channels, self.filters * 4),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=self.kernel_size + (self.filters, self.filters * 4),
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = forget_bias_initializer(self.bias_initializer, self.filters)
            self.bias = self.add_weight(name="bias", shape=(self.filters * 4,),
                                        initializer=initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def _input_conv(self, x, kernel):
        return ops.conv(x, kernel, strides=self.strides, padding=self.padding,
                        data_format=self.data_format, dilation_rate=self.dilation_rate)

    def _recurrent_conv(self, h, kernel):
        return ops.conv(h, kernel, strides=1, padding="same", data_format=self.data_format)

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        input_masks = self.get_dropout_mask(inputs) if training else None
        recurrent_masks = self.get_recurrent_dropout_mask(h_previous) if training else None
        axis = self._channel_axis
        z = gated_transform(self._input_conv, inputs, self.kernel, input_masks, 4, axis=axis)
        z = z + gated_transform(self._recurrent_conv, h_previous, self.recurrent_kernel,
                                recurrent_masks, 4, axis=axis)
        if self.bias is not None:
            bias_shape = [1] * z.ndim
            bias_shape[axis] = self.filters * 4
            z = z + ops.reshape(self.bias, bias_shape)
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=axis)
        c = (self.recurrent_activation(z_f) * c_previous
             + self.recurrent_activation(z_i) * self.activation(z_c))
        h = self.recurrent_activation(z_o) * self.activation(c)
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        """`(output_shape, [h_shape, c_shape])` for one step's input shape."""
        spatial = inputs_shape[1:-1] if self.data_format == "channels_last" else inputs_shape[2:]
        spatial = tuple(
            _conv_output_length(length, k, self.padding, s, d)
            for length, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        if self.data_format == "channels_last":
            shape = (inputs_shape[0],) + spatial + (self.filters,)
        else:
            shape = (inputs_shape[0], self.filters) + spatial
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            step_shape = (batch_size,) + self.spatial_dims + (self.input_dim,)
        else:
            step_shape = (batch_size, self.input_dim) + self.spatial_dims
        state_shape = self.compute_output_shape(step_shape)[0]
        return [ops.zeros(state_shape, dtype=self.compute_dtype) for _ in range(2)]

    def get_config(self):
        return {
            **super().get_config(),
            "rank": self.rank,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class ConvLSTM(RNN):
    """The N-D convolutional LSTM behind `ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D`.

    Args:
        rank: the number of spatial dimensions.
        The other arguments are as for `ConvLSTMCell` and `RNN`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="conv_lstm_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    filters = cell_property("filters")
    kernel_size = cell_property("kernel_size")
    strides = cell_property("strides")
    padding = cell_property("padding")
    data_format = cell_property("data_format")
    dilation_rate = cell_property("dilation_rate")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    kernel_initializer = cell_property("kernel_initializer")
    recurrent_initializer = cell_property("recurrent_initializer")
    bias_initializer = cell_property("bias_initializer")
    unit_forget_bias = cell_property("unit_forget_bias")
    kernel_regularizer = cell_property("kernel_regularizer")
    recurrent_regularizer = cell_property("recurrent_regularizer")
    bias_regularizer = cell_property("bias_regularizer")
    kernel_constraint = cell_property("kernel_constraint")
    recurrent_constraint = cell_property("recurrent_constraint")
    bias_constraint = cell_property("bias_constraint")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, timesteps = sequences_shape[0], sequences_shape[1]
        step_shape = (batch_size,) + tuple(sequences_shape[2:])
        state_shape = self.cell.compute_output_shape(step_shape)[0]
        output_shape = state_shape
        if self.return_sequences:
            output_shape = (state_shape[0], timesteps) + state_shape[1:]
        if self.return_state:
            return output_shape, state_shape, state_shape
        return output_shape

    def compute_mask(self, inputs, previous_mask):
        mask = tree.flatten(previous_mask)[0] if previous_mask is not None else None
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask

    def get_config(self):
        config = merge_cell_config(super().get_config(), self.cell, self.activity_regularizer)
        del config["rank"]  # Set by the subclass (ConvLSTM1D, 2D, 3D).
        return config
