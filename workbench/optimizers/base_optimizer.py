"""The optimizer base: Keras's variables, arguments and step order, around a pure update.

An optimizer's state lives in `Variable`s, created in Keras's order and with Keras's names, so a
saved file reads the same in both libraries:

    iteration, learning_rate (absent with a schedule or callable),
    EMA averages (use_ema), gradient accumulators (gradient_accumulation_steps),
    then the slots each optimizer's `build` adds (Adam: momentum/velocity interleaved per variable).

One step (`apply`) runs, as in Keras: drop `None` gradients, unscale by `loss_scale_factor`,
accumulate (every step) or update (on the last step of an accumulation), where an update is
clip -> decoupled weight decay -> the optimizer's own math; then EMA, constraints, `iteration += 1`.
Everything reads and assigns Variables, so the same code runs eagerly and, inside a
`StatelessScope`, purely: `stateless_apply` is `apply` in such a scope, and is what the trainer
calls inside `jax.jit`.
"""

import re
import warnings

import jax.numpy as jnp
import optax

from workbench import initializers
from workbench.backend import config as backend_config
from workbench.backend import naming
from workbench.backend.stateless_scope import StatelessScope
from workbench.backend.variables import Variable
from workbench.optimizers import clipping
from workbench.optimizers.schedules import learning_rate_schedule
from workbench.saving import serialization_lib


