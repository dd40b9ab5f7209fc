"""Lion: optax's `scale_by_lion`, with Keras's slot names and checks."""

import jax.numpy as jnp
import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.Lion")
class Lion(Optimizer):
    """Lion (Chen et al., 2023): steps of equal size per element, in the sign of an interpolated
    momentum.

    `w -= learning_rate * sign(beta_1 * m + (1 - beta_1) * g)`, then
    `m = beta_2 * m + (1 - beta_2) * g`. Use a learning rate 3-10x smaller than for Adam.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        beta_1: the interpolation for the step's sign, in (0, 1]. Defaults to 0.9.
        beta_2: the decay of the momentum. Defaults to 0.99.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Lion(learning_rate=1e-4)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
                f"to SignSGD. Received: beta_1={beta_1}."
            )

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def _transformation(self, learning_rate):
        # Keras takes `1 - beta` in float32, so the betas go in as float32 arrays.
        beta_1, beta_2 = jnp.float32(self.beta_1), jnp.float32(self.beta_2)
        return optax.chain(optax.scale_by_lion(beta_1, beta_2), optax.scale_by_learning_rate(learning_rate))

    def _optax_state(self, indices, count):
        lion = optax.ScaleByLionState(count=count, mu=self._slot_values(self._momentums, indices))
        return lion, optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        self._assign_slots(self._momentums, indices, state[0].mu)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
