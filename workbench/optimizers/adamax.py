"""Adamax, as Keras computes it: epsilon added to the infinity norm, not inside the maximum."""

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


class ScaleByKerasAdamaxState(NamedTuple):
    count: jax.Array
    mu: optax.Updates
    nu: optax.Updates


def scale_by_keras_adamax(b1=0.9, b2=0.999, eps=1e-7):
    """Adamax's direction `m / ((1 - b1^t) * (u + eps))` with `u = max(b2 * u, |g|)`.

    optax's `scale_by_adamax` puts epsilon inside the maximum (`max(b2 * u, |g| + eps)`).
    """

    def init_fn(params):
        zeros = optax.tree.zeros_like(params)
        return ScaleByKerasAdamaxState(jnp.zeros([], jnp.int32), zeros, zeros)

    def update_fn(updates, state, params=None):
        del params
        mu = jax.tree.map(lambda g, m: m + (g - m) * (1 - b1), updates, state.mu)
        nu = jax.tree.map(lambda g, u: jnp.maximum(b2 * u, jnp.abs(g)), updates, state.nu)
        count = state.count + 1

        def direction(m, u):
            correction = 1 - jnp.power(jnp.asarray(b1, m.dtype), count.astype(m.dtype))
            return m / (correction * (u + eps))

        return jax.tree.map(direction, mu, nu), ScaleByKerasAdamaxState(count, mu, nu)

    return optax.GradientTransformation(init_fn, update_fn)


@keras_export("keras.optimizers.Adamax")
class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm in place of the second moment (Kingma and Ba, 2014).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        beta_1: the decay of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay of the infinity norm. Defaults to 0.999.
        epsilon: added to the norm for stability. Defaults to 1e-7.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Adamax(learning_rate=2e-3)
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
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def _transformation(self, learning_rate):
        return optax.chain(
            scale_by_keras_adamax(self.beta_1, self.beta_2, self.epsilon),
            optax.scale_by_learning_rate(learning_rate),
        )

    def _optax_state(self, indices, count):
        momentums, norms = self._slot_values(self._m, indices), self._slot_values(self._u, indices)
        return ScaleByKerasAdamaxState(count, momentums, norms), optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        adamax, _ = state
        self._assign_slots(self._m, indices, adamax.mu)
        self._assign_slots(self._u, indices, adamax.nu)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
