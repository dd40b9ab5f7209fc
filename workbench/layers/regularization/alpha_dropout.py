"""AlphaDropout: dropout that keeps the mean and variance of SELU activations."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_noise_shape, check_rate

# The fixed point of SELU: dropped units are set to its negative saturation value.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@keras_export("keras.layers.AlphaDropout")
class AlphaDropout(Layer):
    """Dropout for self-normalizing networks (`activation="selu"`), during training only.

    Dropped units are set to SELU's negative saturation value instead of 0, and an affine
    correction keeps the inputs' mean and variance, so the network stays self-normalizing.

    Args:
        rate: the fraction of the inputs to drop, between 0 and 1.
        noise_shape: the shape of the keep mask, broadcast against the inputs; `None` entries
            take the input's size.
        seed: an int seed, for reproducible masks.

    Input shape:
        Any tensor.

    Output shape:
        The same as the input.

    Example:

    >>> AlphaDropout(0.2, seed=1)(np.ones((2, 3)), training=True).shape
    (2, 3)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_rate("AlphaDropout", rate)
        self.rate = rate
        self.seed = seed
        self.noise_shape = check_noise_shape(noise_shape)
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if not (training and self.rate > 0):
            return inputs
        noise_shape = tuple(inputs.shape) if self.noise_shape is None else tuple(
            inputs.shape[i] if size is None else size for i, size in enumerate(self.noise_shape))
        dropped_value = -_SELU_ALPHA * _SELU_SCALE
        keep = ops.greater_equal(random.uniform(noise_shape, seed=self.seed_generator), self.rate)
        keep = ops.cast(keep, inputs.dtype)
        a = ((1 - self.rate) * (1 + self.rate * dropped_value ** 2)) ** -0.5
        b = -a * dropped_value * self.rate
        x = inputs * keep + dropped_value * (1 - keep)
        return a * x + b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
