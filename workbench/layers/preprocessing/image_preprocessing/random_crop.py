"""RandomCrop: randomly crops images to a fixed size during training."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    check_size,
)


@keras_export("keras.layers.RandomCrop")
class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a random `(height, width)` window of each batch during training.

    One window position is drawn per call (shared by the batch). Images not larger than the
    target in both dimensions are instead center-cropped to the target aspect ratio and resized.
    In inference the images pass through unchanged, as in Keras 3 (use `CenterCrop` or
    `Resizing` for a fixed inference-time size).

    Args:
        height: the output height.
        width: the output width.
        seed: an int seed, for reproducible crops (the same as Keras's on JAX).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Call arguments:
        inputs: an image `(height, width, channels)` or a batch of images.
        training: whether to crop (default True; `fit` passes True, `predict` False).

    Example:

    >>> layer = RandomCrop(4, 4, seed=1)
    >>> layer(np.ones((2, 8, 8, 3)), training=True).shape
    (2, 4, 4, 3)
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        check_size("RandomCrop", height, width)
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else random.make_default_seed()
        self.generator = random.SeedGenerator(seed)

    def transform_images(self, images, training):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        height, width = self._image_size(images)
        if height > self.height and width > self.width:
            top = random.uniform((), 0, float(height - self.height + 1), seed=self.generator)
            left = random.uniform((), 0, float(width - self.width + 1), seed=self.generator)
            top, left = ops.cast(top, "int32"), ops.cast(left, "int32")
            window_height, window_width = self.height, self.width
        else:
            # Keras's fallback: a window placed as a center crop to the target aspect ratio, cut
            # at the image border, then resized to the target size.
            crop_height = max(min(height, int(width * self.height / self.width)), 1)
            crop_width = max(min(width, int(height * self.width / self.height)), 1)
            top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
            window_height, window_width = min(self.height, height - top), min(self.width, width - left)
        start = [0, top, left, 0] if self.data_format == "channels_last" else [0, 0, top, left]
        size = list(images.shape)
        size[self._height_axis], size[self._height_axis + 1] = window_height, window_width
        images = ops.slice(images, start, size)
        if (window_height, window_width) != (self.height, self.width):
            images = ops.cast(ops.image.resize(images, (self.height, self.width),
                                               data_format=self.data_format), self.compute_dtype)
        return images

    def compute_output_shape(self, input_shape):
        return self._shape_with_size(input_shape, self.height, self.width)

    def compute_output_spec(self, inputs, training=True):
        shape = self.compute_output_shape(inputs.shape) if training else inputs.shape
        return KerasTensor(shape, dtype=self.compute_dtype if training else inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}
