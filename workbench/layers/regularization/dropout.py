"""Dropout: randomly zeroes a fraction of the inputs during training."""

import numbers

from workbench import random
from workbench.api_export import keras_export
from workbench.layers.layer import Layer


def check_rate(layer_name, rate, argument="rate"):
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
        raise ValueError(
            f"{layer_name}: `{argument}` must be a number between 0 and 1. "
            f"Received: {argument}={rate!r}"
        )


def check_noise_shape(noise_shape):
    """Returns `noise_shape` as a tuple of positive ints and Nones, or raises."""
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str) or not hasattr(noise_shape, "__iter__"):
        raise ValueError(
            "`noise_shape` must be a tuple or list of integers (or None for an axis that takes "
            f"the input's size). Received: noise_shape={noise_shape!r}"
        )
    noise_shape = tuple(noise_shape)
    for index, size in enumerate(noise_shape):
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
            raise ValueError(
                "`noise_shape` entries must be positive integers or None. Received "
                f"{size!r} at index {index}: noise_shape={noise_shape}"
            )
    return noise_shape


@keras_export("keras.layers.Dropout")
class Dropout(Layer):
    """Applies dropout: during training, zeroes each input with probability `rate`.

    The kept inputs are scaled by `1 / (1 - rate)`, so the expected sum is unchanged. Dropout
    acts only when the layer is called with `training=True` (as `fit` does); in inference
    (`predict`, `evaluate`, or a plain call) it returns its input unchanged.

    Args:
        rate: the fraction of the inputs to drop, between 0 and 1.
        noise_shape: the shape of the binary keep mask, broadcast against the inputs; `None`
            entries take the input's size. `(batch_size, 1, features)` drops the same features
            at every timestep.
        seed: an int seed, for reproducible dropout masks.

    Call arguments:
        inputs: the input tensor, of any rank.
        training: whether to apply dropout (True) or pass the input through (False).

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> layer = Dropout(0.5, seed=1)
    >>> layer(np.ones((2, 4)), training=True).shape   # about half the entries 0, the rest 2.0
    (2, 4)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_rate(self.__class__.__name__, rate)
        self.rate = rate
        self.seed = seed
        self.noise_shape = check_noise_shape(noise_shape)
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self.noise_shape,
                                  seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
