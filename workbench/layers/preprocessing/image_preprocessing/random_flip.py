"""RandomFlip: randomly flips images horizontally and/or vertically during training."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from workbench.layers.preprocessing.preprocessing_utils import check_option

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


@keras_export("keras.layers.RandomFlip")
class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 during training; identity in inference.

    With `"horizontal_and_vertical"`, a flipped image is flipped both ways (rotated 180
    degrees), as in Keras. The draws come from the layer's `SeedGenerator`, so with the same
    `seed` the flips match Keras's on JAX. The output is in the layer's compute dtype.

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (up-down) or
            `"horizontal_and_vertical"` (the default).
        seed: an int seed, for reproducible flips.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Call arguments:
        inputs: an image `(height, width, channels)` or a batch of images.
        training: whether to flip (default True; `fit` passes True, `predict` False).

    Example:

    >>> layer = RandomFlip("horizontal", seed=1)
    >>> layer(np.ones((2, 4, 4, 3)), training=True).shape
    (2, 4, 4, 3)
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        check_option("RandomFlip", "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))
        self.mode = mode
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def transform_images(self, images, training):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        flips = random.uniform((images.shape[0], 1, 1, 1), seed=self.generator) <= 0.5
        height_axis = self._height_axis
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=height_axis + 1), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=height_axis), images)
        return images

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