class BaseOptimizer:
    """The Keras optimizer surface: variables, learning rate, clipping, weight decay, EMA,
    gradient accumulation, loss scaling, `apply` and `stateless_apply`, and config."""

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        self._lock = False
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = name if name is not None else naming.auto_name(self.__class__.__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError(
                    f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
                )
            if ema_overwrite_frequency and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                    f"ema_overwrite_frequency={ema_overwrite_frequency}"
                )
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        with naming.name_scope(self.name):
            self._iterations = Variable(
                0, name="iteration", dtype="int32", trainable=False, aggregation="only_first_replica"
            )
        self._learning_rate = self._learning_rate_from_argument(learning_rate)

    def _learning_rate_from_argument(self, learning_rate):
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(learning_rate):
            return learning_rate
        if not isinstance(learning_rate, float):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or "
                "a callable (that takes in the current iteration value and returns the corresponding "
                f"learning rate value). Received instead: learning_rate={learning_rate}"
            )
        with naming.name_scope(self.name):
            return Variable(
                learning_rate, name="learning_rate", dtype=backend_config.floatx(), trainable=False,
                aggregation="only_first_replica",
            )

    def __setattr__(self, name, value):
        if name != "_lock" and not hasattr(self, "_lock"):
            raise RuntimeError(
                f"In optimizer '{self.__class__.__name__}', you forgot to call `super().__init__()` as "
                "the first statement in the `__init__()` method. Go add it!"
            )
        # Like Keras, a Variable set as an attribute becomes optimizer state.
        if isinstance(value, Variable) and hasattr(self, "_variables"):
            self._track_variable(value)
        super().__setattr__(name, value)

    # -- variables --------------------------------------------------------------------------------
    def _track_variable(self, variable):
        if not any(variable is v for v in self._variables):
            self._variables.append(variable)

    def _untrack_variable(self, variable):
        self._variables = [v for v in self._variables if v is not variable]

    @property
    def variables(self):
        """All optimizer state, in Keras's (and the saved file's) order."""
        return self._variables[:]

    @property
    def iterations(self):
        """The number of optimizer updates (micro-steps // gradient_accumulation_steps)."""
        if self.gradient_accumulation_steps:
            return self._iterations.value // self.gradient_accumulation_steps
        return self._iterations

    def _step_count(self):
        """`iterations` as an array: the step number that bias corrections and EMA count."""
        if self.gradient_accumulation_steps:
            return self._iterations.value // self.gradient_accumulation_steps
        return self._iterations.value

    def build(self, var_list):
        """Creates the optimizer's state for `var_list`. Subclasses add their slots after `super()`."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = [
                self.add_variable_from_reference(v, name="gradient_accumulator") for v in var_list
            ]
        self._trainable_variables_indices = {self._var_key(v): i for i, v in enumerate(var_list)}
        self._trainable_variables = list(var_list)
        self.built = True

    def _var_key(self, variable):
        return id(variable)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[self._var_key(variable)]

    def add_variable(
        self, shape, initializer="zeros", dtype=None, aggregation="none", layout=None, name=None
    ):
        """Adds a non-trainable optimizer variable named `<optimizer name>/<name>`."""
        initializer = initializers.get(initializer)
        with naming.name_scope(self.name):
            variable = Variable(
                initializer=initializer, shape=shape, dtype=dtype, trainable=False,
                aggregation=aggregation, name=name,
            )
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Adds a slot shaped like `reference_variable`, named `<its path with _ for />_<name>`."""
        name = name or "var"
        if hasattr(reference_variable, "path"):
            prefix = reference_variable.path.replace("/", "_")
        else:
            prefix = str(reference_variable.name).replace("/", "_").replace(":", "_")
        return self.add_variable(
            shape=reference_variable.shape, initializer=initializer, dtype=reference_variable.dtype,
            name=f"{prefix}_{name}",
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Adds one slot per name for each variable, interleaved per variable as Keras does.

        Variables with `overwrite_with_gradient` get `None` (they never use slots). Returns a list,
        or a tuple of lists when `name` is a list of names.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            inits = list(initializer)
        else:
            inits = [initializer] * len(names)
        if len(names) != len(inits):
            raise ValueError(
                "The number of provided names must match the number of provided initializers. "
                f"Received name='{name}', initializer='{initializer}'"
            )
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for slot_list, slot_name, init in zip(slots, names, inits):
                if getattr(variable, "overwrite_with_gradient", False):
                    slot_list.append(None)
                else:
                    slot_list.append(self.add_variable_from_reference(variable, slot_name, init))
        return slots[0] if isinstance(name, str) else slots

    def _check_variables_are_known(self, variables):
        for v in variables:
            if self._var_key(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the variables it "
                    "was originally built with. When working with a new set of variables, you should "
                    "recreate a new optimizer instance."
                )

    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    # -- learning rate ----------------------------------------------------------------------------
    @property
    def learning_rate(self):
        """The current learning rate: the Variable, or the schedule's value at this iteration."""
        return self._get_current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate if isinstance(self._learning_rate, Variable) else None
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. If "
                "you need the learning rate to be settable, you should instantiate the optimizer "
                "with a float `learning_rate` argument."
            )
        else:
            self._learning_rate.assign(learning_rate)
        if previous is not None and not isinstance(self._learning_rate, Variable):
            self._untrack_variable(previous)

    def _get_current_learning_rate(self):
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return self._learning_rate(self._iterations.value)
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        if callable(self._learning_rate):
            return self._learning_rate()
        return self._learning_rate

    def _learning_rate_value(self):
        learning_rate = self._get_current_learning_rate()
        return learning_rate.value if isinstance(learning_rate, Variable) else jnp.asarray(learning_rate)

    # -- one step ---------------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns the iteration Variable."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: those the optimizer was built with) from `grads`.

        The optimizer builds itself on its first call with variables.
        """
        grads = list(grads)
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on "
                    "a list of variables. Call `optimizer.build(trainable_variables)` first."
                )
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must match "
                    f"`optimizer.variables` one-to-one. Received a list of {len(grads)} gradients, but "
                    f"the optimizer is tracking {len(self._trainable_variables)} trainable variables."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                with naming.name_scope(self.name):
                    self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)

        with naming.name_scope(self.name):
            grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
            grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
                grads, trainable_variables
            )
            if grads:
                if self.loss_scale_factor is not None:
                    grads = [g / self.loss_scale_factor for g in grads]
                self._backend_apply_gradients(grads, trainable_variables)
                for variable in trainable_variables:
                    if variable.constraint is not None:
                        variable.assign(variable.constraint(variable.value))
        self._iterations.assign_add(1)

    def _backend_apply_gradients(self, grads, trainable_variables):
        if self.gradient_accumulation_steps:
            self._accumulate_or_update(grads, trainable_variables)
        else:
            self._clip_decay_and_update(grads, trainable_variables)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                overwrite = (self._step_count() + 1) % self.ema_overwrite_frequency == 0
                for variable, average in zip(self._trainable_variables, self._model_variables_moving_average):
                    if average is not None:
                        variable.assign(jnp.where(overwrite, average.value, variable.value))

    def _clip_decay_and_update(self, grads, trainable_variables):
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(trainable_variables)
        self._backend_update_step(grads, trainable_variables, self._learning_rate_value())

    def _accumulate_or_update(self, grads, trainable_variables):
        """Adds the gradients to the accumulators; on every `steps`-th call, updates with their mean.

        The update is computed every call and kept only on update steps (a select, not a branch),
        so the step stays one straight-line program under `jax.jit`, as in Keras on JAX.
        """
        steps = self.gradient_accumulation_steps
        is_update_step = (self._iterations.value + 1) % steps == 0
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)] for v in trainable_variables]
        summed = [g + a.value for g, a in zip(grads, accumulators)]
        state = list(trainable_variables) + self.variables
        before = [v.value for v in state]
        self._clip_decay_and_update([s / steps for s in summed], trainable_variables)
        for variable, old in zip(state, before):
            variable.assign(jnp.where(is_update_step, variable.value, old))
        for accumulator, total in zip(accumulators, summed):
            accumulator.assign(jnp.where(is_update_step, jnp.zeros_like(total), total))

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        for grad, variable in zip(grads, trainable_variables):
            self.update_step(grad, variable, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable; custom optimizers written the Keras way override this."""
        raise NotImplementedError

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        missing = [v.path for g, v in zip(grads, variables) if g is None]
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                "`model.compile()`, did you forget to provide a `loss` argument?"
            )
        return [jnp.asarray(g) for g, _ in kept], [v for _, v in kept]

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        """Variables with `overwrite_with_gradient` (float8 scales) take their gradient as value."""
        if not any(getattr(v, "overwrite_with_gradient", False) for v in variables):
            return grads, variables
        kept_grads, kept_variables = [], []
        for g, v in zip(grads, variables):
            if not getattr(v, "overwrite_with_gradient", False):
                kept_grads.append(g)
                kept_variables.append(v)
            elif self.gradient_accumulation_steps:
                # Accumulate by maximum; write on the update step.
                is_update_step = (self._iterations.value + 1) % self.gradient_accumulation_steps == 0
                accumulator = self._accumulated_gradients[self._get_variable_index(v)]
                largest = jnp.maximum(g, accumulator.value)
                v.assign(jnp.where(is_update_step, largest, v.value))
                accumulator.assign(jnp.where(is_update_step, jnp.zeros_like(g), largest))
            else:
                v.assign(g)
        return kept_grads, kept_variables

    def _clip_gradients(self, grads):
        transformation = clipping.gradient_clipping(self.clipnorm, self.clipvalue, self.global_clipnorm)
        grads, _ = transformation.update(grads, optax.EmptyState())
        return grads

    # -- weight decay -----------------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables from weight decay: those in `var_list`, and those whose name contains
        any string of `var_names` (e.g. `var_names=["bias"]`). Call before training."""
        self._exclude_from_weight_decay = {self._var_key(v) for v in var_list or ()}
        self._exclude_from_weight_decay_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable):
        if self._var_key(variable) in getattr(self, "_exclude_from_weight_decay", ()):
            return False
        pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
        return pattern is None or pattern.search(variable.name) is None

    def _apply_weight_decay(self, variables):
        """Decoupled weight decay, `w -= w * weight_decay * learning_rate`, before the update.

        This is not an optax step: Keras shrinks the weights themselves before the optimizer's
        math runs, and Lamb, Ftrl and Adafactor read the shrunk weights.
        """
        if self.weight_decay is None:
            return
        learning_rate = self._learning_rate_value()
        for variable in variables:
            if self._use_weight_decay(variable):
                value = variable.value
                weight_decay = jnp.asarray(self.weight_decay, value.dtype)
                variable.assign(value - value * weight_decay * learning_rate.astype(value.dtype))

    # -- exponential moving average ---------------------------------------------------------------
    def _update_model_variables_moving_average(self, trainable_variables):
        step = self._step_count()
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is not None:
                # The first update copies the variable; later ones average.
                momentum = (step != 0).astype(variable.dtype) * self.ema_momentum
                average.assign(momentum * average.value + (1 - momentum) * variable.value)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        if len(trainable_variables) != len(self._model_variables_moving_average):
            raise ValueError(
                f"The length of model variables ({len(trainable_variables)}) to override does not "
                "match the length of model variables stored in the optimizer "
                f"({len(self._model_variables_moving_average)}). Please check if the optimizer was "
                "called on your model."
            )
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is not None:
                variable.assign(average.value)

    def finalize_variable_values(self, var_list):
        """Ends training: with `use_ema`, writes the moving averages into `var_list`."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # -- the pure step ----------------------------------------------------------------------------
    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """One optimizer step as a pure function of arrays; use it inside `jax.jit`.

        Args:
            optimizer_variables: arrays for `self.variables`, in that order.
            grads: gradients for the variables the optimizer was built with (`None` skips one).
            trainable_variables: arrays for those variables, in the order given to `build`.

        Returns:
            `(new_trainable_values, new_optimizer_values)`, two lists of arrays.
        """
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {self.__class__.__name__} must be built (i.e. its "
                "variables must have been created). You can build it via "
                "`optimizer.build(trainable_variables)`."
            )
        if len(optimizer_variables) != len(self.variables):
            raise ValueError(
                "Argument `optimizer_variables` must be a list of tensors corresponding 1:1 to "
                f"{self.__class__.__name__}().variables. Received list with length "
                f"{len(optimizer_variables)}, but expected {len(self.variables)} variables."
            )
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                "Argument `trainable_variables` must be a list of tensors corresponding 1:1 to the "
                "trainable variables list that the optimizer was built with. Received "
                f"len(trainable_variables) == {len(trainable_variables)} whereas the optimizer was "
                f"built with {len(self._trainable_variables)} variables. If you changed a layer's "
                "`trainable` flag after `compile()`, call `compile()` again."
            )
        mapping = list(zip(self._trainable_variables, trainable_variables))
        mapping += list(zip(self.variables, optimizer_variables))
        with StatelessScope(state_mapping=mapping) as scope:
            self.apply(grads)
        return (
            [scope.get_current_value(v) for v in self._trainable_variables],
            [scope.get_current_value(v) for v in self.variables],
        )

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` (if set) before gradients are taken."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- saving -----------------------------------------------------------------------------------
    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. Please "
                "call `optimizer.build(trainable_variables)` to create the optimizer weights before "
                "calling `set_weights()`."
            )
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(weight.shape):
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {variable.shape} not compatible "
                    f"with provided weight shape {tuple(weight.shape)}."
                )
            variable.assign(weight)

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        if len(store.keys()) != len(self.variables):
            message = (
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self.variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables. "
            )
            if not self.variables:
                message += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(message, stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(store[str(i)])

    def _obj_type(self):
        return "Optimizer"

    # -- config -----------------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments; a float learning rate is read back from its Variable."""
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(self._learning_rate)
        elif isinstance(self._learning_rate, Variable):
            learning_rate = float(self._learning_rate.numpy())
        elif callable(self._learning_rate):
            learning_rate = serialization_lib.serialize_keras_object(self._learning_rate)
        else:
            learning_rate = float(self._learning_rate)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = serialization_lib.deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)
