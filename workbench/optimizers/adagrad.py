"""Adagrad: optax's `scale_by_rss`, with Keras's slot names and defaults."""

import optax

from workbench import initializers
from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.Adagrad")
class Adagrad(Optimizer):
    """Scales each step by the inverse root of the sum of all past squared gradients.

    `accumulator += g^2`, then `w -= learning_rate * g / sqrt(accumulator + epsilon)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        initial_accumulator_value: the accumulators' starting value. Defaults to 0.1.
        epsilon: added inside the square root. Defaults to 1e-7.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Adagrad(learning_rate=0.01)
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=initializers.Constant(self.initial_accumulator_value)
        )

    def _transformation(self, learning_rate):
        return optax.chain(
            optax.scale_by_rss(self.initial_accumulator_value, self.epsilon),
            optax.scale_by_learning_rate(learning_rate),
        )

    def _optax_state(self, indices, count):
        return optax.ScaleByRssState(self._slot_values(self._accumulators, indices)), optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        self._assign_slots(self._accumulators, indices, state[0].sum_of_squares)

    def get_config(self):
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon})
        return config
