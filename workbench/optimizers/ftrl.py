"""FTRL-Proximal, as Keras computes it (optax has no FTRL)."""

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from workbench import initializers
from workbench.api_export import keras_export
from workbench.optimizers.optimizer import Optimizer


class FtrlState(NamedTuple):
    accumulator: optax.Updates
    linear: optax.Updates


def ftrl(learning_rate, learning_rate_power=-0.5, l1=0.0, l2=0.0, l2_shrinkage=0.0, beta=0.0,
         initial_accumulator_value=0.1):
    """FTRL's update. The new weights solve a closed-form proximal problem, so the update is
    `new_weight - weight` and the learning rate enters non-linearly (no separate scaling step)."""
    power = -learning_rate_power

    def init_fn(params):
        accumulator = optax.tree.full_like(params, initial_accumulator_value)
        return FtrlState(accumulator, optax.tree.zeros_like(params))

    def update_fn(updates, state, params):
        accumulator = jax.tree.map(lambda g, a: a + jnp.square(g), updates, state.accumulator)

        def new_linear(g, w, old, new, linear):
            sigma = (jnp.power(new, power) - jnp.power(old, power)) / learning_rate.astype(w.dtype)
            return linear + ((g + 2 * l2_shrinkage * w) - sigma * w)

        def new_weight(w, new, linear):
            lr = learning_rate.astype(w.dtype)
            quadratic = jnp.power(new, power) / lr + 2 * (l2 + beta / (2.0 * lr))
            return (jnp.clip(linear, -l1, l1) - linear) / quadratic

        linear = jax.tree.map(new_linear, updates, params, state.accumulator, accumulator, state.linear)
        updates = jax.tree.map(lambda w, new, lin: new_weight(w, new, lin) - w, params, accumulator, linear)
        return updates, FtrlState(accumulator, linear)

    return optax.GradientTransformation(init_fn, update_fn)


@keras_export("keras.optimizers.Ftrl")
class Ftrl(Optimizer):
    """Follow The Regularized Leader (McMahan et al., 2013), for large sparse linear models.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        learning_rate_power: how the per-element rate shrinks with the accumulator, <= 0.
            Defaults to -0.5; 0 is a fixed rate.
        initial_accumulator_value: the accumulators' starting value, >= 0. Defaults to 0.1.
        l1_regularization_strength: >= 0. Defaults to 0.
        l2_regularization_strength: a stabilization penalty, >= 0. Defaults to 0.
        l2_shrinkage_regularization_strength: a magnitude penalty added to the gradient, >= 0.
        beta: added to the L2 strength as `beta / (2 * learning_rate)`. Defaults to 0.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        for name, value in (
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ):
            if value < 0.0:
                raise ValueError(f"`{name}` needs to be positive or zero. Received: {name}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"],
        )

    def _transformation(self, learning_rate):
        return ftrl(
            learning_rate, self.learning_rate_power, self.l1_regularization_strength,
            self.l2_regularization_strength, self.l2_shrinkage_regularization_strength, self.beta,
            self.initial_accumulator_value,
        )

    def _optax_state(self, indices, count):
        accumulators = self._slot_values(self._accumulators, indices)
        return FtrlState(accumulators, self._slot_values(self._linears, indices))

    def _assign_optax_state(self, indices, state):
        self._assign_slots(self._accumulators, indices, state.accumulator)
        self._assign_slots(self._linears, indices, state.linear)

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
