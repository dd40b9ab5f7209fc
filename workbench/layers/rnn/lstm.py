"""LSTM: the Long Short-Term Memory layer (Hochreiter and Schmidhuber, 1997)."""

from workbench import activations, constraints, initializers, ops, random, regularizers
from workbench.api_export import keras_export
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate
from workbench.layers.rnn.dropout_rnn_cell import DropoutRNNCell, gated_transform
from workbench.layers.rnn.rnn import RNN, cell_property, check_units, merge_cell_config


def check_implementation(implementation):
    if implementation not in (1, 2):
        raise ValueError(
            f"`implementation` must be 1 or 2. Received: implementation={implementation!r}"
        )


def forget_bias_initializer(bias_initializer, units):
    """The LSTM bias initializer with `unit_forget_bias`: ones for the forget gate (i, f, c, o)."""

    def initializer(shape, dtype=None):
        return ops.concatenate([
            bias_initializer((units,), dtype=dtype),
            ops.ones((units,), dtype=dtype),
            bias_initializer((units * 2,), dtype=dtype),
        ])

    return initializer


@keras_export("keras.layers.LSTMCell")
class LSTMCell(Layer, DropoutRNNCell):
    """One step of LSTM. States are `[h, c]` (output and carry); the output is `h`.

    The gates are stacked in the order input, forget, cell, output (`i, f, c, o`) along the last
    axis of `kernel` `(features, 4 * units)`, `recurrent_kernel` `(units, 4 * units)` and `bias`
    `(4 * units,)`, as in Keras:

        i, f, c~, o = split(x W + h U + b)
        c' = sigmoid(f) * c + sigmoid(i) * tanh(c~);   h' = sigmoid(o) * tanh(c')

    Args:
        units: positive int, the size of the output and of each state.
        activation: the activation of the candidate and of the output (default `"tanh"`).
        recurrent_activation: the activation of the gates (default `"sigmoid"`).
        use_bias: whether the layer uses a bias vector.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers.
        unit_forget_bias: whether the forget-gate bias starts at 1 (on top of `bias_initializer`
            zeros for the other gates), as Jozefowicz et al. (2015) recommend.
        kernel_regularizer / recurrent_regularizer / bias_regularizer: optional regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: optional constraints.
        dropout: the fraction of the inputs to drop (in training), between 0 and 1.
        recurrent_dropout: the fraction of the previous output to drop (in training).
        seed: an int seed for the dropout masks.
        implementation: 2 (default) uses one dropout mask shared by the gates; 1 uses one mask
            per gate. Recurrent dropout always uses mode 1, as in Keras. The math is otherwise
            the same.

    Call arguments:
        inputs: a `(batch_size, features)` tensor: one timestep.
        states: `[h, c]`, each `(batch_size, units)`.
        training: whether dropout is applied.

    Example:

    >>> cell = LSTMCell(4)
    >>> RNN(cell)(np.ones((2, 5, 3))).shape
    (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, implementation=2, **kwargs):
        check_units(units)
        check_rate(self.__class__.__name__, dropout, "dropout")
        check_rate(self.__class__.__name__, recurrent_dropout, "recurrent_dropout")
        check_implementation(implementation)
        super().__init__(**kwargs)
        self.units = units
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
        self.implementation = 1 if recurrent_dropout else implementation
        self.dropout_mask_count = 4 if self.implementation == 1 else None
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units * 4),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel",
                                                shape=(self.units, self.units * 4),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = forget_bias_initializer(self.bias_initializer, self.units)
            self.bias = self.add_weight(name="bias", shape=(self.units * 4,),
                                        initializer=initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(axes={-1: input_shape[-1]})

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        input_masks = self.get_dropout_mask(inputs) if training else None
        recurrent_masks = self.get_recurrent_dropout_mask(h_previous) if training else None
        z = gated_transform(ops.matmul, inputs, self.kernel, input_masks, 4)
        z = ops.add(z, gated_transform(ops.matmul, h_previous, self.recurrent_kernel,
                                       recurrent_masks, 4))
        if self.bias is not None:
            z = ops.add(z, self.bias)
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        c = (self.recurrent_activation(z_f) * c_previous
             + self.recurrent_activation(z_i) * self.activation(z_c))
        h = self.recurrent_activation(z_o) * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype) for _ in range(2)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
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


@keras_export("keras.layers.LSTM")
class LSTM(RNN):
    """Long Short-Term Memory layer: an `RNN` of `LSTMCell`s, compiled as one `lax.scan`.

    Args:
        units, activation, recurrent_activation, use_bias, *_initializer, unit_forget_bias,
        *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as for `LSTMCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as for `RNN`.
        use_cudnn: accepted for Keras compatibility (`"auto"`, True or False); XLA compiles the
            same loop on every device.
        implementation: accepted as in Keras; see `LSTMCell`.

    Call arguments:
        sequences: a `(batch_size, timesteps, features)` tensor.
        initial_state: optional `[h, c]`, each `(batch_size, units)`.
        mask: optional boolean `(batch_size, timesteps)` tensor (False skips the step).
        training: whether dropout is applied.

    Input shape:
        3D tensor `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, timesteps, units)` with `return_sequences`, else `(batch_size, units)`;
        with `return_state`, followed by the final `h` and `c`, each `(batch_size, units)`.

    Example:

    >>> layer = LSTM(4, return_state=True)
    >>> output, h, c = layer(np.ones((2, 5, 3)))
    >>> output.shape, h.shape, c.shape
    ((2, 4), (2, 4), (2, 4))
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", implementation=2, **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                "`use_cudnn` must be one of 'auto', True or False. "
                f"Received: use_cudnn={use_cudnn!r}"
            )
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, implementation=implementation, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="lstm_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = use_cudnn

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    unit_forget_bias = cell_property("unit_forget_bias")
    kernel_initializer = cell_property("kernel_initializer")
    recurrent_initializer = cell_property("recurrent_initializer")
    bias_initializer = cell_property("bias_initializer")
    kernel_regularizer = cell_property("kernel_regularizer")
    recurrent_regularizer = cell_property("recurrent_regularizer")
    bias_regularizer = cell_property("bias_regularizer")
    kernel_constraint = cell_property("kernel_constraint")
    recurrent_constraint = cell_property("recurrent_constraint")
    bias_constraint = cell_property("bias_constraint")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def get_config(self):
        return merge_cell_config(super().get_config(), self.cell, self.activity_regularizer)
