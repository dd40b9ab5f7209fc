"""Learning-rate schedules: pure functions of the optimizer's step, as `keras.optimizers.schedules`.

A schedule is called with the raw iteration count (an int32 array, traced inside `jax.jit`) and
returns a float32 learning rate. Each one computes in the dtype of its `initial_learning_rate`.
"""

import math

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config as backend_config
from workbench.saving import serialization_lib


def _as_tensor(value):
    """Python floats become `floatx()` arrays, as Keras's `convert_to_tensor` does."""
    if isinstance(value, float):
        return jnp.asarray(value, dtype=backend_config.floatx())
    return jnp.asarray(value)


def _check_decay_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")



def _decay_progress(schedule, step):
    """`(initial_learning_rate, step / decay_steps)` in the rate's dtype, floored with `staircase`;
    shared by ExponentialDecay and InverseTimeDecay."""
    initial_learning_rate = _as_tensor(schedule.initial_learning_rate)
    dtype = initial_learning_rate.dtype
    progress = jnp.asarray(step, dtype) / jnp.asarray(schedule.decay_steps, dtype)
    if schedule.staircase:
        progress = jnp.floor(progress)
    return initial_learning_rate, progress

@keras_export("keras.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """The base class of learning-rate schedules: `schedule(step) -> learning rate`.

    Subclasses implement `__call__(step)` with array ops (so it traces under `jax.jit`) and
    `get_config()`.

    Example:

    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 * 0.5 ** (step // 100)
    ...     def get_config(self):
    ...         return {}
    >>> optimizer = workbench.optimizers.SGD(learning_rate=Halving())
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export("keras.optimizers.schedules.ExponentialDecay")
class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the number of steps over which the rate is multiplied by `decay_rate`.
        decay_rate: the multiplier per `decay_steps`.
        staircase: if True, decay in whole multiples (`step // decay_steps`).
        name: a name for the schedule.

    Example:

    >>> schedule = ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)
    >>> float(schedule(100))
    0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_decay_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate, progress = _decay_progress(self, step)
        dtype = initial_learning_rate.dtype
        return initial_learning_rate * jnp.power(jnp.asarray(self.decay_rate, dtype), progress)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.PiecewiseConstantDecay")
class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate per interval: `values[i]` while `boundaries[i-1] < step <= boundaries[i]`.

    Args:
        boundaries: increasing step boundaries.
        values: one more value than boundaries.
        name: a name for the schedule.

    Example:

    >>> schedule = PiecewiseConstantDecay(boundaries=[100, 200], values=[1.0, 0.5, 0.1])
    >>> [float(schedule(s)) for s in (100, 101, 201)]
    [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = jnp.asarray(step)
        boundaries = [jnp.asarray(b).astype(step.dtype) for b in self.boundaries]
        values = [_as_tensor(v) for v in self.values]
        dtype = values[0].dtype
        # A sum of indicator * value per interval keeps this a branch-free function of `step`.
        result = (step <= boundaries[0]).astype(dtype) * values[0]
        result = result + (step > boundaries[-1]).astype(dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            result = result + ((step > low) & (step <= high)).astype(dtype) * value
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@keras_export("keras.optimizers.schedules.PolynomialDecay")
class PolynomialDecay(LearningRateSchedule):
    """Decays polynomially from `initial_learning_rate` to `end_learning_rate` over `decay_steps`.

    `(initial - end) * (1 - step / decay_steps) ** power + end`, with the step capped at
    `decay_steps`, or, with `cycle=True`, `decay_steps` stretched to the next multiple of itself.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the number of steps to reach `end_learning_rate`.
        end_learning_rate: the final learning rate.
        power: the polynomial's power (1.0 is linear).
        cycle: whether to restart the decay after `decay_steps`.
        name: a name for the schedule.

    Example:

    >>> float(PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0)(5))
    0.5
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_decay_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate = _as_tensor(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        end_learning_rate = jnp.asarray(self.end_learning_rate, dtype)
        step = jnp.asarray(step, dtype)
        decay_steps = jnp.asarray(self.decay_steps, dtype)
        if self.cycle:
            # The first multiple of decay_steps at or past the step (1 at step 0).
            multiplier = jnp.where(step == 0, 1.0, jnp.ceil(step / self.decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = jnp.minimum(step, decay_steps)
        fraction = step / decay_steps
        power = jnp.asarray(self.power, dtype)
        decayed = (initial_learning_rate - end_learning_rate) * jnp.power(1 - fraction, power)
        return decayed + end_learning_rate

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.InverseTimeDecay")
class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the step unit of the decay.
        decay_rate: the decay per `decay_steps`.
        staircase: if True, decay in whole multiples (`step // decay_steps`).
        name: a name for the schedule.

    Example:

    >>> float(InverseTimeDecay(1.0, decay_steps=10, decay_rate=1.0)(10))
    0.5
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_decay_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate, progress = _decay_progress(self, step)
        dtype = initial_learning_rate.dtype
        denominator = jnp.asarray(1, dtype) + jnp.asarray(self.decay_rate, dtype) * progress
        return initial_learning_rate / denominator

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.CosineDecay")
class CosineDecay(LearningRateSchedule):
    """A cosine decay over `decay_steps`, optionally after a linear warmup.

    Without warmup: `initial * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps)) + alpha)`.
    With `warmup_target`, the rate first rises linearly from `initial_learning_rate` to
    `warmup_target` over `warmup_steps`, then decays from `warmup_target`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the length of the cosine decay.
        alpha: the final rate as a fraction of the decayed-from rate.
        name: a name for the schedule.
        warmup_target: the rate reached at the end of the warmup; None for no warmup.
        warmup_steps: the length of the warmup.

    Example:

    >>> schedule = CosineDecay(0.0, decay_steps=100, warmup_target=0.1, warmup_steps=10)
    >>> round(float(schedule(5)), 4), round(float(schedule(60)), 4)
    (0.05, 0.05)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_decay_steps("decay_steps", decay_steps)

    def _decay(self, step, decay_steps, decay_from, dtype):
        cosine = 0.5 * (1.0 + jnp.cos(jnp.asarray(math.pi, dtype) * (step / decay_steps)))
        return decay_from * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        initial_learning_rate = _as_tensor(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        decay_steps = jnp.asarray(self.decay_steps, dtype)
        step = jnp.asarray(step, dtype)
        if self.warmup_target is None:
            return self._decay(jnp.minimum(step, decay_steps), decay_steps, initial_learning_rate, dtype)
        warmup_target = jnp.asarray(self.warmup_target, dtype)
        warmup_steps = jnp.asarray(self.warmup_steps, dtype)
        step = jnp.minimum(step, decay_steps + warmup_steps)
        warming = (warmup_target - initial_learning_rate) * (step / warmup_steps) + initial_learning_rate
        decaying = self._decay(step - warmup_steps, decay_steps, warmup_target, dtype)
        return jnp.where(step < warmup_steps, warming, decaying)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


@keras_export("keras.optimizers.schedules.CosineDecayRestarts")
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is `t_mul` times longer than the last,
    and starts from `m_mul` times the previous period's initial rate.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: the length of the first period.
        t_mul: the factor by which each period is longer than the previous one.
        m_mul: the factor applied to the initial rate of each new period.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
        name: a name for the schedule.

    Example:

    >>> schedule = CosineDecayRestarts(1.0, first_decay_steps=10)
    >>> float(schedule(0)), float(schedule(10))
    (1.0, 1.0)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_decay_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        initial_learning_rate = _as_tensor(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        alpha = jnp.asarray(self.alpha, dtype)
        t_mul = jnp.asarray(self._t_mul, dtype)
        m_mul = jnp.asarray(self._m_mul, dtype)
        fraction = jnp.asarray(step, dtype) / jnp.asarray(self.first_decay_steps, dtype)
        if self._t_mul == 1.0:
            restart = jnp.floor(fraction)
            fraction = fraction - restart
        else:
            # Periods grow geometrically, so the restart index is a logarithm.
            restart = jnp.floor(jnp.log(1.0 - fraction * (1.0 - t_mul)) / jnp.log(t_mul))
            elapsed = (1.0 - jnp.power(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / jnp.power(t_mul, restart)
        cosine = 0.5 * jnp.power(m_mul, restart) * (1.0 + jnp.cos(jnp.asarray(math.pi, dtype) * fraction))
        return initial_learning_rate * ((1 - alpha) * cosine + alpha)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


ALL_SCHEDULES = (
    LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
    InverseTimeDecay, CosineDecay, CosineDecayRestarts,
)


@keras_export("keras.optimizers.schedules.serialize")
def serialize(learning_rate_schedule):
    """Returns the `{"module", "class_name", "config", "registered_name"}` dict of a schedule."""
    return serialization_lib.serialize_keras_object(learning_rate_schedule)


@keras_export("keras.optimizers.schedules.deserialize")
def deserialize(config, custom_objects=None):
    """Revives a schedule from `serialize`'s output."""
    return serialization_lib.deserialize_keras_object(
        config,
        custom_objects=custom_objects,
        module_objects={cls.__name__: cls for cls in ALL_SCHEDULES},
    )
