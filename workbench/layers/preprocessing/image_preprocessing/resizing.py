"""Resizing: resizes images to a fixed height and width."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    check_size,
)
from workbench.layers.preprocessing.preprocessing_utils import check_option

_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


@keras_export("keras.layers.Resizing")
class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)`, in training and inference alike.

    Integer images stay integers (rounded and saturated); float images keep their dtype.

    Args:
        height: the output height.
        width: the output width.
        interpolation: `"bilinear"` (default), `"nearest"`, `"bicubic"`, `"lanczos3"` or
            `"lanczos5"`.
        crop_to_aspect_ratio: first center-crop to the target aspect ratio, so nothing is
            stretched.
        pad_to_aspect_ratio: first pad (with `fill_value`) to the target aspect ratio.
        fill_mode: how padding is filled; only `"constant"`.
        fill_value: the padding value.
        antialias: low-pass filter when downsampling.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(height, width, channels)` or `(batch, height, width, channels)` (channels first
        with `data_format="channels_first"`).

    Output shape:
        The same, with the new height and width.

    Example:

    >>> Resizing(4, 4)(np.ones((2, 8, 8, 3))).shape
    (2, 4, 4, 3)
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, antialias=False,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        check_size("Resizing", height, width)
        check_option("Resizing", "interpolation", interpolation, _INTERPOLATIONS)
        check_option("Resizing", "fill_mode", fill_mode, ("constant",))
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Resizing: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True. "
                f"Received: crop_to_aspect_ratio={crop_to_aspect_ratio}, pad_to_aspect_ratio={pad_to_aspect_ratio}"
            )
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform_images(self, images, training):
        return ops.image.resize(
            images, (self.height, self.width), interpolation=self.interpolation,
            antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
            fill_value=self.fill_value, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return self._shape_with_size(input_shape, self.height, self.width)

    def get_config(self):
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
