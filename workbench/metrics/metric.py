"""The `Metric` base: non-trainable Variables, changed by `update_state` and read by `result`."""

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config, naming
from workbench.backend.stateless_scope import StatelessScope
from workbench.backend.variables import Variable


@keras_export("keras.Metric", "keras.metrics.Metric")
class Metric:
    """Accumulates a statistic over batches: `update_state(...)` adds a batch, `result()` reads it.

    The state lives in non-trainable `Variable`s made with `add_variable` (Keras's names, in
    Keras's order, so saved files match). The same code runs purely through the stateless twins,
    which is how the trainer updates metrics inside one jitted step:

    ```
    values = metric.stateless_reset_state()
    values = metric.stateless_update_state(values, y_true, y_pred)   # inside jax.jit
    metric.stateless_result(values)
    ```

    Subclasses create their variables in `__init__` and implement `update_state` and `result`.

    Args:
        dtype: the dtype of the computations and of the result, a dtype name or a
            `DTypePolicy` (its compute dtype is used). Defaults to `workbench.config.floatx()`.
        name: the metric name; defaults to the snake-cased class name, made unique.

    Example:

    >>> class BinaryTruePositives(workbench.metrics.Metric):
    ...     def __init__(self, name="binary_true_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.true_positives = self.add_variable(shape=(), initializer="zeros",
    ...                                                 name="true_positives")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         hits = jnp.logical_and(jnp.asarray(y_true, bool), jnp.asarray(y_pred, bool))
    ...         self.true_positives.assign_add(jnp.sum(hits.astype(self.dtype)))
    ...     def result(self):
    ...         return self.true_positives.value
    >>> m = BinaryTruePositives()
    >>> float(m([1, 0, 1], [1, 1, 1]))
    2.0
    """

    def __init__(self, dtype=None, name=None):
        from workbench import dtype_policies

        self.name = name or naming.auto_name(self.__class__.__name__)
        self._dtype_policy = dtype_policies.get(dtype or config.floatx())
        self._dtype = self._dtype_policy.compute_dtype
        self._variables = []
        self._metrics = []

    def __setattr__(self, name, value):
        # Variables and sub-metrics assigned as attributes become part of the state, as in Keras.
        if "_variables" in self.__dict__:
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, Variable) and not any(item is v for v in self._variables):
                    self._variables.append(item)
                elif isinstance(item, Metric) and not any(item is m for m in self._metrics):
                    self._metrics.append(item)
        super().__setattr__(name, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ did not call `super().__init__()`. Call it first, "
                "before creating variables."
            )

    # -- state ---------------------------------------------------------------------------------
    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable whose path is `<metric name>/<name>`."""
        self._check_super_called()
        with naming.name_scope(self.name.replace("/", ">"), caller=self):
            variable = Variable(
                initializer=initializer,
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                synchronization="on_read",
                name=name,
            )
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """An alias of `add_variable`, kept for Keras compatibility."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        """This metric's variables, then those of its sub-metrics."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    @property
    def dtype(self):
        return self._dtype

    # -- the stateful API ----------------------------------------------------------------------
    def update_state(self, *args, **kwargs):
        """Accumulates the statistics of one batch."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state()`.")

    def result(self):
        """The current value: a scalar, an array, or a dict of them."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result()`.")

    def reset_state(self):
        """Sets every state variable back to zeros (called between epochs)."""
        for variable in self.variables:
            variable.assign(jnp.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch and returns the new result."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # -- the stateless API ---------------------------------------------------------------------
    def _state_mapping(self, metric_variables):
        variables = self.variables
        if len(metric_variables) != len(variables):
            raise ValueError(
                f"Argument `metric_variables` must hold one value per variable of "
                f"{type(self).__name__} ({[v.name for v in variables]}), in that order. Received "
                f"{len(metric_variables)} values for {len(variables)} variables."
            )
        return list(zip(variables, metric_variables))

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """Runs `update_state` purely: returns the new values of `self.variables`."""
        mapping = self._state_mapping(metric_variables)
        with StatelessScope(state_mapping=mapping) as scope:
            self.update_state(*args, **kwargs)
        return [_updated(scope, variable, value) for variable, value in mapping]

    def stateless_result(self, metric_variables):
        """Runs `result` on the given values of `self.variables`."""
        with StatelessScope(state_mapping=self._state_mapping(metric_variables)):
            return self.result()

    def stateless_reset_state(self):
        """The values of `self.variables` after `reset_state`, leaving the variables untouched."""
        with StatelessScope() as scope:
            self.reset_state()
        return [_updated(scope, variable, variable.value) for variable in self.variables]

    # -- config --------------------------------------------------------------------------------
    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _obj_type(self):
        return "Metric"

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _updated(scope, variable, default):
    value = scope.get_current_value(variable)
    return default if value is None else value
