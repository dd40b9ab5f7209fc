"""AdaptiveAveragePooling1D: average pooling of temporal data to a fixed output size."""

from workbench.api_export import keras_export
from workbench.layers.pooling.base_adaptive_pooling import BaseAdaptiveAveragePooling


@keras_export("keras.layers.AdaptiveAveragePooling1D")
class AdaptiveAveragePooling1D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling for temporal data: pools any input size down to `output_size`.

    Each spatial axis of length `n` is split into `m` cells, cell `i` covering
    `[floor(i * n / m), ceil((i + 1) * n / m))`, and each cell gives its mean, as PyTorch's
    `AdaptiveMaxPool`/`AdaptiveAvgPool` do.

    Args:
        output_size: int or tuple of 1 int, the output length.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.

    Input shape:
        3D tensor `(batch_size, steps, features)` (channels last) or
        `(batch_size, features, steps)` (channels first).

    Output shape:
        3D tensor `(batch_size, output_size, features)` (or channels first).

    Example:

    >>> AdaptiveAveragePooling1D(4)(np.ones((2, 10, 3))).shape
    (2, 4, 3)
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, pool_dimensions=1, data_format=data_format, **kwargs)
