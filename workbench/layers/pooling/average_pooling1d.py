"""AveragePooling1D: average pooling of temporal data."""

from workbench.api_export import keras_export
from workbench.layers.pooling.base_pooling import BasePooling


@keras_export("keras.layers.AveragePooling1D", "keras.layers.AvgPool1D")
class AveragePooling1D(BasePooling):
    """Average pooling operation for temporal data.

    Downsamples the input by taking the mean over a window of `pool_size`, moved by
    `strides`. With `"same"` padding, the padded positions are not counted in the mean.

    Args:
        pool_size: int or tuple of 1 int, the window size.
        strides: int or tuple of 1 int, or None (the default) for `pool_size`.
        padding: `"valid"` (no padding) or `"same"` (pad evenly, so the output size is
            `ceil(input / strides)`).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.

    Input shape:
        3D tensor `(batch_size, steps, features)` (channels last) or
        `(batch_size, features, steps)` (channels first).

    Output shape:
        3D tensor `(batch_size, pooled_steps, features)` (or channels first), where
        `pooled_steps = (steps - pool_size) // strides + 1` with `"valid"` padding and
        `ceil(steps / strides)` with `"same"`.

    Example:

    >>> AveragePooling1D(pool_size=2)(np.arange(10.0).reshape((1, 5, 2))).shape
    (1, 2, 2)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
