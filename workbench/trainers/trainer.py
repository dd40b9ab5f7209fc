"""Trainer: `compile`, `fit`, `evaluate`, `predict` and the `*_on_batch` methods of Model.

During a loop the trainer owns the state as arrays (see steps.py). It writes the state back into
the Variables at the end of each epoch, and whenever a callback reads `self.model`; it reads the
Variables back after such a callback, so a callback that sets weights or the learning rate is
seen by the next step. Logs stay on the device until someone reads them.
"""

import warnings

import jax
import jax.numpy as jnp
import numpy as np

from workbench import tree
from workbench.backend.stateless_scope import StatelessScope
from workbench.backend.variables import Variable, tracking_generation
from workbench.trainers import steps as step_functions
from workbench.trainers.compile_utils import CompileLoss, CompileMetrics
from workbench.trainers.data import EpochIterator, get_data_adapter, train_validation_split

_AUTO_STEPS_PER_EXECUTION = 32


def unpack_x_y_sample_weight(data):
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data must be x, (x,), (x, y) or (x, y, sample_weight). Received a tuple of {len(data)}.")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    if y is None:
        return (x,) if not isinstance(x, (list, tuple)) else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


_copy = step_functions.copy_arrays


def _to_floats(logs):
    return {key: float(value) for key, value in jax.device_get(logs).items()}


class _Memo:
    """Values the trainer keeps for reuse, in `by_key`. An object, not a dict: layer tracking
    walks a model's dict and list attributes looking for layers and variables."""

    def __init__(self):
        self.by_key = {}


