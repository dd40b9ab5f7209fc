"""EinsumDense: a dense layer whose contraction is any einsum equation, e.g. `"abc,cd->abd"`."""

import copy
import re

from workbench import activations, constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.initializers.variance_scaling import VarianceScaling
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.EinsumDense")
class EinsumDense(Layer):
    """A dense layer computed as `einsum(equation, inputs, kernel) + bias`.

    The equation names the input, kernel and output axes; `...` stands for the axes the equation
    leaves alone (on the left, `"...b,bc->...c"`, or on the right, `"ab...,bc->ac..."`). The
    kernel gets every kernel axis its size from the input or from `output_shape`.

    Args:
        equation: the einsum equation `"<input>,<kernel>-><output>"`.
        output_shape: the output shape without the batch axis (and without elided axes); an int
            for a single axis. Use None for an axis of unknown size.
        activation: activation function (name or callable); None means linear.
        bias_axes: the output axes (letters of the output spec) that get a bias, or None.
        kernel_initializer / bias_initializer: initializers of the weights.
        kernel_regularizer / bias_regularizer: optional regularizers of the weights.
        kernel_constraint / bias_constraint: optional constraints of the weights.
        lora_rank / lora_alpha / gptq_unpacked_column_size / quantization_config: not supported
            yet; must be None.

    Input shape:
        N-D tensor whose axes match the input spec of `equation`.

    Output shape:
        N-D tensor `(batch_size, *output_shape)`, plus any elided axes.

    Example:

    >>> layer = EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
    >>> layer(np.ones((2, 32, 128))).shape
    (2, 32, 64)
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(equation, str):
            raise ValueError(
                f"`equation` must be a string such as 'ab,bc->ac'. Received: equation={equation!r}"
            )
        _split_equation(equation)
        if lora_rank is not None or quantization_config is not None:
            raise ValueError(
                "EinsumDense: LoRA and quantization are not supported yet. "
                f"Received: lora_rank={lora_rank}, quantization_config={quantization_config}"
            )
        self.equation = equation
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha
        self.gptq_unpacked_column_size = gptq_unpacked_column_size

    def build(self, input_shape):
        shapes = analyze_einsum_equation(self.equation, self.bias_axes, input_shape,
                                         self.partial_output_shape)
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.kernel = self.add_weight(name="kernel", shape=shapes.kernel,
                                      initializer=self._kernel_initializer_with_fans(shapes),
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if shapes.bias is not None:
            self.bias = self.add_weight(name="bias", shape=shapes.bias,
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def _kernel_initializer_with_fans(self, shapes):
        # A many-axis kernel has no obvious fan-in and fan-out; the equation says which axes are which.
        initializer = self.kernel_initializer
        if isinstance(initializer, VarianceScaling) and (
                initializer.input_axes is None or initializer.output_axes is None):
            initializer = copy.copy(initializer)
            initializer.input_axes = shapes.kernel_input_axes
            initializer.output_axes = shapes.kernel_output_axes
        return initializer

    def call(self, inputs, training=None):
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        return analyze_einsum_equation(self.equation, self.bias_axes, input_shape,
                                       self.partial_output_shape).output

    def get_config(self):
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }


class EinsumShapes:
    """The shapes an equation implies: kernel, bias (or None), full output, and the kernel's fans."""

    def __init__(self, kernel, bias, output, kernel_input_axes, kernel_output_axes):
        self.kernel = kernel
        self.bias = bias
        self.output = output
        self.kernel_input_axes = kernel_input_axes
        self.kernel_output_axes = kernel_output_axes


def _split_equation(equation):
    """Returns `(input_spec, kernel_spec, output_spec, elided)`, elided in (None, "left", "right")."""
    compact = equation.replace(" ", "")
    forms = (
        (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
        (r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)", "left"),
        (r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.", "right"),
    )
    for pattern, elided in forms:
        match = re.fullmatch(pattern, compact)
        if match:
            return match.group(1), match.group(2), match.group(3), elided
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form "
        "'[X],[Y]->[Z]', '...[X],[Y]->...[Z]', or '[X]...,[Y]->[Z]...', e.g. 'ab,bc->ac'."
    )


def analyze_einsum_equation(equation, bias_axes, input_shape, output_shape):
    """Works out the kernel, bias and output shapes of `equation` for inputs of `input_shape`."""
    input_spec, kernel_spec, output_spec, elided_side = _split_equation(equation)
    input_shape = tuple(input_shape)
    num_elided = len(input_shape) - len(input_spec)
    if num_elided < 0 or (elided_side is None and num_elided != 0):
        raise ValueError(
            f"EinsumDense equation '{equation}' expects inputs of rank {len(input_spec)}"
            f"{' or more' if elided_side else ''}. Received input_shape={input_shape}"
        )
    full_output = [input_shape[0], *output_shape]
    if elided_side == "left":
        full_output[1:1] = input_shape[1:num_elided]
        input_index = {dim: i + num_elided for i, dim in enumerate(input_spec)}
        output_index = {dim: i + num_elided for i, dim in enumerate(output_spec)}
    else:
        if elided_side == "right":
            full_output.extend(input_shape[len(input_shape) - num_elided:])
        input_index = {dim: i for i, dim in enumerate(input_spec)}
        output_index = {dim: i for i, dim in enumerate(output_spec)}

    for dim in input_spec:
        if dim in output_index:
            input_size, output_size = input_shape[input_index[dim]], full_output[output_index[dim]]
            if output_size is None:
                # A shared axis left as None in `output_shape` keeps the input's size.
                full_output[output_index[dim]] = input_size
            elif input_size is not None and output_size != input_size:
                raise ValueError(
                    f"EinsumDense equation '{equation}': input and output shapes do not match at the "
                    f"shared axis '{dim}'. The input has size {input_size}, `output_shape` gives "
                    f"{output_size}. Received input_shape={input_shape}, "
                    f"output_shape={tuple(output_shape)}"
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in kernel_spec:
            raise ValueError(
                f"EinsumDense equation '{equation}': output axis '{dim}' appears in neither the input "
                f"spec '{input_spec}' nor the kernel spec '{kernel_spec}'."
            )

    kernel_shape, kernel_input_axes, kernel_output_axes = [], [], []
    for i, dim in enumerate(kernel_spec):
        if dim in output_index:
            kernel_shape.append(full_output[output_index[dim]])
            kernel_output_axes.append(i)
        elif dim in input_index:
            kernel_shape.append(input_shape[input_index[dim]])
            kernel_input_axes.append(i)
        else:
            raise ValueError(
                f"EinsumDense equation '{equation}': kernel axis '{dim}' appears in neither the input "
                f"spec '{input_spec}' nor the output spec '{output_spec}', so its size is unknown."
            )

    bias_shape = None
    if bias_axes is not None:
        for dim in bias_axes:
            if dim not in output_spec:
                raise ValueError(
                    f"EinsumDense: bias axis '{dim}' is not in the output spec '{output_spec}' of "
                    f"equation '{equation}'. Received: bias_axes={bias_axes!r}"
                )
        # The bias broadcasts against the output from its first biased axis to the end.
        first = min(output_spec.index(dim) for dim in bias_axes)
        bias_shape = [full_output[output_index[dim]] if dim in bias_axes else 1
                      for dim in output_spec[first:]]
        if elided_side == "right":
            bias_shape.extend([1] * num_elided)
        bias_shape = tuple(bias_shape)
    return EinsumShapes(tuple(kernel_shape), bias_shape, tuple(full_output),
                        kernel_input_axes, kernel_output_axes)
