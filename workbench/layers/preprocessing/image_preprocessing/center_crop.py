"""CenterCrop: crops the central `height x width` part of images."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    check_size,
)


@keras_export("keras.layers.CenterCrop")
class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the center of images to `(height, width)`, in training and inference alike.

    An image smaller than the target in either dimension is instead center-cropped to the target
    aspect ratio and resized (bilinear). The output is in the layer's compute dtype.

    Args:
        height: the output height.
        width: the output width.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(height, width, channels)` or `(batch, height, width, channels)` (channels first
        with `data_format="channels_first"`).

    Output shape:
        The same, with the new height and width.

    Example:

    >>> CenterCrop(2, 2)(np.arange(16.0).reshape(4, 4, 1))[..., 0]
    Array([[ 5.,  6.],
           [ 9., 10.]], dtype=float32)
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        check_size("CenterCrop", height, width)
        self.height = height
        self.width = width

    def transform_images(self, images, training):
        images = ops.cast(images, self.compute_dtype)
        height, width = self._image_size(images)
        if height < self.height or width < self.width:
            return ops.image.resize(images, (self.height, self.width), crop_to_aspect_ratio=True,
                                    data_format=self.data_format)
        top, left = (height - self.height) // 2, (width - self.width) // 2
        return ops.image.crop_images(images, top_cropping=top, left_cropping=left,
                                     target_height=self.height, target_width=self.width,
                                     data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return self._shape_with_size(input_shape, self.height, self.width)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
