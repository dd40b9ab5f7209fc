"""SimpleRNN: the fully connected recurrent layer, `h_t = activation(x_t W + h_{t-1} U + b)`."""

from workbench import activations, constraints, initializers, ops, random, regularizers
from workbench.api_export import keras_export
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate
from workbench.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from workbench.layers.rnn.rnn import RNN, cell_property, check_units, merge_cell_config


@keras_export("keras.layers.SimpleRNNCell")
class SimpleRNNCell(Layer, DropoutRNNCell):
    """One step of SimpleRNN: `output = new_state = activation(x W + h U + b)`.

    Args:
        units: positive int, the size of the output and of the state.
        activation: activation function (default `"tanh"`); None means linear.
        use_bias: whether the layer uses a bias vector.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers of the input
            kernel `W`, the recurrent kernel `U` (default orthogonal) and the bias `b`.
        kernel_regularizer / recurrent_regularizer / bias_regularizer: optional regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: optional constraints.
        dropout: the fraction of the inputs to drop (in training), between 0 and 1.
        recurrent_dropout: the fraction of the previous state to drop (in training).
        seed: an int seed for the dropout masks.

    Call arguments:
        sequence: a `(batch_size, features)` tensor: one timestep.
        states: a list with the previous state, `(batch_size, units)`.
        training: whether dropout is applied.

    Example:

    >>> cell = SimpleRNNCell(4)
    >>> RNN(cell)(np.ones((2, 5, 3))).shape
    (2, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        check_units(units)
        check_rate(self.__class__.__name__, dropout, "dropout")
        check_rate(self.__class__.__name__, recurrent_dropout, "recurrent_dropout")
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
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
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel",
                                                shape=(self.units, self.units),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(axes={-1: input_shape[-1]})

    def call(self, sequence, states, training=False):
        previous_output = states[0] if isinstance(states, (list, tuple)) else states
        if training:
            input_mask = self.get_dropout_mask(sequence)
            recurrent_mask = self.get_recurrent_dropout_mask(previous_output)
            sequence = sequence if input_mask is None else sequence * input_mask
            if recurrent_mask is not None:
                previous_output = previous_output * recurrent_mask
        h = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = ops.add(h, self.bias)
        output = self.activation(h + ops.matmul(previous_output, self.recurrent_kernel))
        return output, [output] if isinstance(states, (list, tuple)) else output

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
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


@keras_export("keras.layers.SimpleRNN")
class SimpleRNN(RNN):
    """Fully connected RNN whose output is fed back as the next step's state.

    Args:
        units, activation, use_bias, *_initializer, *_regularizer, *_constraint, dropout,
        recurrent_dropout, seed: as for `SimpleRNNCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as for `RNN`.

    Call arguments:
        sequences: a `(batch_size, timesteps, features)` tensor.
        initial_state: optional list with one `(batch_size, units)` tensor.
        mask: optional boolean `(batch_size, timesteps)` tensor (False skips the step).
        training: whether dropout is applied.

    Input shape:
        3D tensor `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, timesteps, units)` with `return_sequences`, else `(batch_size, units)`;
        with `return_state`, followed by the final state `(batch_size, units)`.

    Example:

    >>> layer = SimpleRNN(4, return_sequences=True, return_state=True)
    >>> sequences, final_state = layer(np.ones((2, 5, 3)))
    >>> sequences.shape, final_state.shape
    ((2, 5, 4), (2, 4))
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False, seed=None,
                 **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    units = cell_property("units")
    activation = cell_property("activation")
    use_bias = cell_property("use_bias")
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
        config = merge_cell_config(super().get_config(), self.cell, self.activity_regularizer)
        del config["seed"]  # Keras's SimpleRNN leaves its seed out of the config.
        return config
