"""Nadam, as Keras computes it: Dozat's momentum schedule with a running product (`u_product`)."""

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from workbench.api_export import keras_export
from workbench.backend import config as backend_config
from workbench.backend.variables import Variable
from workbench.optimizers.optimizer import Optimizer


class ScaleByKerasNadamState(NamedTuple):
    count: jax.Array
    mu: optax.Updates
    nu: optax.Updates
    u_product: jax.Array


def scale_by_keras_nadam(b1=0.9, b2=0.999, eps=1e-7):
    """Nadam's direction with the momentum schedule `u_t = b1 * (1 - 0.5 * 0.96^t)`.

    optax's `nadam` uses a constant `b1`; Keras keeps the product of all `u_t` so far as state.
    """

    def init_fn(params):
        zeros = optax.tree.zeros_like(params)
        return ScaleByKerasNadamState(jnp.zeros([], jnp.int32), zeros, zeros, jnp.ones([]))

    def update_fn(updates, state, params=None):
        del params
        count = state.count + 1
        step = count.astype(state.u_product.dtype)
        u_product = state.u_product * b1 * (1.0 - 0.5 * jnp.power(0.96, step))
        # Keras takes `1 - beta` in the variable's dtype here (unlike its Adam).
        def moment(g, m):
            return m + (g - m) * (1 - jnp.asarray(b1, g.dtype))

        def velocity(g, v):
            return v + (jnp.square(g) - v) * (1 - jnp.asarray(b2, g.dtype))

        mu = jax.tree.map(moment, updates, state.mu)
        nu = jax.tree.map(velocity, updates, state.nu)

        def direction(g, m, v):
            step = count.astype(g.dtype)
            u_t = b1 * (1.0 - 0.5 * jnp.power(jnp.asarray(0.96, g.dtype), step))
            u_next = b1 * (1.0 - 0.5 * jnp.power(jnp.asarray(0.96, g.dtype), step + 1))
            product = u_product.astype(g.dtype)
            m_hat = u_next * m / (1 - product * u_next) + (1 - u_t) * g / (1 - product)
            v_hat = v / (1 - jnp.power(jnp.asarray(b2, g.dtype), step))
            return m_hat / (jnp.sqrt(v_hat) + eps)

        updates = jax.tree.map(direction, updates, mu, nu)
        return updates, ScaleByKerasNadamState(count, mu, nu, u_product)

    return optax.GradientTransformation(init_fn, update_fn)


@keras_export("keras.optimizers.Nadam")
class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum (Dozat, 2015).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        beta_1: the decay of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay of the second-moment estimate. Defaults to 0.999.
        epsilon: added to `sqrt(v_hat)` for stability. Defaults to 1e-7.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Nadam(learning_rate=1e-3)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else backend_config.floatx()
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        # Keras creates this one unnamed ("variable"), after the slots.
        self._u_product = Variable(1.0, dtype=dtype)

    def _transformation(self, learning_rate):
        return optax.chain(
            scale_by_keras_nadam(self.beta_1, self.beta_2, self.epsilon),
            optax.scale_by_learning_rate(learning_rate),
        )

    def _optax_state(self, indices, count):
        nadam = ScaleByKerasNadamState(
            count, self._slot_values(self._momentums, indices),
            self._slot_values(self._velocities, indices), self._u_product.value,
        )
        return nadam, optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        nadam, _ = state
        self._assign_slots(self._momentums, indices, nadam.mu)
        self._assign_slots(self._velocities, indices, nadam.nu)
        self._u_product.assign(nadam.u_product)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
