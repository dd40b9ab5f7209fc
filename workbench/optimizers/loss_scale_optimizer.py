"""LossScaleOptimizer: dynamic loss scaling around another optimizer, for float16 training."""

import jax
import jax.numpy as jnp

from workbench import initializers
from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.optimizers.optimizer import Optimizer
from workbench.saving import serialization_lib

_BASE_DEFAULTS = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
    "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


@keras_export("keras.optimizers.LossScaleOptimizer", "keras.mixed_precision.LossScaleOptimizer")
class LossScaleOptimizer(Optimizer):
    """Scales the loss up so float16 gradients do not underflow, and unscales the gradients.

    A step with any non-finite gradient is skipped and halves the scale; after
    `dynamic_growth_steps` finite steps in a row, the scale doubles.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients.
        initial_scale: the starting loss scale. Defaults to 2**15.
        dynamic_growth_steps: finite steps between doublings of the scale. Defaults to 2000.
        name: the optimizer's name.

    Example:

    >>> optimizer = workbench.optimizers.LossScaleOptimizer(workbench.optimizers.SGD())
    >>> scaled_loss = optimizer.scale_loss(loss)  # then take gradients of `scaled_loss`
    """

    def __init__(
        self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        # Older configs carry the base arguments at their defaults; anything else is an error.
        for argument, default in _BASE_DEFAULTS.items():
            if argument in kwargs and kwargs.pop(argument) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{argument}`. Instead, set `{argument}` on "
                    "the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not unscale a second time.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        self.step_counter = self.add_variable(
            shape=(), dtype="int32", initializer="zeros", name="step_counter"
        )
        self.dynamic_scale = self.add_variable(
            shape=(), dtype="float32", initializer=initializers.Constant(self.initial_scale),
            name="dynamic_scale",
        )
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads):
        return jnp.all(jnp.stack([jnp.all(jnp.isfinite(g)) for g in grads if g is not None]))

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {self.__class__.__name__} must be built (i.e. its "
                "variables must have been created). You can build it via "
                "`optimizer.build(trainable_variables)`."
            )
        grads = [None if g is None else jnp.asarray(g) for g in grads]
        # Typed arrays, so both branches of the `cond` below return the same types.
        optimizer_values = [
            jnp.asarray(x, v.dtype) for x, v in zip(optimizer_variables, self.variables)
        ]
        trainable_values = [
            jnp.asarray(x, v.dtype) for x, v in zip(trainable_variables, self._trainable_variables)
        ]
        own = len(self._variables)
        counter_index = next(i for i, v in enumerate(self._variables) if v is self.step_counter)
        scale_index = next(i for i, v in enumerate(self._variables) if v is self.dynamic_scale)

        def with_scale_state(values, counter, scale):
            values = list(values)
            values[counter_index] = counter.astype(values[counter_index].dtype)
            values[scale_index] = scale.astype(values[scale_index].dtype)
            return values

        def finite_step(optimizer_values, trainable_values):
            counter, scale = optimizer_values[counter_index], optimizer_values[scale_index]
            unscaled = [
                g if g is None or getattr(v, "overwrite_with_gradient", False) else g / scale
                for g, v in zip(grads, self._trainable_variables)
            ]
            new_trainable, new_inner = self.inner_optimizer.stateless_apply(
                optimizer_values[own:], unscaled, trainable_values
            )
            grow = counter == self.dynamic_growth_steps - 1
            counter = jnp.where(grow, 0, counter + 1)
            scale = jnp.where(grow, scale * 2.0, scale)
            return new_trainable, with_scale_state(optimizer_values[:own], counter, scale) + list(new_inner)

        def skip_step(optimizer_values, trainable_values):
            scale = optimizer_values[scale_index] * 0.5
            own_values = with_scale_state(optimizer_values[:own], jnp.zeros([], jnp.int32), scale)
            return list(trainable_values), own_values + list(optimizer_values[own:])

        finite = self.check_finite(grads)
        if not isinstance(finite, jax.core.Tracer):
            # Eagerly, branch in Python: `lax.cond` would retrace both branches on every call.
            step = finite_step if bool(finite) else skip_step
            return step(optimizer_values, trainable_values)
        return jax.lax.cond(finite, finite_step, skip_step, optimizer_values, trainable_values)

    def apply(self, grads, trainable_variables=None):
        if not self.built:
            with naming.name_scope(self.name):
                self.build(trainable_variables)
            self.built = True
        grads = list(grads)
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
            self._check_variables_are_known(trainable_variables)
            # Put the gradients in the built order; variables not given keep their values.
            ordered = [None] * len(self._trainable_variables)
            for g, v in zip(grads, trainable_variables):
                ordered[self._get_variable_index(v)] = g
            grads = ordered
        new_trainable, new_optimizer = self.stateless_apply(
            [v.value for v in self.variables], grads, [v.value for v in self._trainable_variables]
        )
        for variable, value in zip(self._trainable_variables, new_trainable):
            variable.assign(value)
        for variable, value in zip(self.variables, new_optimizer):
            variable.assign(value)

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        return loss * scale

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        return {
            "name": self.name,
            "inner_optimizer": serialization_lib.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        inner = serialization_lib.deserialize_keras_object(
            config.pop("inner_optimizer"), custom_objects=custom_objects
        )
        return cls(inner, **config)
