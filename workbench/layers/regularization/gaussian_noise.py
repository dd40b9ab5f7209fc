"""GaussianNoise: adds zero-centred Gaussian noise during training."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate


@keras_export("keras.layers.GaussianNoise")
class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation `stddev`, during training only.

    A regularizer against overfitting, and a way to augment real-valued inputs. Active only
    with `training=True`.

    Args:
        stddev: the standard deviation of the noise, between 0 and 1.
        seed: an int seed, for reproducible noise.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> GaussianNoise(0.1, seed=1)(np.ones((2, 3)), training=True).shape
    (2, 3)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_rate("GaussianNoise", stddev, argument="stddev")
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(ops.shape(inputs), mean=0.0, stddev=self.stddev,
                                  dtype=self.compute_dtype, seed=self.seed_generator)
            return ops.add(inputs, noise)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
