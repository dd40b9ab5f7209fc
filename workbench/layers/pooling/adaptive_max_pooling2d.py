"""AdaptiveMaxPooling2D: max pooling of 2D spatial data to a fixed output size."""

from workbench.api_export import keras_export
from workbench.layers.pooling.base_adaptive_pooling import BaseAdaptiveMaxPooling


@keras_export("keras.layers.AdaptiveMaxPooling2D")
class AdaptiveMaxPooling2D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling for 2D spatial data: pools any input size down to `output_size`.

    Each spatial axis of length `n` is split into `m` cells, cell `i` covering
    `[floor(i * n / m), ceil((i + 1) * n / m))`, and each cell gives its maximum, as PyTorch's
    `AdaptiveMaxPool`/`AdaptiveAvgPool` do.

    Args:
        output_size: int or tuple of 2 ints, the output height and width.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `workbench.config.image_data_format()`.

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels last) or
        `(batch_size, channels, height, width)` (channels first).

    Output shape:
        4D tensor `(batch_size, output_height, output_width, channels)` (or channels
        first).

    Example:

    >>> AdaptiveMaxPooling2D((3, 4))(np.ones((2, 7, 9, 3))).shape
    (2, 3, 4, 3)
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, pool_dimensions=2, data_format=data_format, **kwargs)
