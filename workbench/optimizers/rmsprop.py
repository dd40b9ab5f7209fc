"""RMSprop, with Keras's momentum over learning-rate-scaled steps and optional centering."""

import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.RMSprop")
class RMSprop(Optimizer):
    """Divides the gradient by a running root mean square of recent gradients.

    `v = rho * v + (1 - rho) * g^2`, step `learning_rate * g / sqrt(v + epsilon)`; `centered`
    subtracts the square of the running mean gradient from `v`; `momentum` accumulates the steps.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        rho: the decay of the running averages. Defaults to 0.9.
        momentum: the momentum of the accumulated steps. Defaults to 0.
        epsilon: added inside the square root. Defaults to 1e-7.
        centered: whether to normalize by the estimated variance instead of the second moment.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.RMSprop(learning_rate=0.01, centered=True)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        self._average_gradients = (
            self.add_optimizer_variables(var_list, "average_gradient") if self.centered else []
        )

    def _transformation(self, learning_rate):
        if self.centered:
            normalize = optax.scale_by_stddev(decay=self.rho, eps=self.epsilon)
        else:
            normalize = optax.scale_by_rms(decay=self.rho, eps=self.epsilon)
        # The trace runs over positive steps so that it equals Keras's momentum slot.
        return optax.chain(
            normalize,
            optax.scale_by_learning_rate(learning_rate, flip_sign=False),
            optax.trace(decay=self.momentum) if self.momentum > 0 else optax.identity(),
            optax.scale(-1.0),
        )

    def _optax_state(self, indices, count):
        velocities = self._slot_values(self._velocities, indices)
        if self.centered:
            average_gradients = self._slot_values(self._average_gradients, indices)
            normalize = optax.ScaleByRStdDevState(mu=average_gradients, nu=velocities)
        else:
            normalize = optax.ScaleByRmsState(nu=velocities)
        if self.momentum > 0:
            momentum = optax.TraceState(trace=self._slot_values(self._momentums, indices))
        else:
            momentum = optax.EmptyState()
        return normalize, optax.EmptyState(), momentum, optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        normalize, _, momentum, _ = state
        self._assign_slots(self._velocities, indices, normalize.nu)
        if self.centered:
            self._assign_slots(self._average_gradients, indices, normalize.mu)
        if self.momentum > 0:
            self._assign_slots(self._momentums, indices, momentum.trace)

    def get_config(self):
        config = super().get_config()
        config.update({
            "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered,
        })
        return config
