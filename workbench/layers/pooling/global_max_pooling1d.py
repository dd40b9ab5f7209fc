"""GlobalMaxPooling1D: the maximum over all steps of temporal data."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.pooling.base_global_pooling import BaseGlobalPooling


@keras_export("keras.layers.GlobalMaxPooling1D", "keras.layers.GlobalMaxPool1D")
class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling operation for temporal data: the maximum over the steps.

    As in Keras, a mask on the input is ignored: padded steps take part in the maximum.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.
        keepdims: whether to keep the pooled axes, with size 1 (default False).

    Input shape:
        3D tensor `(batch_size, steps, features)` (channels last) or
        `(batch_size, features, steps)` (channels first).

    Output shape:
        `(batch_size, features)`, or with `keepdims=True` `(batch_size, 1, features)`
        (channels last) or `(batch_size, features, 1)` (channels first).

    Example:

    >>> GlobalMaxPooling1D()(np.ones((2, 3, 4))).shape
    (2, 4)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self.spatial_axes(len(inputs.shape)), keepdims=self.keepdims)
