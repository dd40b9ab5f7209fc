"""BaseConv: the shared body of Conv1D, Conv2D and Conv3D, plus the argument helpers that the
convolution, pooling and spatial reshaping layers share."""

import numbers

from workbench import activations, constraints, initializers, ops, regularizers
from workbench.backend.config import standardize_data_format
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def standardize_tuple(value, rank, name, allow_zero=False):
    """An int or a sequence of `rank` ints, as a tuple of ints that are positive (or >= 0)."""
    if _is_int(value):
        values = (int(value),) * rank
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = None
        if values is None or len(values) != rank or not all(_is_int(v) for v in values):
            raise ValueError(
                f"`{name}` must be an int or a tuple of {rank} ints. Received: {name}={value!r}"
            )
        values = tuple(int(v) for v in values)
    lowest = 0 if allow_zero else 1
    if any(v < lowest for v in values):
        raise ValueError(
            f"`{name}` must contain only values >= {lowest}. Received: {name}={value!r}"
        )
    return values


def standardize_pairs(value, rank, name):
    """An int, or `rank` entries that are each an int or a pair, as `rank` (before, after) pairs
    of ints >= 0 (for the spatial padding and cropping layers)."""
    entries = (value,) * rank if _is_int(value) else value
    try:
        entries = tuple(entries)
        if len(entries) == rank:
            return tuple(standardize_tuple(entry, 2, name, allow_zero=True) for entry in entries)
    except (TypeError, ValueError):
        pass
    raise ValueError(
        f"`{name}` must be an int >= 0, a tuple of {rank} ints, or a tuple of {rank} "
        f"(before, after) pairs. Received: {name}={value!r}"
    )


def standardize_padding(padding, allow_causal=False):
    """`"valid"`, `"same"` (or `"causal"` where allowed), case-insensitive."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if not isinstance(padding, str) or padding.lower() not in allowed:
        raise ValueError(f"`padding` must be one of {allowed}. Received: padding={padding!r}")
    return padding.lower()


def check_positive_int(layer_name, name, value):
    """`value` as an int, or a ValueError if it is not a positive integer."""
    if not _is_int(value) or value <= 0:
        raise ValueError(
            f"{layer_name}: `{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return int(value)


def conv_output_length(length, kernel_size, padding, stride, dilation):
    """The output length of one spatial axis; None stays None."""
    if length is None:
        return None
    extent = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        return (length - extent) // stride + 1
    return (length - 1) // stride + 1  # "same", and "causal" (left-padded, then "valid")


def channel_axis(data_format):
    return -1 if data_format == "channels_last" else 1


def spatial_shape(input_shape, data_format):
    return tuple(input_shape[1:-1]) if data_format == "channels_last" else tuple(input_shape[2:])


def with_channels(batch, spatial, channels, data_format):
    """An output shape from its batch size, spatial sizes and channels, in `data_format` order."""
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def input_channels(layer, input_shape):
    """The known channel count of `input_shape`, or a ValueError that says how to fix it."""
    channels = input_shape[channel_axis(layer.data_format)]
    if channels is None:
        raise ValueError(
            f'Layer "{layer.name}" needs a known channel dimension to create its kernel '
            f"(data_format={layer.data_format!r}). Received input_shape={tuple(input_shape)}"
        )
    return channels


def check_output_positive(layer, input_shape, output_shape):
    if any(d is not None and d <= 0 for d in output_shape[1:]):
        raise ValueError(
            f'Layer "{layer.name}": the output size would be zero or negative '
            f"({tuple(output_shape)}) for input shape {tuple(input_shape)}. Use a smaller "
            "kernel_size, strides or dilation_rate, padding='same', or a larger input."
        )


def add_bias_and_activate(layer, outputs):
    """`activation(outputs + bias)`, the bias broadcast along the channel axis."""
    if layer.bias is not None:
        rank = len(outputs.shape) - 2
        if layer.data_format == "channels_last":
            bias_shape = (1,) * (rank + 1) + (-1,)
        else:
            bias_shape = (1, -1) + (1,) * rank
        outputs = ops.add(outputs, ops.reshape(layer.bias, bias_shape))
    return layer.activation(outputs)


class BaseConv(Layer):
    """The N-D convolution `activation(conv(inputs, kernel) + bias)`; see Conv1D/2D/3D.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: an int or `rank` ints, the size of the convolution window.
        strides: an int or `rank` ints; strides > 1 cannot be combined with dilation_rate > 1.
        padding: `"valid"`, `"same"`, or (rank 1 only) `"causal"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to the global setting.
        dilation_rate: an int or `rank` ints, the spacing of the kernel taps.
        groups: split the input channels into this many groups, each convolved with
            `filters // groups` filters; must divide both the input channels and `filters`.
        activation, use_bias, *_initializer, *_regularizer, *_constraint: as in `Dense`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer_name = self.__class__.__name__
        filters = check_positive_int(layer_name, "filters", filters)
        groups = check_positive_int(layer_name, "groups", groups)
        if filters % groups:
            raise ValueError(
                f"{layer_name}: `filters` must be a multiple of `groups`. Received: "
                f"filters={filters}, groups={groups}"
            )
        self.rank = rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{layer_name}: `strides > 1` cannot be combined with `dilation_rate > 1`. "
                f"Received: strides={self.strides}, dilation_rate={self.dilation_rate}"
            )
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
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
        if channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}": the input channels ({channels}) must be a multiple of '
                f"groups={self.groups}. Received input_shape={tuple(input_shape)}"
            )
        check_output_positive(self, input_shape, self.compute_output_shape(input_shape))
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        kernel_shape = self.kernel_size + (channels // self.groups, self.filters)
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

    def convolution_op(self, inputs, kernel):
        return ops.conv(inputs, kernel, strides=self.strides, padding=self.padding,
                        data_format=self.data_format, dilation_rate=self.dilation_rate)

    def call(self, inputs):
        return add_bias_and_activate(self, self.convolution_op(inputs, self.kernel))

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
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
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
