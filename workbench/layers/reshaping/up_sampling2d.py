"""UpSampling2D: enlarges images by an integer factor, by repetition or interpolation."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import spatial_shape, standardize_tuple, with_channels
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


def repeat_spatial(inputs, size, data_format):
    """Each spatial axis repeated `size[i]` times (nearest-neighbour upsampling)."""
    first = 1 if data_format == "channels_last" else 2
    for i, factor in enumerate(size):
        inputs = ops.repeat(inputs, factor, axis=first + i)
    return inputs


def upsampled_shape(input_shape, size, data_format):
    spatial = [None if length is None else length * factor
               for length, factor in zip(spatial_shape(input_shape, data_format), size)]
    channels = input_shape[-1] if data_format == "channels_last" else input_shape[1]
    return with_channels(input_shape[0], spatial, channels, data_format)


@keras_export("keras.layers.UpSampling2D")
class UpSampling2D(Layer):
    """Upsampling layer for 2D inputs: enlarges the rows and columns by `size`.

    With `interpolation="nearest"` each pixel is repeated (no arithmetic, so it is exact and
    cheap); the other methods resize with `workbench.ops.image.resize`.

    Args:
        size: int, or tuple of 2 ints, the upsampling factors for rows and columns.
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.
        interpolation: `"nearest"` (default), `"bilinear"`, `"bicubic"`, `"lanczos3"` or
            `"lanczos5"`.

    Input shape:
        4D tensor `(batch_size, rows, cols, channels)` (channels last) or
        `(batch_size, channels, rows, cols)` (channels first).

    Output shape:
        4D tensor `(batch_size, rows * size[0], cols * size[1], channels)` (or channels first).

    Example:

    >>> UpSampling2D(size=(1, 2))(np.ones((2, 2, 1, 3))).shape
    (2, 2, 2, 3)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        if not isinstance(interpolation, str) or interpolation.lower() not in INTERPOLATIONS:
            raise ValueError(
                f"`interpolation` must be one of {INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation.lower()
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        if self.interpolation == "nearest":
            return repeat_spatial(inputs, self.size, self.data_format)
        height, width = spatial_shape(inputs.shape, self.data_format)
        return ops.image.resize(inputs, (height * self.size[0], width * self.size[1]),
                                interpolation=self.interpolation, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return upsampled_shape(input_shape, self.size, self.data_format)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}
