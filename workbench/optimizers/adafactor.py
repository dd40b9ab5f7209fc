"""Adafactor, as Keras computes it: factored second moments for the last two axes."""

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from workbench.api_export import keras_export
from workbench.backend.variables import Variable
from workbench.optimizers.optimizer import Optimizer


class ScaleByKerasAdafactorState(NamedTuple):
    count: jax.Array
    row: optax.Updates  # per variable: the mean over the last axis (a placeholder for rank < 2)
    column: optax.Updates  # per variable: the mean over the second-to-last axis (or placeholder)
    velocity: optax.Updates


def _rms(x):
    return jnp.sqrt(jnp.mean(jnp.square(x)))


def scale_by_keras_adafactor(beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0):
    """Adafactor's direction `max(epsilon_2, rms(w)) * u / max(1, rms(u) / clip_threshold)`,
    where `u = g / sqrt(v)` and `v` is rebuilt from row and column means for rank >= 2.

    optax's `scale_by_factored_rms` factors differently (chosen axes, no parameter scaling).
    """

    def init_fn(params):
        def factor(p, shape):
            return jnp.zeros(shape, p.dtype) if p.ndim >= 2 else jnp.zeros([], jnp.int32)

        return ScaleByKerasAdafactorState(
            jnp.zeros([], jnp.int32),
            jax.tree.map(lambda p: factor(p, p.shape[:-1]), params),
            jax.tree.map(lambda p: factor(p, p.shape[:-2] + p.shape[-1:]), params),
            optax.tree.zeros_like(params),
        )

    def update_fn(updates, state, params):
        count = state.count + 1

        def decay(g):
            return 1 - jnp.power(count.astype(g.dtype), beta_2_decay)

        def moving_mean(g, average, axis):
            if g.ndim < 2:
                return average
            beta = decay(g)
            return beta * average + (1 - beta) * jnp.mean(jnp.square(g) + epsilon_1, axis=axis)

        def second_moment(g, row, column, velocity):
            if g.ndim >= 2:
                return (row / jnp.mean(row, axis=-1, keepdims=True))[..., None] * column[..., None, :]
            beta = decay(g)
            return beta * velocity + (1 - beta) * (jnp.square(g) + epsilon_1)

        def direction(g, w, velocity):
            u = g / jnp.sqrt(velocity)
            u = u / jnp.maximum(jnp.asarray(1.0, g.dtype), _rms(u) / clip_threshold)
            return jnp.maximum(jnp.asarray(epsilon_2, g.dtype), _rms(w)) * u

        row = jax.tree.map(lambda g, r: moving_mean(g, r, -1), updates, state.row)
        column = jax.tree.map(lambda g, c: moving_mean(g, c, -2), updates, state.column)
        velocity = jax.tree.map(second_moment, updates, row, column, state.velocity)
        updates = jax.tree.map(direction, updates, params, velocity)
        return updates, ScaleByKerasAdafactorState(count, row, column, velocity)

    return optax.GradientTransformation(init_fn, update_fn)


@keras_export("keras.optimizers.Adafactor")
class Adafactor(Optimizer):
    """Adafactor (Shazeer and Stern, 2018): Adam-like steps with sub-linear memory.

    For variables of rank >= 2, the second moment is stored as row and column means of the last
    two axes. The step size is `min(learning_rate, 1 / sqrt(t))` times `max(epsilon_2, rms(w))`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        beta_2_decay: the second-moment decay is `1 - t ** beta_2_decay`. Defaults to -0.8.
        epsilon_1: added to the squared gradients. Defaults to 1e-30.
        epsilon_2: the smallest parameter scale. Defaults to 1e-3.
        clip_threshold: the largest RMS of a step before it is scaled down. Defaults to 1.0.
        relative_step: kept for Keras compatibility; the `1 / sqrt(t)` cap always applies.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.Adafactor(learning_rate=0.01)
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            overwrite = getattr(var, "overwrite_with_gradient", False)
            if len(var.shape) < 2:
                # Unfactored: Keras still saves two int placeholders, named after the variable.
                for slots in (self._r, self._c):
                    slots.append(Variable(0, name=var.name, trainable=False))
                    self._track_variable(slots[-1])
            elif overwrite:
                self._r.append(None)
                self._c.append(None)
            else:
                self._r.append(self.add_variable(shape=var.shape[:-1], dtype=var.dtype, name=var.name))
                self._c.append(
                    self.add_variable(shape=var.shape[:-2] + (var.shape[-1],), dtype=var.dtype, name=var.name)
                )
            self._v.append(None if overwrite else self.add_variable_from_reference(var, name="velocity"))

    def _transformation(self, learning_rate):
        # Keras caps the rate at 1/sqrt(t) (twice, with `relative_step`; the cap is idempotent).
        step = (self._step_count() + 1).astype(learning_rate.dtype)
        return optax.chain(
            scale_by_keras_adafactor(self.beta_2_decay, self.epsilon_1, self.epsilon_2, self.clip_threshold),
            optax.scale_by_learning_rate(jnp.minimum(learning_rate, 1 / jnp.sqrt(step))),
        )

    def _optax_state(self, indices, count):
        adafactor = ScaleByKerasAdafactorState(
            count, self._slot_values(self._r, indices), self._slot_values(self._c, indices),
            self._slot_values(self._v, indices),
        )
        return adafactor, optax.EmptyState()

    def _assign_optax_state(self, indices, state):
        adafactor, _ = state
        self._assign_slots(self._r, indices, adafactor.row)
        self._assign_slots(self._c, indices, adafactor.column)
        self._assign_slots(self._v, indices, adafactor.velocity)

    def get_config(self):
        config = super().get_config()
        config.update({
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        })
        return config
