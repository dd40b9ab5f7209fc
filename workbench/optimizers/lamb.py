"""Lamb: optax's Adam moments and layer-wise trust ratio, with Keras's slot names."""

import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.Lamb")
class Lamb(Optimizer):
    """Lamb (You et al., 2019): Adam's step rescaled per variable by `norm(w) / norm(step)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        beta_1: the decay of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay of the second-moment estimate. Defaults to 0.999.
        epsilon: added to the bias-corrected `sqrt(v)`. Defaults to 1e-7.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Lamb(learning_rate=1e-3, weight_decay=0.01)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])

    def _transformation(self, learning_rate):
        # Lamb's epsilon sits where optax's Adam puts it: after the bias correction.
        return optax.chain(
            optax.scale_by_adam(b1=self.beta_1, b2=self.beta_2, eps=self.epsilon),
            optax.scale_by_trust_ratio(),
            optax.scale_by_learning_rate(learning_rate),
        )

    def _optax_state(self, indices, count):
        adam = optax.ScaleByAdamState(
            count=count, mu=self._slot_values(self._momentums, indices),
            nu=self._slot_values(self._velocities, indices),
        )
        return adam, optax.EmptyState(), optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        adam = state[0]
        self._assign_slots(self._momentums, indices, adam.mu)
        self._assign_slots(self._velocities, indices, adam.nu)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
