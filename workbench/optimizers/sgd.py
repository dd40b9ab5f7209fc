"""SGD with Keras's momentum, which accumulates learning-rate-scaled gradients."""

import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.SGD")
class SGD(Optimizer):
    """Gradient descent, with optional (Nesterov) momentum.

    With momentum `m`: `velocity = m * velocity - learning_rate * g`, then `w += velocity`, or
    with `nesterov`, `w += m * velocity - learning_rate * g`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.01.
        momentum: a float in [0, 1]. Defaults to 0 (plain gradient descent).
        nesterov: whether to apply Nesterov momentum.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> w = workbench.Variable([1.0])
    >>> optimizer.apply_gradients([(jnp.array([1.0]), w)])
    >>> w.numpy()
    array([0.9], dtype=float32)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def _transformation(self, learning_rate):
        # Scaling before the trace makes the trace Keras's velocity, also when the rate changes.
        descent = optax.scale_by_learning_rate(learning_rate)
        if self.momentum == 0:
            return descent
        return optax.chain(descent, optax.trace(decay=self.momentum, nesterov=self.nesterov))

    def _optax_state(self, indices, count):
        if self.momentum == 0:
            return optax.EmptyState()
        return optax.EmptyState(), optax.TraceState(trace=self._slot_values(self.momentums, indices))

    def _assign_optax_state(self, indices, state):
        if self.momentum != 0:
            self._assign_slots(self.momentums, indices, state[1].trace)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
