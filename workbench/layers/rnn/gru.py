"""GRU: the Gated Recurrent Unit layer (Cho et al., 2014)."""

from workbench import activations, constraints, initializers, ops, random, regularizers
from workbench.api_export import keras_export
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate
from workbench.layers.rnn.dropout_rnn_cell import DropoutRNNCell, gate_inputs, gated_transform
from workbench.layers.rnn.lstm import check_implementation
from workbench.layers.rnn.rnn import RNN, cell_property, check_units, merge_cell_config


@keras_export("keras.layers.GRUCell")
class GRUCell(Layer, DropoutRNNCell):
    """One step of GRU. The state is `h`, which is also the output.

    The gates are stacked in the order update, reset, candidate (`z, r, h`) along the last axis
    of `kernel` `(features, 3 * units)` and `recurrent_kernel` `(units, 3 * units)`, as in Keras:

        z = sigmoid(x W_z + h U_z + b_z);   r = sigmoid(x W_r + h U_r + b_r)
        h~ = tanh(x W_h + r * (h U_h + b'_h))      (reset_after=True)
        h~ = tanh(x W_h + (r * h) U_h + b_h)       (reset_after=False)
        h' = z * h + (1 - z) * h~

    With `reset_after=True` (the default, cuDNN-compatible) the bias is `(2, 3 * units)`: the
    input bias and the recurrent bias; otherwise it is `(3 * units,)`.

    Args:
        units: positive int, the size of the output and of the state.
        activation: the activation of the candidate (default `"tanh"`).
        recurrent_activation: the activation of the gates (default `"sigmoid"`).
        use_bias: whether the layer uses a bias.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers.
        kernel_regularizer / recurrent_regularizer / bias_regularizer: optional regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: optional constraints.
        dropout: the fraction of the inputs to drop (in training), between 0 and 1.
        recurrent_dropout: the fraction of the previous state to drop (in training).
        reset_after: whether the reset gate applies after the recurrent matrix product.
        seed: an int seed for the dropout masks.
        implementation: 2 (default) shares one dropout mask between the gates; 1 uses one per
            gate (always the case with recurrent dropout, as in Keras).

    Call arguments:
        inputs: a `(batch_size, features)` tensor: one timestep.
        states: `[h]`, `(batch_size, units)`.
        training: whether dropout is applied.

    Example:

    >>> cell = GRUCell(4)
    >>> RNN(cell)(np.ones((2, 5, 3))).shape
    (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, implementation=2, **kwargs):
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
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.reset_after = reset_after
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.implementation = 1 if recurrent_dropout else implementation
        self.dropout_mask_count = 3 if self.implementation == 1 else None
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units * 3),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel",
                                                shape=(self.units, self.units * 3),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            shape = (2, self.units * 3) if self.reset_after else (self.units * 3,)
            self.bias = self.add_weight(name="bias", shape=shape, initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(axes={-1: input_shape[-1]})

    def call(self, inputs, states, training=False):
        h_previous = states[0] if isinstance(states, (list, tuple)) else states
        input_masks = self.get_dropout_mask(inputs) if training else None
        recurrent_masks = self.get_recurrent_dropout_mask(h_previous) if training else None
        input_bias = recurrent_bias = None
        if self.bias is not None:
            if self.reset_after:
                input_bias, recurrent_bias = self.bias[0], self.bias[1]
            else:
                input_bias = self.bias

        x = gated_transform(ops.matmul, inputs, self.kernel, input_masks, 3)
        if input_bias is not None:
            x = ops.add(x, input_bias)
        x_z, x_r, x_h = ops.split(x, 3, axis=-1)

        if self.reset_after:
            recurrent = gated_transform(ops.matmul, h_previous, self.recurrent_kernel,
                                        recurrent_masks, 3)
            if recurrent_bias is not None:
                recurrent = ops.add(recurrent, recurrent_bias)
            recurrent_z, recurrent_r, recurrent_h = ops.split(recurrent, 3, axis=-1)
            z = self.recurrent_activation(x_z + recurrent_z)
            r = self.recurrent_activation(x_r + recurrent_r)
            candidate = self.activation(x_h + r * recurrent_h)
        else:
            h_h = gate_inputs(h_previous, recurrent_masks, 3)[2]
            kernel_zr = self.recurrent_kernel[:, : 2 * self.units]
            masks_zr = recurrent_masks[:2] if isinstance(recurrent_masks, list) else recurrent_masks
            recurrent_zr = gated_transform(ops.matmul, h_previous, kernel_zr, masks_zr, 2)
            recurrent_z, recurrent_r = ops.split(recurrent_zr, 2, axis=-1)
            z = self.recurrent_activation(x_z + recurrent_z)
            r = self.recurrent_activation(x_r + recurrent_r)
            candidate = self.activation(
                x_h + ops.matmul(r * h_h, self.recurrent_kernel[:, 2 * self.units:]))

        h = z * h_previous + (1 - z) * candidate
        return h, [h] if isinstance(states, (list, tuple)) else h

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
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
            "reset_after": self.reset_after,
            "seed": self.seed,
        }


@keras_export("keras.layers.GRU")
class GRU(RNN):
    """Gated Recurrent Unit layer: an `RNN` of `GRUCell`s, compiled as one `lax.scan`.

    Args:
        units, activation, recurrent_activation, use_bias, *_initializer, *_regularizer,
        *_constraint, dropout, recurrent_dropout, reset_after, seed: as for `GRUCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as for `RNN`.
        use_cudnn: accepted for Keras compatibility (`"auto"`, True or False).
        implementation: accepted as in Keras; see `GRUCell`.

    Call arguments:
        sequences: a `(batch_size, timesteps, features)` tensor.
        initial_state: optional `[h]`, `(batch_size, units)`.
        mask: optional boolean `(batch_size, timesteps)` tensor (False skips the step).
        training: whether dropout is applied.

    Input shape:
        3D tensor `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, timesteps, units)` with `return_sequences`, else `(batch_size, units)`;
        with `return_state`, followed by the final state `(batch_size, units)`.

    Example:

    >>> layer = GRU(4, return_sequences=True)
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", implementation=2, **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                "`use_cudnn` must be one of 'auto', True or False. "
                f"Received: use_cudnn={use_cudnn!r}"
            )
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            seed=seed, implementation=implementation, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="gru_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = use_cudnn

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
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
    reset_after = cell_property("reset_after")

    def get_config(self):
        return merge_cell_config(super().get_config(), self.cell, self.activity_regularizer)
