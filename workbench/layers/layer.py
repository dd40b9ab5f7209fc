"""Layer: the base class of every layer and model.

A layer owns variables (`add_weight`), sublayers (attributes, lists and dicts of layers), and a
`call()` that runs three ways: eagerly on arrays, symbolically on KerasTensors (recording a Node
for Functional models), and purely inside `jax.jit`/`jax.grad` through `stateless_call`.
"""

import functools
import inspect
import threading

import jax
import numpy as np

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend import dtypes, naming
from workbench.backend.keras_tensor import KerasTensor, any_symbolic_tensors
from workbench.backend.stateless_scope import StatelessScope, get_stateless_scope
from workbench.backend.symbolic import compute_output_spec
from workbench.backend.tensor_attributes import get_mask, set_mask
from workbench.backend.variables import AutocastScope, Variable, bump_tracking_generation
from workbench.layers.input_spec import assert_input_compatibility
from workbench.ops.node import Node
from workbench.ops.operation import Operation

_context = threading.local()
_ACCEPTED_KWARGS = ("input_shape", "batch_input_shape", "batch_size", "input_dim", "weights")
_SKIP_TRACKING = frozenset({"_inbound_nodes", "_outbound_nodes", "_auto_config", "_build_shapes_dict",
                            "_losses", "_trainable_variables", "_non_trainable_variables",
                            "input_spec", "_dtype_policy", "_parent_path", "_functional"})
_SIGNATURES = {}
# Attributes the trainer sets on the model in every call; they never hold layers or variables.
_BOOKKEEPING = frozenset({"_pending_state", "_losses_override", "history", "_variable_groups_cache",
                          "_fresh_metrics"})
# Attribute values that never hold layers or variables: skipped at once by the tracking walk.
_UNTRACKABLE = frozenset({bool, int, float, str, bytes, type(None)})


class CallContext:
    """Shared by the nested layer calls of one outermost call: the resolved `training` value."""

    def __init__(self):
        self.training = None


def get_call_context():
    return getattr(_context, "call", None)


def _call_signature(cls):
    if cls not in _SIGNATURES:
        parameters = inspect.signature(cls.call).parameters
        training_default = None
        if "training" in parameters:
            default = parameters["training"].default
            training_default = None if default is inspect.Parameter.empty else default
        positional = [p for p in parameters.values() if p.name != "self"]
        _SIGNATURES[cls] = {
            "training": "training" in parameters,
            "training_default": training_default,
            "mask": "mask" in parameters,
            "first_arg": positional[0].name if positional else None,
            "var_kwargs": any(p.kind == p.VAR_KEYWORD for p in positional),
        }
    return _SIGNATURES[cls]


