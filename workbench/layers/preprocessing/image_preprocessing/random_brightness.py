"""RandomBrightness: randomly shifts the brightness of images during training."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from workbench.layers.preprocessing.image_preprocessing.random_contrast import check_value_range


@keras_export("keras.layers.RandomBrightness")
class RandomBrightness(BaseImagePreprocessingLayer):
    """Adds a random brightness offset to each image during training; identity in inference.

    The offset is drawn from `[lower, upper] * (high - low)` of `value_range`, and the result is
    clipped to `value_range`. Integer images are shifted in float and cast back.

    Args:
        factor: a number in `[-1, 1]` (`0.2` means `[-0.2, 0.2]`), or a pair `(lower, upper)`.
        value_range: the `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: an int seed, for reproducible offsets (the same as Keras's on JAX).

    Call arguments:
        inputs: an image `(height, width, channels)` or a batch of images.
        training: whether to adjust (default True; `fit` passes True, `predict` False).

    Example:

    >>> layer = RandomBrightness(0.2, value_range=(0.0, 1.0), seed=1)
    >>> layer(np.full((2, 4, 4, 3), 0.5), training=True).shape
    (2, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = self._standardize_factor(factor)
        check_value_range("RandomBrightness", value_range)
        self.value_range = sorted(value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def transform_images(self, images, training):
        if not training:
            return images
        low, high = self.value_range
        delta = random.uniform((images.shape[0], 1, 1, 1), minval=self.factor[0], maxval=self.factor[1],
                               seed=self.generator) * (high - low)
        if dtypes.is_float_dtype(images.dtype):
            return ops.clip(images + ops.cast(delta, images.dtype), low, high)
        shifted = ops.clip(ops.cast(images, delta.dtype) + delta, low, high)
        return ops.cast(ops.round(shifted), images.dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
