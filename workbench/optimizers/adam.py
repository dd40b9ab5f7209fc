"""Adam, as Keras computes it: epsilon outside the uncorrected `sqrt(v)`, bias correction in the step."""

from typing import NamedTuple, Optional

import jax
import jax.numpy as jnp
import optax

from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


class ScaleByKerasAdamState(NamedTuple):
    count: jax.Array
    mu: optax.Updates
    nu: optax.Updates
    nu_max: Optional[optax.Updates]


def scale_by_keras_adam(b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    """Adam's direction `m * sqrt(1 - b2^t) / (1 - b1^t) / (sqrt(v) + eps)`.

    optax's `scale_by_adam` adds epsilon to the bias-corrected `sqrt(v_hat)`; Keras adds it to the
    raw `sqrt(v)` and folds both corrections into the step size. With `amsgrad`, `v` is replaced by
    its running maximum.
    """

    def init_fn(params):
        zeros = optax.tree.zeros_like(params)
        return ScaleByKerasAdamState(jnp.zeros([], jnp.int32), zeros, zeros, zeros if amsgrad else None)

    def update_fn(updates, state, params=None):
        del params
        mu = jax.tree.map(lambda g, m: m + (g - m) * (1 - b1), updates, state.mu)
        nu = jax.tree.map(lambda g, v: v + (jnp.square(g) - v) * (1 - b2), updates, state.nu)
        nu_max = jax.tree.map(jnp.maximum, state.nu_max, nu) if amsgrad else None
        count = state.count + 1

        def direction(m, v):
            step = count.astype(m.dtype)
            correction = jnp.sqrt(1 - jnp.power(jnp.asarray(b2, m.dtype), step)) / (
                1 - jnp.power(jnp.asarray(b1, m.dtype), step)
            )
            return m * correction / (jnp.sqrt(v) + eps)

        updates = jax.tree.map(direction, mu, nu_max if amsgrad else nu)
        return updates, ScaleByKerasAdamState(count, mu, nu, nu_max)

    return optax.GradientTransformation(init_fn, update_fn)


@keras_export("keras.optimizers.Adam")
class Adam(Optimizer):
    """Adam: adaptive moment estimation (Kingma and Ba, 2014).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        beta_1: the decay of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay of the second-moment estimate. Defaults to 0.999.
        epsilon: added to `sqrt(v)` for stability. Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant (running maximum of `v`).
        **kwargs: the common optimizer arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`); see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Adam(learning_rate=1e-3)
    >>> w = workbench.Variable([1.0, 2.0])
    >>> optimizer.apply_gradients([(jnp.array([0.1, -0.1]), w)])
    >>> w.numpy()
    array([0.999, 2.001], dtype=float32)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _transformation(self, learning_rate):
        return optax.chain(
            scale_by_keras_adam(self.beta_1, self.beta_2, self.epsilon, self.amsgrad),
            optax.scale_by_learning_rate(learning_rate),
        )

    def _optax_state(self, indices, count):
        velocity_hats = self._slot_values(self._velocity_hats, indices) if self.amsgrad else None
        adam = ScaleByKerasAdamState(
            count, self._slot_values(self._momentums, indices),
            self._slot_values(self._velocities, indices), velocity_hats,
        )
        return adam, optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        adam, _ = state
        self._assign_slots(self._momentums, indices, adam.mu)
        self._assign_slots(self._velocities, indices, adam.nu)
        if self.amsgrad:
            self._assign_slots(self._velocity_hats, indices, adam.nu_max)

    def get_config(self):
        config = super().get_config()
        config.update({
            "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad,
        })
        return config
