"""AdaptiveMaxPooling3D: max pooling of 3D (volumetric) data to a fixed output size."""

from workbench.api_export import keras_export
from workbench.layers.pooling.base_adaptive_pooling import BaseAdaptiveMaxPooling


@keras_export("keras.layers.AdaptiveMaxPooling3D")
class AdaptiveMaxPooling3D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling for 3D (volumetric) data: pools any input size down to `output_size`.

    Each spatial axis of length `n` is split into `m` cells, cell `i` covering
    `[floor(i * n / m), ceil((i + 1) * n / m))`, and each cell gives its maximum, as PyTorch's
    `AdaptiveMaxPool`/`AdaptiveAvgPool` do.

    Args:
        output_size: int or tuple of 3 ints, the output sizes.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last) or
        `(batch_size, channels, dim1, dim2, dim3)` (channels first).

    Output shape:
        5D tensor `(batch_size, out1, out2, out3, channels)` (or channels first).

    Example:

    >>> AdaptiveMaxPooling3D(2)(np.ones((1, 8, 8, 8, 2))).shape
    (1, 2, 2, 2, 2)
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, pool_dimensions=3, data_format=data_format, **kwargs)
