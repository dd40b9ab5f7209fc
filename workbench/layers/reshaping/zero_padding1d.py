"""ZeroPadding1D: adds zeros at the start and end of sequences."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import standardize_tuple
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.ZeroPadding1D")
class ZeroPadding1D(Layer):
    """Zero-padding layer for 1D input (e.g. temporal sequence): pads the steps axis with zeros.

    Args:
        padding: int, or tuple of 2 ints: how many zero steps to add at the start and at the
            end. An int adds that many at both ends. Default 1.
        data_format: `"channels_last"` (`(batch, steps, features)`) or `"channels_first"`
            (`(batch, features, steps)`); defaults to `workbench.config.image_data_format()`.

    Input shape:
        3D tensor `(batch_size, axis_to_pad, features)` (channels last) or
        `(batch_size, features, axis_to_pad)` (channels first).

    Output shape:
        3D tensor `(batch_size, padded_axis, features)` (or channels first).

    Example:

    >>> ZeroPadding1D(padding=(1, 2))(np.ones((2, 3, 4))).shape
    (2, 6, 4)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        if self.data_format == "channels_last":
            return ops.pad(inputs, ((0, 0), self.padding, (0, 0)))
        return ops.pad(inputs, ((0, 0), (0, 0), self.padding))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = 1 if self.data_format == "channels_last" else 2
        if shape[axis] is not None:
            shape[axis] += sum(self.padding)
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
