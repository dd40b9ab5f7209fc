"""BaseConvTranspose: the shared body of Conv1DTranspose, Conv2DTranspose and Conv3DTranspose."""

from workbench import activations, constraints, initializers, ops, regularizers
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import (
    add_bias_and_activate,
    channel_axis,
    check_output_positive,
    check_positive_int,
    input_channels,
    spatial_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


def conv_transpose_output_length(length, kernel_size, padding, output_padding, stride, dilation):
    """The output length of one spatial axis of a transposed convolution; None stays None."""
    if length is None:
        return None
    extent = (kernel_size - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(extent - stride, 0)
        return length * stride
    crop = 0 if padding == "valid" else extent // 2
    return (length - 1) * stride + extent - 2 * crop + output_padding


class BaseConvTranspose(Layer):
    """The N-D transposed convolution (the gradient of `conv` with respect to its input).

    The kernel has shape `kernel_size + (filters, input_channels)`, as in Keras.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: as in `BaseConv`.
        output_padding: None, an int or `rank` ints, each smaller than its stride: the extra
            size added to one side of the output; None infers it.
        activation, use_bias, *_initializer, *_regularizer, *_constraint: as in `Dense`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer_name = self.__class__.__name__
        self.filters = check_positive_int(layer_name, "filters", filters)
        self.rank = rank
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{layer_name}: `strides > 1` cannot be combined with `dilation_rate > 1`. "
                f"Received: strides={self.strides}, dilation_rate={self.dilation_rate}"
            )
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(output_padding, rank, "output_padding",
                                                    allow_zero=True)
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f"{layer_name}: each `output_padding` must be smaller than its stride. "
                    f"Received: output_padding={self.output_padding}, strides={self.strides}"
                )
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        check_output_positive(self, input_shape, self.compute_output_shape(input_shape))
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        kernel_shape = self.kernel_size + (self.filters, channels)
        self.kernel = self.add_weight(name="kernel", shape=kernel_shape,
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True  # also when `build` is called directly, as Keras's build wrapper does

    def call(self, inputs):
        outputs = ops.conv_transpose(inputs, self.kernel, strides=self.strides,
                                     padding=self.padding, output_padding=self.output_padding,
                                     data_format=self.data_format, dilation_rate=self.dilation_rate)
        return add_bias_and_activate(self, outputs)

    def compute_output_shape(self, input_shape):
        output_padding = self.output_padding or (None,) * self.rank
        spatial = [
            conv_transpose_output_length(length, k, self.padding, p, s, d)
            for length, k, p, s, d in zip(spatial_shape(input_shape, self.data_format),
                                          self.kernel_size, output_padding, self.strides,
                                          self.dilation_rate)
        ]
        return with_channels(input_shape[0], spatial, self.filters, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
