"""GlobalAveragePooling1D: the mean over all steps of temporal data."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.pooling.base_global_pooling import BaseGlobalPooling


@keras_export("keras.layers.GlobalAveragePooling1D", "keras.layers.GlobalAvgPool1D")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling operation for temporal data: the mean over the steps.

    With a mask (from `Embedding(mask_zero=True)` or `Masking`), only the unmasked steps are
    averaged. The output carries no mask.

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

    >>> GlobalAveragePooling1D()(np.ones((2, 3, 4))).shape
    (2, 4)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        axis = self.spatial_axes(len(inputs.shape))[0]
        if mask is None:
            return ops.mean(inputs, axis=axis, keepdims=self.keepdims)
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), -1 if axis == 1 else 1)
        total = ops.sum(ops.where(weights > 0, inputs, 0), axis=axis, keepdims=self.keepdims)
        return total / ops.sum(weights, axis=axis, keepdims=self.keepdims)

    def compute_mask(self, inputs, previous_mask=None):
        return None
