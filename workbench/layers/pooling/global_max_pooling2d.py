"""GlobalMaxPooling2D: the maximum over all height and width of 2D spatial data."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.pooling.base_global_pooling import BaseGlobalPooling


@keras_export("keras.layers.GlobalMaxPooling2D", "keras.layers.GlobalMaxPool2D")
class GlobalMaxPooling2D(BaseGlobalPooling):
    """Global max pooling operation for 2D spatial data: the maximum over the height and width.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.
        keepdims: whether to keep the pooled axes, with size 1 (default False).

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        `(batch_size, channels)`, or with `keepdims=True` `(batch_size, 1, 1, channels)`
        (channels last) or `(batch_size, channels, 1, 1)` (channels first).

    Example:

    >>> GlobalMaxPooling2D()(np.ones((2, 4, 5, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self.spatial_axes(len(inputs.shape)), keepdims=self.keepdims)
