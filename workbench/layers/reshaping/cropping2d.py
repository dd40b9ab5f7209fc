"""Cropping2D: removes rows and columns at the borders of images."""

from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.convolutional.base_conv import spatial_shape, standardize_pairs, with_channels
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer
from workbench.layers.reshaping.cropping1d import check_cropping


def crop_spatial(inputs, cropping, data_format):
    """`inputs` with `(before, after)` entries removed from each spatial axis."""
    sizes = spatial_shape(inputs.shape, data_format)
    spatial = tuple(slice(before, size - after) for size, (before, after) in zip(sizes, cropping))
    if data_format == "channels_last":
        return inputs[(slice(None), *spatial, slice(None))]
    return inputs[(slice(None), slice(None), *spatial)]


def cropped_shape(input_shape, cropping, data_format):
    spatial = [None if size is None else size - before - after
               for size, (before, after) in zip(spatial_shape(input_shape, data_format), cropping)]
    channels = input_shape[-1] if data_format == "channels_last" else input_shape[1]
    return with_channels(input_shape[0], spatial, channels, data_format)


@keras_export("keras.layers.Cropping2D")
class Cropping2D(Layer):
    """Cropping layer for 2D input (e.g. pictures): crops along the height and width.

    Args:
        cropping: int, tuple of 2 ints, or tuple of 2 tuples of 2 ints.
            - an int: the same cropping at all four borders.
            - `(symmetric_height_crop, symmetric_width_crop)`.
            - `((top_crop, bottom_crop), (left_crop, right_crop))`.
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, cropped_height, cropped_width, channels)` (or channels first).

    Example:

    >>> Cropping2D(cropping=((2, 2), (4, 4)))(np.ones((2, 28, 28, 3))).shape
    (2, 24, 20, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = standardize_pairs(cropping, 2, "cropping")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        check_cropping(self, inputs.shape, spatial_shape(inputs.shape, self.data_format),
                       self.cropping)
        return crop_spatial(inputs, self.cropping, self.data_format)

    def compute_output_shape(self, input_shape):
        check_cropping(self, input_shape, spatial_shape(input_shape, self.data_format),
                       self.cropping)
        return cropped_shape(input_shape, self.cropping, self.data_format)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
