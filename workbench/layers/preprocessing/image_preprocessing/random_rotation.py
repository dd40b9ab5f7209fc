"""RandomRotation: randomly rotates images during training."""

import math

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from workbench.layers.preprocessing.preprocessing_utils import check_option

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


@keras_export("keras.layers.RandomRotation")
class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates each image by a random angle about its center during training; identity in inference.

    Args:
        factor: a fraction of a full turn: `0.2` rotates by an angle in `[-0.2, 0.2] * 360`
            degrees, `(-0.2, 0.3)` in `[-72, 108]` degrees. Positive is counter-clockwise.
        fill_mode: how points outside the image are filled: `"reflect"` (default,
            `d c b a | a b c d | d c b a`), `"wrap"`, `"constant"` (with `fill_value`) or
            `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: an int seed, for reproducible rotations (the same angles as Keras's on JAX).
        fill_value: the fill value for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Call arguments:
        inputs: an image `(height, width, channels)` or a batch of images.
        training: whether to rotate (default True; `fit` passes True, `predict` False).

    Example:

    >>> layer = RandomRotation(0.1, seed=1)
    >>> layer(np.ones((2, 8, 8, 3)), training=True).shape
    (2, 8, 8, 3)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = self._standardize_factor(factor)
        check_option("RandomRotation", "fill_mode", fill_mode, FILL_MODES)
        check_option("RandomRotation", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def transform_images(self, images, training):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        degrees = random.uniform((images.shape[0],), minval=self.factor[0] * 360.0,
                                 maxval=self.factor[1] * 360.0, seed=self.generator)
        angle = degrees * (math.pi / 180.0)
        height, width = self._image_size(images)
        center_x, center_y = 0.5 * (width - 1.0), 0.5 * (height - 1.0)
        cos, sin = ops.cos(angle), ops.sin(angle)
        # Output pixel (x, y) reads the input at the point rotated about the center.
        zeros = ops.zeros_like(angle)
        transform = ops.stack([
            cos, -sin, center_x - center_x * cos + center_y * sin,
            sin, cos, center_y - center_x * sin - center_y * cos,
            zeros, zeros,
        ], axis=1)
        return ops.image.affine_transform(images, transform, interpolation=self.interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "interpolation": self.interpolation, "seed": self.seed}
