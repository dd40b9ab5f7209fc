"""GlobalAveragePooling3D: the mean over all three spatial axes of 3D data."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.pooling.base_global_pooling import BaseGlobalPooling


@keras_export("keras.layers.GlobalAveragePooling3D", "keras.layers.GlobalAvgPool3D")
class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling operation for 3D data: the mean over the three spatial axes.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.
        keepdims: whether to keep the pooled axes, with size 1 (default False).

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        `(batch_size, channels)`, or with `keepdims=True`
        `(batch_size, 1, 1, 1, channels)` (channels last) or
        `(batch_size, channels, 1, 1, 1)` (channels first).

    Example:

    >>> GlobalAveragePooling3D()(np.ones((2, 4, 5, 4, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.mean(inputs, axis=self.spatial_axes(len(inputs.shape)), keepdims=self.keepdims)
