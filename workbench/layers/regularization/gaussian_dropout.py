"""GaussianDropout: multiplies the inputs by 1-centred Gaussian noise during training."""

import math

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate


@keras_export("keras.layers.GaussianDropout")
class GaussianDropout(Layer):
    """Multiplies the inputs by noise drawn from `N(1, sqrt(rate / (1 - rate)))`, in training.

    The noise has the variance of the scaling that `Dropout(rate)` applies, without zeroing
    anything. Active only with `training=True`.

    Args:
        rate: the equivalent drop probability, between 0 and 1.
        seed: an int seed, for reproducible noise.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> GaussianDropout(0.2, seed=1)(np.ones((2, 3)), training=True).shape
    (2, 3)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_rate("GaussianDropout", rate)
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(ops.shape(inputs), mean=1.0, stddev=stddev,
                                  dtype=self.compute_dtype, seed=self.seed_generator)
            return ops.multiply(inputs, noise)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
