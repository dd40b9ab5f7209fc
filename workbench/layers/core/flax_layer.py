"""FlaxLayer: a `flax.linen` or `flax.nnx` module as a layer, its variables as layer weights."""

import inspect

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.layers.core.jax_layer import JaxLayer


def _import_flax():
    try:
        import flax.linen
        import flax.nnx
    except ImportError as error:
        raise ImportError(
            "FlaxLayer needs the `flax` package, which is not installed. Install it with "
            "`pip install flax`."
        ) from error
    return flax


def _takes_training(function):
    return "training" in inspect.signature(function).parameters


@keras_export("keras.layers.FlaxLayer")
class FlaxLayer(JaxLayer):
    """Wraps a Flax module: a `flax.linen.Module` or a `flax.nnx.Module`.

    For a **linen** module, `module.apply` runs the forward pass. The `"params"` collection
    becomes the layer's trainable weights; every other collection (e.g. `"batch_stats"`) becomes
    non-trainable weights, updated by training calls (`apply` runs with every collection but
    `"params"` mutable). When `variables` is not given, `module.init` creates them on the first
    input batch. Training calls pass a `"dropout"` RNG.

    For an **nnx** module (already holding its variables), the module's `nnx.Param` variables
    become trainable weights and its other variables (e.g. `nnx.BatchStat`) non-trainable weights.
    Each call rebuilds the module from them with `nnx.merge`, so the call stays pure under `jit`;
    training calls reseed the module's RNG streams from the layer's seed generator. A module whose
    method takes no `training` argument is switched with `module.train()` / `module.eval()`.
    The module object passed in keeps its initial values; the layer's weights hold trained ones.

    The method used for the forward pass (`__call__` by default) takes `inputs` and, optionally,
    `training` (True in training calls). A `method` that is a plain function takes the module as
    its first argument: `method(module, inputs[, training])`, which adapts other signatures.

    Args:
        module: a `flax.linen.Module` or `flax.nnx.Module` instance.
        method: the method of `module` to call (a bound method, its name, or a function taking
            the module first); `__call__` when None.
        variables: linen only: the `dict` of collections that `module.init` returns (a
            `"params"` key and, optionally, other collections), e.g. trained weights. `module.init`
            is called at build time when None.
        seed: seed of the RNGs passed to the module.

    Serialization: `get_config` serializes `module` with `serialize_keras_object`, so saving a
    model whole needs a module class registered with `register_keras_serializable` that defines
    `get_config` and `from_config`; flax modules have neither by default.
    `save_weights`/`load_weights` work for every module.

    Input shape:
        What the module accepts.

    Output shape:
        What the module returns.

    Example:

    >>> import flax.linen as nn
    >>> class MLP(nn.Module):
    ...     @nn.compact
    ...     def __call__(self, inputs):
    ...         return nn.Dense(2)(nn.relu(nn.Dense(8)(inputs)))
    >>> layer = FlaxLayer(MLP())
    >>> layer(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        flax = _import_flax()
        if isinstance(module, flax.nnx.Module):
            if variables is not None:
                raise ValueError(
                    "FlaxLayer takes `variables` only for a flax.linen module; an nnx module holds "
                    f"its own. Received: variables={type(variables).__name__} with "
                    f"module={type(module).__name__}. Pass variables=None."
                )
            call_fn, params, state = self._nnx_functions(flax.nnx, module, method)
            super().__init__(call_fn, params=params, state=state, **kwargs)
        elif isinstance(module, flax.linen.Module):
            call_fn, init_fn = self._linen_functions(flax.linen, module, method)
            params, state = self._split_variables(variables)
            super().__init__(call_fn, init_fn=init_fn, params=params, state=state, **kwargs)
        else:
            raise TypeError(
                "FlaxLayer expects a flax.linen.Module or flax.nnx.Module instance. "
                f"Received: module={module!r} (of type {type(module).__name__})"
            )
        self.module = module
        self.method = method

    def _method_function(self, module, method):
        if method is None:
            return type(module).__call__
        if isinstance(method, str):
            if not callable(getattr(module, method, None)):
                raise ValueError(
                    f"FlaxLayer `method` names no method of {type(module).__name__}. "
                    f"Received: method={method!r}"
                )
            return getattr(module, method)
        if not callable(method):
            raise TypeError(
                "FlaxLayer `method` must be a method of the module, its name, or a function taking "
                f"the module first. Received: method={method!r}"
            )
        return method

    def _linen_functions(self, linen, module, method):
        takes_training = _takes_training(self._method_function(module, method))
        mutable = linen.DenyList(["params"])

        def call_fn(params, state, rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return module.apply({**params, **state}, inputs, rngs=rng, method=method,
                                mutable=mutable, **extra)

        def init_fn(rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return self._split_variables(module.init(rng, inputs, method=method, **extra))

        return call_fn, init_fn

    @staticmethod
    def _split_variables(variables):
        """`{"params": ..., other collections}` as `(params, state)`, both `{collection: ...}`."""
        if variables is None:
            return None, None
        if not isinstance(variables, dict):
            raise TypeError(
                "FlaxLayer `variables` must be the dict returned by `module.init` (collection name "
                f"to variables). Received: variables of type {type(variables).__name__}"
            )
        params = {name: value for name, value in variables.items() if name == "params"}
        state = {name: value for name, value in variables.items() if name != "params"}
        return params, state

    def _nnx_functions(self, nnx, module, method):
        graphdef, params, rng_state, state = nnx.split(module, nnx.Param, nnx.RngState, ...)
        if isinstance(method, str) or getattr(method, "__self__", None) is module:
            name = method if isinstance(method, str) else method.__name__
            def forward(merged, inputs, **extra):
                return getattr(merged, name)(inputs, **extra)
        elif method is None:
            def forward(merged, inputs, **extra):
                return merged(inputs, **extra)
        else:
            forward = method
        takes_training = _takes_training(self._method_function(module, method))
        rng_leaves, rng_tree = jax.tree_util.tree_flatten(rng_state)

        def call_fn(params, state, rng, inputs, training):
            # RNG variables made outside this trace cannot be updated inside it: rebuild them here,
            # from the layer's key when training.
            fresh = [_fresh_rng_leaf(leaf, rng, index) for index, leaf in enumerate(rng_leaves)]
            merged = nnx.merge(graphdef, params, jax.tree_util.tree_unflatten(rng_tree, fresh), state)
            if takes_training:
                outputs = forward(merged, inputs, training=training)
            else:
                if training:
                    merged.train()
                else:
                    merged.eval()
                outputs = forward(merged, inputs)
            return outputs, nnx.split(merged, nnx.Param, nnx.RngState, ...)[3]

        return call_fn, params, state

    def _get_init_rng(self):
        key = super()._get_init_rng()
        params_key, dropout_key = jax.random.split(key)
        return {"params": params_key, "dropout": dropout_key}

    def _get_call_rng(self, training):
        flax = _import_flax()
        if isinstance(self.module, flax.nnx.Module):
            return self.seed_generator.next() if training else None
        return {"dropout": self.seed_generator.next()} if training else {}

    def get_config(self):
        from workbench.saving.serialization_lib import serialize_keras_object

        config = super().get_config()
        # call_fn and init_fn are made from the module.
        config.pop("call_fn")
        config.pop("init_fn")
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__
        return {**config, "module": serialize_keras_object(self.module),
                "method": serialize_keras_object(method)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from workbench.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        config["module"] = deserialize_keras_object(config["module"], custom_objects=custom_objects)
        if not isinstance(config["method"], str):
            config["method"] = deserialize_keras_object(config["method"], custom_objects=custom_objects)
        return cls(**config)


def _fresh_rng_leaf(leaf, key, index):
    if key is None:
        return leaf
    if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
        return jax.random.wrap_key_data(jax.random.fold_in(key, index))
    return jnp.zeros_like(leaf)
