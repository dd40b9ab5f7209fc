"""MaxPooling2D: max pooling of 2D spatial data."""

from workbench.api_export import keras_export
from workbench.layers.pooling.base_pooling import BasePooling


@keras_export("keras.layers.MaxPooling2D", "keras.layers.MaxPool2D")
class MaxPooling2D(BasePooling):
    """Max pooling operation for 2D spatial data.

    Downsamples the input by taking the maximum over a window of `pool_size`, moved by
    `strides`.

    Args:
        pool_size: int or tuple of 2 ints, the window size (default (2, 2)).
        strides: int or tuple of 2 ints, or None (the default) for `pool_size`.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, so the output size is
            `ceil(input / strides)`).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, pooled_height, pooled_width, channels)` (or channels
        first), each pooled size computed as for `MaxPooling1D`.

    Example:

    >>> MaxPooling2D(pool_size=2)(np.ones((4, 6, 6, 3))).shape
    (4, 3, 3, 3)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)
