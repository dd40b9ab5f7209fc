"""MaxPooling3D: max pooling of 3D (volumetric) data."""

from workbench.api_export import keras_export
from workbench.layers.pooling.base_pooling import BasePooling


@keras_export("keras.layers.MaxPooling3D", "keras.layers.MaxPool3D")
class MaxPooling3D(BasePooling):
    """Max pooling operation for 3D (volumetric) data.

    Downsamples the input by taking the maximum over a window of `pool_size`, moved by
    `strides`.

    Args:
        pool_size: int or tuple of 3 ints, the window size (default (2, 2, 2)).
        strides: int or tuple of 3 ints, or None (the default) for `pool_size`.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, so the output size is
            `ceil(input / strides)`).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        5D tensor `(batch_size, pooled_dim1, pooled_dim2, pooled_dim3, channels)` (or
        channels first).

    Example:

    >>> MaxPooling3D(pool_size=2)(np.ones((2, 4, 4, 4, 3))).shape
    (2, 2, 2, 2, 3)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)
