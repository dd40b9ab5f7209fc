"""BaseSeparableConv: the shared body of SeparableConv1D and SeparableConv2D."""

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


class BaseSeparableConv(Layer):
    """A depthwise convolution (each input channel by its own `depth_multiplier` filters)
    followed by a pointwise (1x1) convolution that mixes the channels into `filters` outputs.

    Weights, in order: `depthwise_kernel` `kernel_size + (input_channels, depth_multiplier)`,
    `pointwise_kernel` `(1,) * rank + (input_channels * depth_multiplier, filters)`, `bias`.

    Args:
        rank: the number of spatial dimensions (1 or 2).
        depth_multiplier: the number of depthwise output channels per input channel.
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: as in `BaseConv`; they
            apply to the depthwise step.
        activation, use_bias: as in `Dense`.
        depthwise_* / pointwise_* / bias_*: initializers, regularizers and constraints of the
            three weights.
    """

    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer_name = self.__class__.__name__
        self.rank = rank
        self.depth_multiplier = check_positive_int(layer_name, "depth_multiplier", depth_multiplier)
        self.filters = check_positive_int(layer_name, "filters", filters)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        check_output_positive(self, input_shape, self.compute_output_shape(input_shape))
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True  # also when `build` is called directly, as Keras's build wrapper does

    def call(self, inputs):
        outputs = ops.separable_conv(inputs, self.depthwise_kernel, self.pointwise_kernel,
                                     strides=self.strides, padding=self.padding,
                                     data_format=self.data_format, dilation_rate=self.dilation_rate)
        return add_bias_and_activate(self, outputs)

    def compute_output_shape(self, input_shape):
        spatial = [
            conv_output_length(length, k, self.padding, s, d)
            for length, k, s, d in zip(spatial_shape(input_shape, self.data_format),
                                       self.kernel_size, self.strides, self.dilation_rate)
        ]
        return with_channels(input_shape[0], spatial, self.filters, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