def _is_basic(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_basic(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_basic(v) for k, v in value.items())
    return False


def _shape_of(x):
    if x is None:
        return None
    if hasattr(x, "shape"):
        return tuple(x.shape)
    return tree.map_structure(lambda t: tuple(t.shape) if hasattr(t, "shape") else None, x)


@keras_export("keras.Layer", "keras.layers.Layer")
class Layer(Operation):
    """The base class of all layers: weights, sublayers, masks, losses and a `call()` method.

    Args:
        activity_regularizer: optional regularizer applied to the layer's output.
        trainable: whether the layer's weights are updated in training.
        dtype: the dtype policy: a name (`"float32"`, `"mixed_float16"`) or a `DTypePolicy`.
        autocast: whether float inputs are cast to the compute dtype.
        name: the layer's name; unique by default (`dense`, `dense_1`, ...).

    Example:

    >>> class Linear(workbench.layers.Layer):
    ...     def __init__(self, units=32, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units = units
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
    ...     def call(self, inputs):
    ...         return workbench.ops.matmul(inputs, self.w)
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__ and not getattr(cls.__dict__["build"], "_build_wrapper", False):
            cls.build = _wrap_build(cls.__dict__["build"])

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        try:
            bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            arguments.pop(next(iter(arguments)))
            for name, parameter in inspect.signature(cls.__init__).parameters.items():
                if parameter.kind == parameter.VAR_KEYWORD and name in arguments:
                    arguments.update(arguments.pop(name))
            object.__setattr__(instance, "_auto_config", arguments if _is_basic(arguments) else None)
        except TypeError:
            object.__setattr__(instance, "_auto_config", None)
        return instance

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        from workbench import dtype_policies, regularizers

        unknown = {k: v for k, v in kwargs.items() if k not in _ACCEPTED_KWARGS}
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {self.__class__.__name__}: {unknown}. "
                "Check the spelling against the layer's documented arguments."
            )
        Operation.__init__(self, name=name)
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._losses = []
        self._trainable = bool(trainable)
        self.autocast = autocast
        self._dtype_policy = dtype_policies.get(dtype)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self.input_spec = None
        self._supports_masking = None
        self._build_shapes_dict = None
        self._parent_path = naming.current_path()
        input_shape = kwargs.get("input_shape")
        if input_shape is None and kwargs.get("input_dim") is not None:
            input_shape = (kwargs["input_dim"],)
        if input_shape is None and kwargs.get("batch_input_shape") is not None:
            input_shape = tuple(kwargs["batch_input_shape"])[1:]
            kwargs.setdefault("batch_size", kwargs["batch_input_shape"][0])
        self._input_shape_arg = None if input_shape is None else tuple(input_shape)
        self._batch_size_arg = kwargs.get("batch_size")
        self._initial_weights = kwargs.get("weights")

    # -- tracking ------------------------------------------------------------------------------
    def __setattr__(self, name, value):
        if (value.__class__ not in _UNTRACKABLE and name not in _SKIP_TRACKING
                and name not in _BOOKKEEPING) or name == "built":
            bump_tracking_generation()
        if isinstance(value, Variable) and name not in _SKIP_TRACKING:
            owned = self.__dict__.setdefault("_trainable_variables", []) + self.__dict__.setdefault(
                "_non_trainable_variables", [])
            if not any(v is value for v in owned):
                (self._trainable_variables if value.trainable else self._non_trainable_variables).append(value)
        object.__setattr__(self, name, value)

    def _tracked(self, kind):
        """Directly held objects of `kind`, in attribute order (inside lists, tuples and dicts too)."""
        found, seen = [], set()

        def visit(value):
            if value.__class__ in _UNTRACKABLE:
                return
            if isinstance(value, kind):
                if id(value) not in seen and value is not self:
                    seen.add(id(value))
                    found.append(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    visit(item)
            elif isinstance(value, dict):
                for item in value.values():
                    visit(item)

        for name, value in self.__dict__.items():
            if name not in _SKIP_TRACKING:
                visit(value)
        return found

    @property
    def _layers(self):
        return self._tracked(Layer)

    @property
    def _seed_generators(self):
        from workbench.random.seed_generator import SeedGenerator

        return self._tracked(SeedGenerator)

    @property
    def _metrics(self):
        from workbench.metrics.metric import Metric

        return self._tracked(Metric)

    def _flatten_layers(self, include_self=True, recursive=True):
        layers = [self] if include_self else []
        seen = {id(self)}
        queue = list(self._layers)
        while queue:
            layer = queue.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            layers.append(layer)
            if recursive:
                queue.extend(layer._layers)
        return layers

    # -- variables -----------------------------------------------------------------------------
    def _collect(self, include_seeds):
        result, seen = [], set()

        def add(variable):
            if id(variable) not in seen:
                seen.add(id(variable))
                result.append(variable)

        for variable in self._trainable_variables + self._non_trainable_variables:
            add(variable)
        if include_seeds:
            for generator in self._seed_generators:
                add(generator.state)
        for layer in self._layers:
            for variable in layer._collect(include_seeds):
                add(variable)
        return result

    @property
    def variables(self):
        """All variables of the layer and its sublayers, seed-generator state included."""
        return self._collect(include_seeds=True)

    @property
    def trainable_variables(self):
        return [v for v in self.variables if v.trainable] if self.trainable else []

    @property
    def non_trainable_variables(self):
        return self.variables if not self.trainable else [v for v in self.variables if not v.trainable]

    @property
    def weights(self):
        """All weights of the layer and its sublayers (no seed-generator state)."""
        return self._collect(include_seeds=False)

    @property
    def trainable_weights(self):
        return [v for v in self.weights if v.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self):
        return self.weights if not self.trainable else [v for v in self.weights if not v.trainable]

    @property
    def metrics_variables(self):
        return [v for metric in self.metrics for v in metric.variables]

    @property
    def metrics(self):
        metrics = list(self._metrics)
        for layer in self._layers:
            metrics.extend(layer.metrics)
        return metrics

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        bump_tracking_generation()
        for variable in self._trainable_variables:
            variable.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Creates a variable owned by this layer (usually in `build`)."""
        from workbench import constraints, initializers, regularizers

        shape = () if shape is None else tuple(shape)
        if any(d is None or (isinstance(d, int) and d < 0) for d in shape):
            raise ValueError(
                f'Layer "{self.name}": cannot create weight "{name}" with shape {shape}; every '
                "dimension must be a known non-negative int. Build the layer with a fully known input shape."
            )
        dtype = dtypes.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float_dtype(dtype) else "zeros"
        initializer = initializers.get(initializer)
        with naming.name_scope(self.name):
            variable = Variable(initializer, shape=shape, dtype=dtype, trainable=trainable,
                                autocast=autocast, aggregation=aggregation, name=name)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        (self._trainable_variables if trainable else self._non_trainable_variables).append(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
                               autocast=autocast, regularizer=regularizer, constraint=constraint,
                               name=name)

    def get_weights(self):
        """The weights as a list of NumPy arrays, in `layer.weights` order."""
        return [np.asarray(v.value) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays with the shapes of `layer.weights`."""
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(
                f'Layer "{self.name}" expects {len(variables)} weight arrays, but received '
                f"{len(weights)}. Provided weights: {[np.shape(w) for w in weights]}"
            )
        for variable, value in zip(variables, weights):
            if tuple(np.shape(value)) != tuple(variable.shape):
                raise ValueError(
                    f'Layer "{self.name}" weight "{variable.path}" has shape {variable.shape}; the '
                    f"value provided has shape {np.shape(value)}."
                )
        for variable, value in zip(variables, weights):
            variable.assign(value)

    def count_params(self):
        """The number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f'You tried to call `count_params` on layer "{self.name}", but the layer isn\'t built. '
                "Build it first by calling it on data or with `layer.build(input_shape)`."
            )
        return int(sum(np.prod(v.shape, dtype=np.int64) for v in self.weights))

    # -- dtypes --------------------------------------------------------------------------------
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        from workbench import dtype_policies

        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def path(self):
        return f"{self._parent_path}/{self.name}" if self._parent_path else self.name

    # -- masking -------------------------------------------------------------------------------
    @property
    def supports_masking(self):
        if self._supports_masking is None:
            return type(self).compute_mask is not Layer.compute_mask
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value):
        self._supports_masking = bool(value)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask if self.supports_masking else None

    # -- building ------------------------------------------------------------------------------
    def build(self, input_shape=None):
        self.built = True

    def _build_at_init(self):
        self.built = True

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        build_parameters = [p for n, p in inspect.signature(self.build).parameters.items()]
        names = [p.name for p in build_parameters if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        call_names = [p for p in inspect.signature(self.call).parameters if p != "self"]
        values = dict(zip(call_names, args))
        values.update(kwargs)
        shapes = {}
        for name in names:
            if name.endswith("_shape") and name[: -len("_shape")] in values:
                shapes[name] = _shape_of(values[name[: -len("_shape")]])
        if not shapes and args:
            shapes = {"input_shape": _shape_of(args[0])}
        with naming.name_scope(self.name):
            if shapes and len(names) >= 1:
                if set(shapes) <= set(names):
                    self.build(**shapes)
                else:
                    self.build(next(iter(shapes.values())))
            else:
                self.build()
        self._build_shapes_dict = shapes
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def get_build_config(self):
        if self._build_shapes_dict is None or not self._build_shapes_dict:
            return None
        if len(self._build_shapes_dict) == 1:
            return {"input_shape": next(iter(self._build_shapes_dict.values()))}
        return {"shapes_dict": self._build_shapes_dict}

    def build_from_config(self, config):
        if not config:
            return
        if "input_shape" in config:
            shape = config["input_shape"]
            shape = tuple(shape) if shape is not None and not _is_nested_shape(shape) else shape
            with naming.name_scope(self.name):
                self.build(shape)
            self._build_shapes_dict = {"input_shape": shape}
        elif "shapes_dict" in config:
            shapes = {k: (tuple(v) if not _is_nested_shape(v) else v) for k, v in config["shapes_dict"].items()}
            with naming.name_scope(self.name):
                self.build(**shapes)
            self._build_shapes_dict = shapes
        self.built = True

    # -- calling -------------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {self.__class__.__name__} does not implement `call()`.")

    def __call__(self, *args, **kwargs):
        if "_dtype_policy" not in self.__dict__:
            raise RuntimeError(
                f"Layer {self.__class__.__name__} was not initialized: call `super().__init__(**kwargs)` "
                "at the start of its `__init__`."
            )
        context = get_call_context()
        is_entry = context is None
        if is_entry:
            context = CallContext()
            _context.call = context
            self._clear_losses()
        try:
            return self._call_in_context(context, args, kwargs)
        finally:
            if is_entry:
                _context.call = None

    def _convert_arguments(self, args):
        compute_dtype = self.compute_dtype

        def convert(x):
            converted = _convert(x)
            if converted is not x:
                mask = get_mask(x)
                if mask is not None:
                    set_mask(converted, mask)
            return converted

        def _convert(x):
            if isinstance(x, np.ndarray):
                if x.dtype.kind in "fc" and self.autocast:
                    return jax.numpy.asarray(x, dtype=compute_dtype)
                return jax.numpy.asarray(x) if x.dtype.kind != "U" and x.dtype.kind != "O" else x
            if isinstance(x, Variable):
                x = x.value
            if isinstance(x, (jax.Array, jax.core.Tracer)) and self.autocast:
                if dtypes.is_float_dtype(x.dtype) and dtypes.standardize_dtype(x.dtype) != compute_dtype:
                    return x.astype(compute_dtype)
            return x

        return tree.map_structure(convert, args)

    def _call_in_context(self, context, args, kwargs):
        signature = _call_signature(type(self))
        first = args[0] if args else (kwargs.get(signature["first_arg"]) if signature["first_arg"] else None)
        if self.input_spec is not None and first is not None:
            assert_input_compatibility(self.input_spec, first, self.name)
        symbolic = any_symbolic_tensors(args, kwargs)
        if not symbolic:
            args = self._convert_arguments(args)
        if not self.built:
            self._maybe_build(args, kwargs)
            if self.input_spec is not None and first is not None:
                assert_input_compatibility(self.input_spec, first, self.name)

        call_kwargs = dict(kwargs)
        if signature["training"]:
            training = call_kwargs.get("training")
            if training is None:
                training = context.training
            if training is None:
                training = signature["training_default"]
            elif context.training is None:
                context.training = training
            call_kwargs["training"] = training
        elif "training" in call_kwargs and not signature["var_kwargs"]:
            training = call_kwargs.pop("training")
            if context.training is None and training is not None:
                context.training = training

        previous_mask = call_kwargs.get("mask") if signature["mask"] else None
        if previous_mask is None and first is not None:
            if isinstance(first, (list, tuple)):
                masks = [get_mask(x) for x in first]
                previous_mask = masks if any(m is not None for m in masks) else None
            else:
                previous_mask = get_mask(first)
        if signature["mask"] and "mask" not in call_kwargs and previous_mask is not None:
            call_kwargs["mask"] = previous_mask

        if symbolic:
            outputs = self.compute_output_spec(*args, **call_kwargs)
        else:
            outputs = self._run_call(args, call_kwargs)
            if self.activity_regularizer is not None:
                for output in tree.flatten(outputs):
                    if hasattr(output, "shape") and output.ndim > 0:
                        self.add_loss(self.activity_regularizer(output) / output.shape[0])

        if self.supports_masking and first is not None:
            self._set_output_masks(args, outputs, self.compute_mask(first, previous_mask))
        if symbolic:
            Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def _run_call(self, args, kwargs):
        policy = self._dtype_policy
        with naming.name_scope(self.name), jax.named_scope(self.name):
            if policy.compute_dtype != policy.variable_dtype:
                with AutocastScope(policy.compute_dtype):
                    return self.call(*args, **kwargs)
            return self.call(*args, **kwargs)

    @staticmethod
    def _set_output_masks(args, outputs, mask):
        """Pairs the masks with the outputs in order (a single mask goes to the first output), and
        keeps a mask that `call()` already attached to a new output."""
        input_ids = {id(x) for x in tree.flatten(args)}
        flat_masks = mask if isinstance(mask, (list, tuple)) else [mask]
        for output, output_mask in zip(tree.flatten(outputs), flat_masks):
            if output is None or output_mask is None:
                continue
            if id(output) not in input_ids and get_mask(output) is not None:
                continue
            set_mask(output, output_mask)

    def compute_output_spec(self, *args, **kwargs):
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            first = args[0] if args else next(iter(kwargs.values()))
            output_shape = self.compute_output_shape(_shape_of(first))
            return _shapes_to_keras_tensors(output_shape, self.compute_dtype)
        return compute_output_spec(self._convert_then_call, *args, **kwargs)

    def _convert_then_call(self, *args, **kwargs):
        return self._run_call(self._convert_arguments(args), kwargs)

    def compute_output_shape(self, *args, **kwargs):
        """The output shape for the given input shape; traced from `call()` unless overridden."""
        specs = tree.map_shape_structure(lambda s: KerasTensor(s, dtype=self.compute_dtype), args)
        kw_specs = tree.map_shape_structure(lambda s: KerasTensor(s, dtype=self.compute_dtype), kwargs)
        if not self.built:
            self._maybe_build(specs, kw_specs)
        outputs = compute_output_spec(self._convert_then_call, *specs, **kw_specs)
        return tree.map_structure(lambda t: t.shape, outputs)

    # -- stateless API -------------------------------------------------------------------------
    def stateless_call(self, trainable_variables, non_trainable_variables, *args, return_losses=False,
                       **kwargs):
        """Calls the layer purely: returns `(outputs, non_trainable_variables[, losses])`.

        The variable lists map one to one onto `layer.trainable_variables` and
        `layer.non_trainable_variables`. Nothing is mutated, so it runs inside `jax.jit` and
        `jax.grad`.
        """
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        if len(trainable_variables) != len(trainable) or len(non_trainable_variables) != len(non_trainable):
            raise ValueError(
                f'Layer "{self.name}" stateless_call expects {len(trainable)} trainable and '
                f"{len(non_trainable)} non-trainable variable values, but received "
                f"{len(trainable_variables)} and {len(non_trainable_variables)}. Pass values in the "
                "order of `layer.trainable_variables` / `layer.non_trainable_variables`."
            )
        mapping = list(zip(trainable, trainable_variables)) + list(zip(non_trainable, non_trainable_variables))
        with StatelessScope(state_mapping=mapping, collect_losses=return_losses) as scope:
            outputs = self(*args, **kwargs)
            losses = self.losses if return_losses else None
        new_non_trainable = [scope.get_current_value(v) for v in non_trainable]
        if return_losses:
            return outputs, new_non_trainable, losses
        return outputs, new_non_trainable

    # -- losses --------------------------------------------------------------------------------
    def add_loss(self, loss):
        """Adds a scalar loss tensor (e.g. an activity penalty) to `layer.losses`."""
        scope = get_stateless_scope()
        if scope is not None and scope.collect_losses:
            scope.add_loss(loss)
        else:
            self._losses.append(loss)

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses = []

    @property
    def losses(self):
        """Losses from `add_loss` during the last call, plus weight-regularization losses."""
        scope = get_stateless_scope()
        if scope is not None and scope.collect_losses:
            collected = list(scope.losses)
        else:
            collected = [loss for layer in self._flatten_layers() for loss in layer._losses]
        for variable in self.trainable_weights:
            if variable.regularizer is not None:
                collected.append(variable.regularizer(variable.value))
        return collected

    # -- config --------------------------------------------------------------------------------
    def get_config(self):
        from workbench import dtype_policies, regularizers

        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": dtype_policies.serialize(self._dtype_policy)}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if type(self).get_config is not Layer.get_config or type(self).__init__ is Layer.__init__:
            return config
        base_parameters = set(inspect.signature(Layer.__init__).parameters)
        extra = [p for p in inspect.signature(type(self).__init__).parameters.values()
                 if p.name not in base_parameters and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        if not extra:
            return config
        if self._auto_config is None:
            raise NotImplementedError(
                f"Layer {self.__class__.__name__} has constructor arguments that are not plain "
                "values (str, int, float, bool, None, or lists/dicts of them), so its config cannot "
                "be recorded automatically. Implement `get_config()` returning those arguments."
            )
        return {**self._auto_config, **config}

    @classmethod
    def from_config(cls, config):
        from workbench import dtype_policies

        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = dtype_policies.deserialize(config["dtype"])
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}. "
                f"Exception encountered: {error}"
            ) from error

    # -- graph accessors -------------------------------------------------------------------------
    @property
    def input(self):
        return self._single_node_attribute("input")

    @property
    def output(self):
        return self._single_node_attribute("output")

    def _single_node_attribute(self, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f'Layer "{self.name}" has never been called on a symbolic input, so it has no {what}.'
            )
        node = self._inbound_nodes[0]
        values = node.input_tensors if what == "input" else node.outputs
        return values[0] if len(values) == 1 else values

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}, built={self.built}>"


def _wrap_build(build):
    """Like Keras's build wrapper: a direct `layer.build(shape)` call also marks the layer built,
    runs in the layer's name scope, and records the shapes for `get_build_config()`."""

    @functools.wraps(build)
    def build_wrapper(self, *args, **kwargs):
        with naming.name_scope(self.name):
            result = build(self, *args, **kwargs)
        if self.__dict__.get("_build_shapes_dict") is None:
            shapes = dict(kwargs)
            if args:
                shapes = {"input_shape": args[0], **shapes}
            self._build_shapes_dict = shapes or None
        self.built = True
        return result

    build_wrapper._build_wrapper = True
    return build_wrapper


def _is_nested_shape(shape):
    return isinstance(shape, dict) or (isinstance(shape, (list, tuple)) and any(isinstance(d, (list, tuple, dict)) for d in shape))


def _shapes_to_keras_tensors(shape, dtype):
    if isinstance(shape, dict):
        return {k: _shapes_to_keras_tensors(v, dtype) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and all(isinstance(s, (list, tuple)) for s in shape):
        return type(shape)(_shapes_to_keras_tensors(s, dtype) for s in shape)
    return KerasTensor(shape, dtype=dtype)
