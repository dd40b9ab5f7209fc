"""JaxLayer: a pure JAX function with parameters, as a layer (for people coming from plain JAX)."""

import inspect

import jax
import numpy as np

from workbench.api_export import keras_export
from workbench.backend.variables import Variable
from workbench.layers.layer import Layer

_CALL_ARGUMENTS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGUMENTS = ("rng", "inputs", "training")


def _arguments(function, allowed, required, what):
    names = list(inspect.signature(function).parameters)
    unknown = [n for n in names if n not in allowed]
    missing = [n for n in required if n not in names]
    if unknown or missing:
        raise ValueError(
            f"JaxLayer `{what}` must take arguments named among {list(allowed)} (required: "
            f"{list(required)}). Received a function with arguments {names}."
        )
    return names


@keras_export("keras.layers.JaxLayer")
class JaxLayer(Layer):
    """Wraps `call_fn(params, inputs, ...)`: the leaves of `params` become trainable variables.

    Args:
        call_fn: `call_fn(params, [state,] [rng,] inputs, [training])`, arguments recognised by
            name; returns the outputs, or `(outputs, new_state)` when it takes `state`.
        init_fn: `init_fn([rng,] [inputs,] [training])` returning `params` or `(params, state)`;
            called on the first input batch when `params` is not given.
        params: an initial pytree of parameters (arrays).
        state: an initial pytree of non-trainable state (e.g. batch statistics).
        seed: seed of the `rng` key passed to `call_fn` and `init_fn`.

    Example:

    >>> def call_fn(params, inputs):
    ...     return inputs @ params["w"] + params["b"]
    >>> layer = JaxLayer(call_fn, params={"w": np.ones((3, 2)), "b": np.zeros(2)})
    >>> layer(np.ones((1, 3))).shape
    (1, 2)
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        super().__init__(**kwargs)
        from workbench.random.seed_generator import SeedGenerator

        self.call_fn = call_fn
        self.init_fn = init_fn
        self.seed = seed
        self.call_fn_arguments = _arguments(call_fn, _CALL_ARGUMENTS, ("params", "inputs"), "call_fn")
        if init_fn is not None:
            self.init_fn_arguments = _arguments(init_fn, _INIT_ARGUMENTS, (), "init_fn")
        elif params is None:
            raise ValueError("JaxLayer needs `params` or an `init_fn` that creates them.")
        self.seed_generator = SeedGenerator(seed)
        self._params_tree = self._state_tree = None
        if params is not None:
            self._track_trees(params, state)
            self._build_at_init()

    def _track_trees(self, params, state):
        leaves, self._params_tree = jax.tree_util.tree_flatten(params)
        self.params_variables = [Variable(np.asarray(leaf), trainable=True) for leaf in leaves]
        self._trainable_variables = list(self.params_variables)
        if state is not None:
            leaves, self._state_tree = jax.tree_util.tree_flatten(state)
            self.state_variables = [Variable(np.asarray(leaf), trainable=False) for leaf in leaves]
            self._non_trainable_variables = list(self.state_variables)

    def build(self, input_shape):
        if self._params_tree is not None:
            return
        sample = np.ones([1 if d is None else d for d in input_shape], dtype=self.compute_dtype)
        values = {"rng": self._get_init_rng(), "inputs": sample, "training": False}
        with jax.ensure_compile_time_eval():
            result = self.init_fn(**{name: values[name] for name in self.init_fn_arguments})
        params, state = result if isinstance(result, tuple) and len(result) == 2 else (result, None)
        self._track_trees(params, state)

    def _get_init_rng(self):
        """The `rng` passed to `init_fn`; subclasses return another structure of keys."""
        return jax.random.PRNGKey(self.seed or 0)

    def _get_call_rng(self, training):
        """The `rng` passed to `call_fn`: a fresh key per call, drawn from the seed generator."""
        return self.seed_generator.next()

    def call(self, inputs, training=False):
        values = {"inputs": inputs, "training": training,
                  "params": jax.tree_util.tree_unflatten(self._params_tree, [v.value for v in self.params_variables])}
        if "state" in self.call_fn_arguments:
            values["state"] = jax.tree_util.tree_unflatten(self._state_tree, [v.value for v in self.state_variables])
        if "rng" in self.call_fn_arguments:
            values["rng"] = self._get_call_rng(training)
        outputs = self.call_fn(**{name: values[name] for name in self.call_fn_arguments})
        if "state" in self.call_fn_arguments:
            outputs, new_state = outputs
            if training:
                for variable, value in zip(self.state_variables, jax.tree_util.tree_leaves(new_state)):
                    variable.assign(value)
        return outputs

    def get_config(self):
        from workbench.saving.serialization_lib import serialize_keras_object

        return {**super().get_config(), "call_fn": serialize_keras_object(self.call_fn),
                "init_fn": serialize_keras_object(self.init_fn), "seed": self.seed}
