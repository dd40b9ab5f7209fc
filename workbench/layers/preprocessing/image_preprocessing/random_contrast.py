"""RandomContrast: randomly adjusts the contrast of images during training."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


def check_value_range(layer_name, value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(
            f"{layer_name}: `value_range` must be a pair of numbers (low, high). Received: value_range={value_range!r}"
        )


@keras_export("keras.layers.RandomContrast")
class RandomContrast(BaseImagePreprocessingLayer):
    """Scales each image's deviation from its per-channel mean by a random factor during training.

    Each image gets `(x - mean) * contrast_factor + mean`, clipped to `value_range`, with the
    mean taken over height and width. As in Keras, `factor=f` draws `contrast_factor` from
    `[1 - lower, 1 + upper]` with `(lower, upper) = (0, f)`; pass a pair `(lower, upper)` to
    choose both bounds. Identity in inference.

    Args:
        factor: a number in `[0, 1]`, or a pair of them.
        value_range: the `(low, high)` range of the pixel values, e.g. `(0, 255)` (default) or
            `(0, 1)`; outputs are clipped to it.
        seed: an int seed, for reproducible factors (the same as Keras's on JAX).

    Call arguments:
        inputs: an image `(height, width, channels)` or a batch of images.
        training: whether to adjust (default True; `fit` passes True, `predict` False).

    Example:

    >>> layer = RandomContrast(0.5, seed=1)
    >>> layer(np.full((2, 4, 4, 3), 100.0), training=True).shape
    (2, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = self._standardize_factor(factor, bounds=(0.0, 1.0))
        check_value_range("RandomContrast", value_range)
        self.value_range = value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def transform_images(self, images, training):
        if not training:
            return images
        factor = random.uniform((images.shape[0], 1, 1, 1), minval=1.0 - self.factor[0],
                                maxval=1.0 + self.factor[1], dtype=self.compute_dtype, seed=self.generator)
        height_axis = self._height_axis
        mean = ops.mean(images, axis=height_axis, keepdims=True)
        mean = ops.mean(mean, axis=height_axis + 1, keepdims=True)
        outputs = (images - mean) * factor + mean
        return ops.clip(outputs, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
