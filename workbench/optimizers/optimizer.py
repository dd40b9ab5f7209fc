"""`Optimizer`: a step runs one optax transformation over all variables at once.

A built-in optimizer supplies three small methods:

- `_transformation(learning_rate)`: its optax chain for this step, e.g. for Adam
  `optax.chain(scale_by_keras_adam(...), optax.scale_by_learning_rate(learning_rate))`;
- `_optax_state(indices, count)`: that chain's state, read from its slot Variables;
- `_assign_optax_state(indices, state)`: the new state, written back into those Variables.

`indices` are the positions (in the built variable list) of the variables being updated, and
`count` is `iterations`, the step number optax transformations count from. A custom optimizer can
instead implement Keras's `update_step(gradient, variable, learning_rate)`.
"""

import optax

from workbench.api_export import keras_export
from workbench.optimizers.base_optimizer import BaseOptimizer


@keras_export("keras.Optimizer", "keras.optimizers.Optimizer")
class Optimizer(BaseOptimizer):
    """The base class of optimizers.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable returning the rate.
        weight_decay: if set, decoupled weight decay `w -= w * weight_decay * learning_rate`.
        clipnorm: if set, each gradient is clipped to at most this L2 norm.
        clipvalue: if set, each gradient element is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: if set, all gradients are clipped together to this global L2 norm.
        use_ema: whether to keep an exponential moving average of the weights.
        ema_momentum: the EMA momentum, `average = m * average + (1 - m) * weight`.
        ema_overwrite_frequency: if set, every this many steps the weights are replaced by
            their average; otherwise call `finalize_variable_values` at the end (`fit` does).
        loss_scale_factor: if set, `scale_loss` multiplies the loss by it and the gradients are
            divided by it before the update.
        gradient_accumulation_steps: if set (>= 2), the variables are updated every this many
            steps with the mean of the accumulated gradients.
        name: the optimizer's name, the prefix of its variables' paths.

    Example of a custom optimizer written the Keras way:

    >>> class PlainSGD(workbench.optimizers.Optimizer):
    ...     def __init__(self, learning_rate=0.01, **kwargs):
    ...         super().__init__(learning_rate=learning_rate, **kwargs)
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         variable.assign(variable.value - learning_rate * gradient)
    """

    def _transformation(self, learning_rate):
        """This step's optax transformation, or None to run `update_step` per variable."""
        return None

    def _optax_state(self, indices, count):
        raise NotImplementedError

    def _assign_optax_state(self, indices, state):
        raise NotImplementedError

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        transformation = self._transformation(learning_rate)
        if transformation is None:
            return super()._backend_update_step(grads, trainable_variables, learning_rate)
        indices = [self._get_variable_index(v) for v in trainable_variables]
        params = [v.value for v in trainable_variables]
        grads = [g.astype(p.dtype) for g, p in zip(grads, params)]
        state = self._optax_state(indices, self._step_count())
        updates, state = transformation.update(grads, state, params)
        for variable, value in zip(trainable_variables, optax.apply_updates(params, updates)):
            variable.assign(value)
        self._assign_optax_state(indices, state)

    @staticmethod
    def _slot_values(slots, indices):
        return [slots[i].value for i in indices]

    @staticmethod
    def _assign_slots(slots, indices, values):
        for i, value in zip(indices, values):
            slots[i].assign(value)
