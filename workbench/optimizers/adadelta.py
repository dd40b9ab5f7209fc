"""Adadelta: optax's `scale_by_adadelta`, with Keras's slot names and defaults."""

import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.Adadelta")
class Adadelta(Optimizer):
    """Adapts the step per element from running averages of squared gradients and squared steps.

    `delta = -sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g`, then `w += learning_rate * delta`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        rho: the decay of the running averages. Defaults to 0.95.
        epsilon: added inside the square roots. Defaults to 1e-7.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Adadelta(learning_rate=1.0)
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def _transformation(self, learning_rate):
        return optax.chain(
            optax.scale_by_adadelta(rho=self.rho, eps=self.epsilon),
            optax.scale_by_learning_rate(learning_rate),
        )

    def _optax_state(self, indices, count):
        adadelta = optax.ScaleByAdaDeltaState(
            e_g=self._slot_values(self._accumulated_grads, indices),
            e_x=self._slot_values(self._accumulated_delta_vars, indices),
        )
        return adadelta, optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        adadelta, _ = state
        self._assign_slots(self._accumulated_grads, indices, adadelta.e_g)
        self._assign_slots(self._accumulated_delta_vars, indices, adadelta.e_x)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