class Trainer:
    """The training half of `Model`."""

    def _trainer_init(self):
        self.compiled = False
        self.optimizer = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.stop_training = False
        self.history = None
        self._pending_state = None
        self._reload_state = False
        self._functions = {}

    # -- compile -------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True):
        """Configures the model for training.

        Args:
            optimizer: name or instance, e.g. `"adam"` or `workbench.optimizers.Adam(1e-3)`.
            loss: a loss name, function or `Loss`; a list or dict for several outputs.
            loss_weights: weights of the per-output losses (list or dict).
            metrics: metrics to report (names, functions, `Metric`s); lists or dicts per output.
            weighted_metrics: metrics that take `sample_weight` / `class_weight` into account.
            run_eagerly: run steps op by op in Python (for debugging).
            steps_per_execution: steps fused into one XLA program; `"auto"` picks a number.
            jit_compile: `"auto"`/True compile with XLA; False is the same as `run_eagerly`.
            auto_scale_loss: wrap the optimizer in `LossScaleOptimizer` under `mixed_float16`.

        Example:

        >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        ...               metrics=["accuracy"])
        """
        from workbench import metrics as metrics_module
        from workbench import optimizers

        self._trainer_init_if_needed()
        self.optimizer = optimizers.get(optimizer)
        if auto_scale_loss and self.dtype_policy.name == "mixed_float16" and not isinstance(
                self.optimizer, optimizers.LossScaleOptimizer):
            self.optimizer = optimizers.LossScaleOptimizer(self.optimizer)
        if steps_per_execution != "auto" and (not isinstance(steps_per_execution, int) or steps_per_execution < 1):
            raise ValueError(
                "`steps_per_execution` must be a positive integer or 'auto'. "
                f"Received: steps_per_execution={steps_per_execution}"
            )
        output_names = self._output_names()
        self._compile_loss = CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        self._compile_metrics = (CompileMetrics(metrics, weighted_metrics, output_names)
                                 if metrics is not None or weighted_metrics is not None else None)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly) or jit_compile is False
        self.jit_compile = not self.run_eagerly
        self.steps_per_execution = steps_per_execution
        self._compile_config = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights, "metrics": metrics,
            "weighted_metrics": weighted_metrics, "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution, "jit_compile": jit_compile,
        }
        self._functions = {}
        self.compiled = True

    def _trainer_init_if_needed(self):
        if "compiled" not in self.__dict__:
            self._trainer_init()

    def _output_names(self):
        outputs = getattr(self, "_outputs", None)
        if outputs:
            struct = getattr(self, "_outputs_struct", None)
            if isinstance(struct, dict):
                return sorted(struct)
            return [t._keras_history.operation.name for t in outputs]
        return None

    def _assert_compiled(self, method):
        if not getattr(self, "compiled", False):
            raise ValueError(
                f"You must call `compile()` before using the model's `{method}()`. For example: "
                "`model.compile(optimizer='adam', loss='mse')`."
            )

    # -- losses and metrics --------------------------------------------------------------------
    @property
    def metrics(self):
        self._trainer_init_if_needed()
        found = []
        if self._loss_tracker is not None:
            found.append(self._loss_tracker)
        if self._compile_loss is not None:
            found.extend(self._compile_loss.metrics)
        if self._compile_metrics is not None:
            found.extend(self._compile_metrics.metrics)
        for layer in self._flatten_layers(include_self=False):
            found.extend(layer._metrics)
        return found

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in m.variables]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus the model's own losses (`add_loss`, regularizers)."""
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        extra = self.losses
        if extra:
            extra_sum = sum(jnp.asarray(loss, dtype="float32") for loss in extra)
            total = extra_sum if total is None else total + extra_sum
        if total is None:
            raise ValueError(
                "The model has no loss to optimize: pass `loss=` to `compile()`, or add losses "
                "with `self.add_loss()` in the model."
            )
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics and returns the current metric results."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        results = {}
        for metric in self.metrics:
            # A metric may return one of its Variables (`return self.total`, as Keras's guide
            # does); read it inside the scope, where it holds the in-flight value.
            value = tree.map_structure(
                lambda v: v.value if isinstance(v, Variable) else v, metric.result())
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return results

    def stateless_compute_loss(self, trainable_variables, non_trainable_variables, metrics_variables,
                               x=None, y=None, y_pred=None, sample_weight=None, training=True):
        variables = self.trainable_variables + self.non_trainable_variables + self.metrics_variables
        values = list(trainable_variables) + list(non_trainable_variables) + list(metrics_variables)
        with StatelessScope(state_mapping=list(zip(variables, values))) as scope:
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=training)
        new = [scope.get_current_value(v) for v in variables]
        n1, n2 = len(trainable_variables), len(non_trainable_variables)
        return loss, (new[:n1], new[n1:n1 + n2], new[n1 + n2:])

    def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, metrics_variables,
                                 x, y, sample_weight, training=False, optimizer_variables=None):
        """Forward pass and loss, purely: returns `loss, (unscaled_loss, y_pred, non_trainable, metrics)`."""
        y_pred, non_trainable_variables, losses = self.stateless_call(
            trainable_variables, non_trainable_variables, x, return_losses=True, training=training)
        self._losses_override = losses
        try:
            loss, (_, non_trainable_variables, metrics_variables) = self.stateless_compute_loss(
                trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y,
                y_pred=y_pred, sample_weight=sample_weight, training=training)
        finally:
            self._losses_override = None
        unscaled = loss
        if training and self.optimizer is not None and optimizer_variables is not None:
            mapping = list(zip(self.optimizer.variables, optimizer_variables))
            with StatelessScope(state_mapping=mapping):
                loss = self.optimizer.scale_loss(loss)
        return loss, (unscaled, y_pred, non_trainable_variables, metrics_variables)

    @property
    def losses(self):
        override = getattr(self, "_losses_override", None)
        if override is not None:
            return list(override)
        return super().losses

    # -- the steps (override these to customize fit) -------------------------------------------
    def _update_metrics_statelessly(self, metrics_variables, update):
        variables = self.metrics_variables
        with StatelessScope(state_mapping=list(zip(variables, metrics_variables))) as scope:
            logs = update()
        return logs, [scope.get_current_value(v) for v in variables]

    def train_step(self, state, data):
        """One training step, purely: `(logs, new_state)` from `state` and a batch."""
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (_, aux), grads = grad_fn(trainable, non_trainable, metrics_variables, x, y, sample_weight,
                                  training=True, optimizer_variables=optimizer_variables)
        unscaled_loss, y_pred, non_trainable, metrics_variables = aux
        trainable, optimizer_variables = self.optimizer.stateless_apply(optimizer_variables, grads, trainable)

        def update():
            self._loss_tracker.update_state(unscaled_loss, sample_weight=tree.flatten(x)[0].shape[0])
            return self.compute_metrics(x, y, y_pred, sample_weight)

        logs, metrics_variables = self._update_metrics_statelessly(metrics_variables, update)
        return logs, (trainable, non_trainable, optimizer_variables, metrics_variables)

    def test_step(self, state, data):
        trainable, non_trainable, metrics_variables = state
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        loss, (_, y_pred, non_trainable, metrics_variables) = self.compute_loss_and_updates(
            trainable, non_trainable, metrics_variables, x, y, sample_weight, training=False)

        def update():
            self._loss_tracker.update_state(loss, sample_weight=tree.flatten(x)[0].shape[0])
            return self.compute_metrics(x, y, y_pred, sample_weight)

        logs, metrics_variables = self._update_metrics_statelessly(metrics_variables, update)
        return logs, (trainable, non_trainable, metrics_variables)

    def predict_step(self, state, data):
        trainable, non_trainable = state
        x, _, _ = unpack_x_y_sample_weight(data)
        outputs, non_trainable = self.stateless_call(trainable, non_trainable, x, training=False)
        return outputs, (trainable, non_trainable)

    # -- state ---------------------------------------------------------------------------------
    def _loop_cache(self):
        """The model's variable lists, kept between calls while nothing that could change them
        has happened anywhere (`tracking_generation`)."""
        cache = self.__dict__.get("_variable_groups_cache")
        if cache is None or cache.generation != tracking_generation():
            cache = self.__dict__["_variable_groups_cache"] = _Memo()
            cache.generation = tracking_generation()
        return cache

    def _variable_groups(self, mode):
        cache = self._loop_cache()
        if mode not in cache.by_key:
            model = cache.by_key.get("model")
            if model is None:
                model = cache.by_key["model"] = self._model_variable_groups()
            cache.by_key[mode] = {
                "predict": lambda: model,
                "test": lambda: model + (self.metrics_variables,),
                "train": lambda: model + (self.optimizer.variables if self.optimizer else [],
                                          self.metrics_variables),
            }[mode]()
        return cache.by_key[mode]

    def _model_variable_groups(self):
        from workbench.layers.layer import Layer

        cls = type(self)
        if (cls.trainable_variables is not Layer.trainable_variables
                or cls.non_trainable_variables is not Layer.non_trainable_variables):
            return (self.trainable_variables, self.non_trainable_variables)
        variables = self.variables  # one walk of the layer tree for both lists
        if not self.trainable:
            return ([], variables)
        return ([v for v in variables if v.trainable], [v for v in variables if not v.trainable])

    def _values(self, mode):
        """The Variables' arrays, as a state: to be read, not donated (`run` copies it)."""
        return tuple([v.value for v in group] for group in self._variable_groups(mode))

    def _state(self, mode):
        """A private copy of the Variables' arrays, which the steps may donate."""
        return tuple(_copy(self._values(mode)))

    def _write_state(self, state, mode, copy=True):
        """Writes `state` into the Variables; `copy=False` when no step will donate `state`."""
        for variables, values in zip(self._variable_groups(mode), _copy(list(state)) if copy else state):
            for variable, value in zip(variables, values):
                variable._set_value_from_step(value)

    def _sync_state_to_variables(self):
        """Writes the in-flight training state into the Variables (callbacks call this via `.model`)."""
        pending = getattr(self, "_pending_state", None)
        if pending is not None:
            state, mode, donated_later = pending
            self._write_state(state, mode, copy=donated_later)
            self._pending_state = None
        if getattr(self, "_fitting", False):
            # The callback may now set weights or the learning rate: the next step reads them.
            self._reload_state = True

    def _symbolic_build(self, batch, mode):
        """Creates every variable (model, optimizer, metrics) before the first jitted step."""
        if self._fully_built(mode):
            return
        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        if not self.built:
            with StatelessScope():
                jax.eval_shape(lambda data: self(data), x)
        spec = jax.eval_shape(
            lambda data: self.stateless_call([v.value for v in self.trainable_variables],
                                             [v.value for v in self.non_trainable_variables], data)[0], x)
        if mode == "predict":
            return
        y_pred = tree.map_structure(lambda s: jnp.zeros(s.shape, s.dtype), spec)
        if self._compile_loss is not None and not self._compile_loss.built and y is not None:
            self._compile_loss.build(y, y_pred)
        if self._compile_metrics is not None and not self._compile_metrics.built and y is not None:
            self._compile_metrics.build(y, y_pred)
            # Trace one update so metrics that create variables lazily create them now.
            with StatelessScope():
                jax.eval_shape(lambda: self._compile_metrics.update_state(y, y_pred, sample_weight))
        if mode == "train" and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)

    def _fully_built(self, mode):
        if not self.built:
            return False
        if mode == "predict":
            return True
        parts = (self._compile_loss, self._compile_metrics) + ((self.optimizer,) if mode == "train" else ())
        return all(part is None or part.built for part in parts)

    def _function(self, mode):
        self._trainer_init_if_needed()
        jit_compile = getattr(self, "jit_compile", True)  # predict works without compile()
        key = (mode, jit_compile)
        if key not in self._functions:
            maker = {"train": step_functions.make_train_function, "test": step_functions.make_test_function,
                     "predict": step_functions.make_predict_function}[mode]
            self._functions[key] = maker(self, jit_compile=jit_compile)
        return self._functions[key]

    def _steps_per_execution(self, callbacks, mode, num_batches, setting=None):
        setting = getattr(self, "steps_per_execution", 1) if setting is None else setting
        if setting == "auto":
            if callbacks is not None and callbacks.needs_batch_hooks(mode):
                return 1
            if self._scan_is_slow_here():
                return 1
            return max(1, min(_AUTO_STEPS_PER_EXECUTION, num_batches or _AUTO_STEPS_PER_EXECUTION))
        return setting

    def _scan_is_slow_here(self):
        """XLA:CPU runs convolutions inside `lax.scan` about 3x slower than one step per dispatch
        (benchmarks/RESULTS.md, the CNN row), so "auto" does not fuse conv models on CPU, and
        `steps_per_execution=k` runs their k steps as k dispatches."""
        if jax.default_backend() != "cpu":
            return False
        cache = self._loop_cache().by_key
        if "scan_is_slow" not in cache:
            cache["scan_is_slow"] = self._has_convolutions()
        return cache["scan_is_slow"]

    def _epoch_iterator(self, adapter, steps, steps_per_execution):
        return EpochIterator(adapter, steps, steps_per_execution, scan=not self._scan_is_slow_here())

    def _has_convolutions(self):
        from workbench.layers.convolutional.base_conv import BaseConv
        from workbench.layers.convolutional.base_conv_transpose import BaseConvTranspose
        from workbench.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv
        from workbench.layers.convolutional.base_separable_conv import BaseSeparableConv

        conv = (BaseConv, BaseConvTranspose, BaseDepthwiseConv, BaseSeparableConv)
        return any(isinstance(layer, conv) for layer in self._flatten_layers())

    # -- fit / evaluate / predict --------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Trains the model for a number of epochs; returns a `History`.

        Example:

        >>> history = model.fit(x_train, y_train, batch_size=32, epochs=5, validation_split=0.1)
        >>> history.history["val_loss"]
        """
        from workbench.callbacks import CallbackList

        self._assert_compiled("fit")
        from workbench.config import max_epochs, max_steps_per_epoch

        epochs = min(epochs, max_epochs()) if max_epochs() else epochs
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split((x, y, sample_weight), validation_split)
        adapter = get_data_adapter(x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch,
                                   shuffle=shuffle, class_weight=class_weight)
        if max_steps_per_epoch():
            steps_per_epoch = min(steps_per_epoch or adapter.num_batches or max_steps_per_epoch(),
                                  max_steps_per_epoch())
        progbar = "auto" if verbose == "auto" else verbose != 0  # "auto": a widget bar in notebooks
        if verbose == "auto":
            verbose = 1
        callbacks = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_history=True, add_progbar=progbar, model=self, verbose=verbose,
            epochs=epochs, steps=steps_per_epoch or adapter.num_batches)
        iterator = self._epoch_iterator(
            adapter, steps_per_epoch,
            self._steps_per_execution(callbacks, "train", steps_per_epoch or adapter.num_batches))
        self._symbolic_build(iterator.first_batch(), "train")
        val_iterator = None
        if validation_data is not None:
            vx, vy, vsw = unpack_x_y_sample_weight(validation_data) if isinstance(
                validation_data, (tuple, list)) else (validation_data, None, None)
            val_adapter = get_data_adapter(vx, vy, vsw, batch_size=validation_batch_size or batch_size,
                                           steps=validation_steps)
            val_iterator = self._epoch_iterator(
                val_adapter, validation_steps, self._steps_per_execution(None, "test", val_adapter.num_batches))
        train_function = self._function("train")
        batch_hooks = callbacks.needs_batch_hooks("train")
        self.stop_training = False
        callbacks.on_train_begin()
        initial_epoch = getattr(self, "_initial_epoch", None) or initial_epoch
        state = self._values("train")
        self._fitting = True
        try:
            return self._fit_epochs(iterator, val_iterator, validation_freq, train_function, state,
                                    callbacks, batch_hooks, initial_epoch, epochs)
        finally:
            self._fitting = False
            self._pending_state = None

    def _fit_epochs(self, iterator, val_iterator, validation_freq, train_function, state, callbacks,
                    batch_hooks, initial_epoch, epochs):
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            callbacks.on_epoch_begin(epoch)
            # Between epochs the state is never donated: an epoch's loop works on its own copy.
            state = self._maybe_reload(state, "train")
            state = self._reset_metrics_in_state(state, index=3, copy=False)
            logs, state = self._train_epoch(iterator, train_function, state, callbacks, batch_hooks)
            if logs is None:
                raise ValueError(
                    "fit() ran zero steps: the data gave no batches. Check `x`, `batch_size` and "
                    "`steps_per_epoch`."
                )
            self._pending_state = (state, "train", False)
            self._sync_state_to_variables()
            self._reload_state = False
            epoch_logs = _to_floats(logs)
            if val_iterator is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._run_evaluation(val_iterator, callbacks=None)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            state = self._maybe_reload(state, "train", force=self._reload_state)
            if self.stop_training:
                break
        self._pending_state = None
        self.optimizer.finalize_variable_values(self._variable_groups("train")[0])
        callbacks.on_train_end(epoch_logs)
        return self.history

    def _train_epoch(self, iterator, train_function, state, callbacks, batch_hooks):
        """One epoch of steps on a copy of `state`; returns the last logs (None if there was no
        batch) and the new state."""
        logs = None
        if not batch_hooks and not callbacks.listens("on_train_batch_end"):
            # Nothing runs between steps, so nothing can read the model or stop training: the
            # loop is only the dispatches (this is most of fit's cost per step on small models).
            if hasattr(train_function, "run"):
                return train_function.run(state, iterator)
            for _, _, batches in iterator:  # run_eagerly: nothing is donated
                logs, state = train_function(state, batches)
            return logs, state
        state = _copy(state)  # the steps donate it
        for first, last, batches in iterator:
            if batch_hooks:
                callbacks.on_train_batch_begin(first)
                state = self._maybe_reload(state, "train", private=True)
            logs, state = train_function(state, batches)
            self._pending_state = (state, "train", True)
            callbacks.on_train_batch_end(last, logs)
            state = self._maybe_reload(state, "train", private=True)
            if self.stop_training:
                break
        return logs, state

    def _maybe_reload(self, state, mode, force=False, private=False):
        """The Variables' values if a callback may have changed them, else `state`; `private`
        when the steps will donate the result."""
        if self._reload_state or force:
            self._reload_state = False
            return self._state(mode) if private else self._values(mode)
        return state

    def _reset_metrics_in_state(self, state, index, copy=True):
        # The reset values are kept across calls, keyed by the metric variables they reset.
        key = tuple(map(id, self._variable_groups("train" if index == 3 else "test")[index]))
        cache = self.__dict__.setdefault("_fresh_metrics", _Memo())
        if key not in cache.by_key:
            values = [m.stateless_reset_state() for m in self.metrics]
            cache.by_key = {key: [jnp.asarray(v) for group in values for v in group]}
        state = list(state)
        state[index] = _copy(cache.by_key[key]) if copy else cache.by_key[key]
        return tuple(state)

    def _run_evaluation(self, iterator, callbacks):
        self._symbolic_build(iterator.first_batch(), "test")
        test_function = self._function("test")
        state = self._reset_metrics_in_state(self._state("test"), index=2)
        logs = None
        if callbacks is not None:
            callbacks.on_test_begin()
        for first, last, batches in iterator:
            if callbacks is not None and callbacks.needs_batch_hooks("test"):
                callbacks.on_test_batch_begin(first)
            logs, state = test_function(state, batches)
            if callbacks is not None:
                callbacks.on_test_batch_end(last, logs)
        if logs is None:
            raise ValueError("evaluate() ran zero steps: the data gave no batches.")
        # Only the metric state changed; write it back so `model.metrics` hold the results.
        for variable, value in zip(self._variable_groups("test")[2], state[2]):
            variable.assign(value)
        logs = _to_floats(logs)
        if callbacks is not None:
            callbacks.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Returns the loss and metric values on the given data (a list, or a dict with `return_dict`)."""
        from workbench.callbacks import CallbackList

        self._assert_compiled("evaluate")
        unknown = set(kwargs) - {"_use_cached_eval_dataset"}
        if unknown:
            raise ValueError(f"Arguments not recognized by evaluate(): {sorted(unknown)}")
        adapter = get_data_adapter(x, y, sample_weight, batch_size=batch_size, steps=steps)
        progbar = "auto" if verbose == "auto" else verbose != 0
        if verbose == "auto":
            verbose = 1
        callbacks = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=progbar, model=self, verbose=verbose, epochs=1,
            steps=steps or adapter.num_batches)
        iterator = self._epoch_iterator(
            adapter, steps, self._steps_per_execution(callbacks, "test", steps or adapter.num_batches))
        logs = self._run_evaluation(iterator, callbacks)
        if return_dict:
            return logs
        return self._flatten_in_order(logs)

    def _flatten_in_order(self, logs):
        ordered = [logs["loss"]] if "loss" in logs else []
        ordered += [v for k, v in logs.items() if k != "loss"]
        return ordered[0] if len(ordered) == 1 else ordered

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for `x` as NumPy arrays, batch by batch."""
        from workbench.callbacks import CallbackList

        self._trainer_init_if_needed()
        adapter = get_data_adapter(x, None, None, batch_size=batch_size, steps=steps)
        progbar = "auto" if verbose == "auto" else verbose != 0
        if verbose == "auto":
            verbose = 1
        callbacks = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=progbar, model=self, verbose=verbose, epochs=1,
            steps=steps or adapter.num_batches)
        setting = getattr(self, "steps_per_execution", 1)
        if setting == 1 and not callbacks.listens("on_predict_batch_end"):
            # Predicting is pure and nobody sees the batches go by, so fusing steps changes
            # nothing but the speed (as "auto" would, on models where scan is fast).
            setting = "auto"
        per_execution = self._steps_per_execution(callbacks, "predict", steps or adapter.num_batches,
                                                  setting)
        iterator = self._epoch_iterator(adapter, steps, per_execution)
        self._symbolic_build(iterator.first_batch(), "predict")
        predict_function = self._function("predict")
        state = self._state("predict")
        callbacks.on_predict_begin()
        chunks = []
        listening = callbacks.listens("on_predict_batch_end")
        for first, last, batches in iterator:
            outputs, state = predict_function(state, batches)
            chunks.append(outputs)
            if listening:
                callbacks.on_predict_batch_end(last, {"outputs": outputs})
        if not chunks:
            raise ValueError("predict() ran zero steps: the data gave no batches.")
        callbacks.on_predict_end()
        chunks = jax.device_get(chunks)  # one transfer for all of them, not one per chunk

        def join(*pieces):
            return np.concatenate([p.reshape((-1,) + p.shape[2:]) for p in pieces], axis=0)

        return tree.map_structure(join, *chunks)

    def _stacked(self, x, y=None, sample_weight=None, class_weight=None):
        adapter = get_data_adapter(x, y, sample_weight, batch_size=None, class_weight=class_weight)
        adapter.batch_size = adapter.num_samples
        batch = next(adapter.batches())
        return batch, tree.map_structure(lambda a: None if a is None else np.expand_dims(a, 0), batch)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one gradient update on a single batch; returns the logs."""
        self._assert_compiled("train_on_batch")
        batch, stacked = self._stacked(x, y, sample_weight, class_weight)
        self._symbolic_build(batch, "train")
        state = self._state("train")
        logs, state = self._function("train")(state, stacked)
        self._write_state(state, "train", copy=False)
        logs = {k: float(v) for k, v in logs.items()}
        return logs if return_dict else self._flatten_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates one batch (metrics are reset first); returns the logs."""
        self._assert_compiled("test_on_batch")
        batch, stacked = self._stacked(x, y, sample_weight)
        self._symbolic_build(batch, "test")
        state = self._reset_metrics_in_state(self._state("test"), index=2)
        logs, state = self._function("test")(state, stacked)
        logs = {k: float(v) for k, v in logs.items()}
        return logs if return_dict else self._flatten_in_order(logs)

    def predict_on_batch(self, x):
        """Returns the predictions for one batch as NumPy arrays."""
        outputs = self(x, training=False)
        return tree.map_structure(np.asarray, outputs)

    # -- config --------------------------------------------------------------------------------
    def get_compile_config(self):
        if not getattr(self, "compiled", False):
            return None
        from workbench.saving.serialization_lib import serialize_keras_object

        config = dict(self._compile_config)
        try:
            config["optimizer"] = serialize_keras_object(self.optimizer)
        except NotImplementedError as error:
            warnings.warn(f"The model is saved without its compile config: {error}", stacklevel=3)
            return None
        config["jit_compile"] = self.jit_compile
        return serialize_keras_object(config)

    def compile_from_config(self, config):
        from workbench.saving.serialization_lib import deserialize_keras_object

        config = deserialize_keras_object(config)
        if config.get("jit_compile") is True:
            config["jit_compile"] = "auto"
        try:
            self.compile(**config)
        except (TypeError, ValueError) as error:
            warnings.warn(f"Could not compile the loaded model from its saved compile config: {error}",
                          stacklevel=2)
