"""BaseDepthwiseConv: the shared body of DepthwiseConv1D and DepthwiseConv2D."""

from workbench import activations, constraints, initializers, ops, regularizers
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import (
    add_bias_and_activate,
    channel_axis,
    check_output_positive,
    check_positive_int,
    conv_output_length,
    input_channels,
    spatial_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


class BaseDepthwiseConv(Layer):
    """Depthwise convolution: each input channel is convolved with its own `depth_multiplier`
    filters, giving `input_channels * depth_multiplier` output channels; channels never mix.

    Weights, in order: `kernel` `kernel_size + (input_channels, depth_multiplier)` and `bias`
    `(input_channels * depth_multiplier,)`.

    Args:
        rank: the number of spatial dimensions (1 or 2).
        depth_multiplier: the number of output channels per input channel.
        kernel_size, strides, padding, data_format, dilation_rate: as in `BaseConv`.
        activation, use_bias: as in `Dense`.
        depthwise_* / bias_*: initializers, regularizers and constraints of the two weights.
    """

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.depth_multiplier = check_positive_int(self.__class__.__name__, "depth_multiplier",
                                                   depth_multiplier)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        check_output_positive(self, input_shape, self.compute_output_shape(input_shape))
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        self.kernel = self.add_weight(name="kernel",
                                      shape=self.kernel_size + (channels, self.depth_multiplier),
                                      initializer=self.depthwise_initializer,
                                      regularizer=self.depthwise_regularizer,
                                      constraint=self.depthwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(channels * self.depth_multiplier,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True  # also when `build` is called directly, as Keras's build wrapper does

    def call(self, inputs):
        outputs = ops.depthwise_conv(inputs, self.kernel, strides=self.strides,
                                     padding=self.padding, data_format=self.data_format,
                                     dilation_rate=self.dilation_rate)
        return add_bias_and_activate(self, outputs)

    def compute_output_shape(self, input_shape):
        channels = input_shape[channel_axis(self.data_format)]
        spatial = [
            conv_output_length(length, k, self.padding, s, d)
            for length, k, s, d in zip(spatial_shape(input_shape, self.data_format),
                                       self.kernel_size, self.strides, self.dilation_rate)
        ]
        return with_channels(input_shape[0], spatial,
                             None if channels is None else channels * self.depth_multiplier,
                             self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
