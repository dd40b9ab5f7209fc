"""RandomTranslation: randomly shifts images during training."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from workbench.layers.preprocessing.image_preprocessing.random_rotation import (
    FILL_MODES,
    INTERPOLATIONS,
)
from workbench.layers.preprocessing.preprocessing_utils import check_option


@keras_export("keras.layers.RandomTranslation")
class RandomTranslation(BaseImagePreprocessingLayer):
    """Shifts each image by a random offset during training; identity in inference.

    Args:
        height_factor: a fraction of the height in `[-1, 1]`, or a pair: the vertical shift is
            drawn from `[lower, upper] * height`; positive shifts move the image down. `0.2`
            means `[-0.2, 0.2]`.
        width_factor: the same for the horizontal shift (positive moves right).
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: an int seed, for reproducible shifts (the same as Keras's on JAX).
        fill_value: the fill value for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Call arguments:
        inputs: an image `(height, width, channels)` or a batch of images.
        training: whether to shift (default True; `fit` passes True, `predict` False).

    Example:

    >>> layer = RandomTranslation(0.1, 0.1, seed=1)
    >>> layer(np.ones((2, 8, 8, 3)), training=True).shape
    (2, 8, 8, 3)
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear",
                 seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = self._standardize_factor(height_factor, "height_factor")
        self.width_factor = width_factor
        self.width_lower, self.width_upper = self._standardize_factor(width_factor, "width_factor")
        check_option("RandomTranslation", "fill_mode", fill_mode, FILL_MODES)
        check_option("RandomTranslation", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def transform_images(self, images, training):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        shape = (images.shape[0], 1)
        height, width = self._image_size(images)
        shift_y = random.uniform(shape, minval=self.height_lower, maxval=self.height_upper,
                                 seed=self.generator) * height
        shift_x = random.uniform(shape, minval=self.width_lower, maxval=self.width_upper,
                                 seed=self.generator) * width
        ones, zeros = ops.ones(shape), ops.zeros(shape)
        # Output pixel (x, y) reads the input at (x - shift_x, y - shift_y).
        transform = ops.concatenate([ones, zeros, -shift_x, zeros, ones, -shift_y, zeros, zeros], axis=1)
        return ops.image.affine_transform(images, transform, interpolation=self.interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed, "fill_value": self.fill_value}
