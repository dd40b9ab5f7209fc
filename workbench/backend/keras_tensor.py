"""KerasTensor: a symbolic tensor (shape and dtype, no value) used to build Functional models."""

from workbench.backend import dtypes


class KerasTensor:
    """A symbolic placeholder with a `shape` (None for unknown dimensions) and a `dtype`.

    Operators (`+`, `@`, `[...]`, comparisons) record ops in the graph, like any `workbench.ops`
    function called on a KerasTensor.
    """

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, record_history=True, name=None):
        try:
            self._shape = tuple(None if d is None else int(d) for d in shape)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"A KerasTensor shape must be a tuple of ints or None. Received: shape={shape!r}"
            ) from error
        self._dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name
        self._keras_history = None
        self._keras_mask = None

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, value):
        self._shape = tuple(value)

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def reshape(self, newshape):
        from workbench import ops

        return ops.reshape(self, newshape)

    def squeeze(self, axis=None):
        from workbench import ops

        return ops.squeeze(self, axis=axis)

    @property
    def T(self):
        from workbench import ops

        return ops.transpose(self)

    def astype(self, dtype):
        from workbench import ops

        return ops.cast(self, dtype)

    def __repr__(self):
        return f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse={self.sparse}, name={self.name}>"

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported. Use `workbench.ops.unstack` "
            "or index it with a constant."
        )

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python boolean.")

    def __len__(self):
        raise TypeError(
            "A symbolic KerasTensor has no len(); read `tensor.shape[0]` (which may be None)."
        )

    def __array__(self, *args, **kwargs):
        raise ValueError(
            "A KerasTensor is symbolic: it is a placeholder for a value, used to build models with "
            "`workbench.Input`. You cannot convert it to a NumPy array. Pass real arrays to the model "
            "(`model(x)` or `model.predict(x)`), or wrap custom code in a Layer."
        )

    def __jax_array__(self):
        raise ValueError(
            "A KerasTensor cannot be used as input to a JAX function. It is a symbolic placeholder "
            "used when building a Functional model. Use `workbench.ops` functions instead, or put "
            "JAX code inside the `call()` method of a custom Layer."
        )

    __hash__ = object.__hash__


def _op(name, reflected=False):
    def method(self, *args):
        from workbench import ops

        fn = getattr(ops, name)
        if reflected:
            return fn(args[0], self)
        return fn(self, *args)

    return method


for _dunder, _op_name in {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
    "floordiv": "floor_divide", "mod": "mod", "pow": "power", "matmul": "matmul",
    "and": "logical_and", "or": "logical_or", "xor": "logical_xor",
}.items():
    setattr(KerasTensor, f"__{_dunder}__", _op(_op_name))
    setattr(KerasTensor, f"__r{_dunder}__", _op(_op_name, reflected=True))
for _dunder, _op_name in {
    "lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal",
    "eq": "equal", "ne": "not_equal", "getitem": "get_item",
}.items():
    setattr(KerasTensor, f"__{_dunder}__", _op(_op_name))
for _dunder, _op_name in {"neg": "negative", "abs": "absolute", "invert": "logical_not", "pos": "positive"}.items():
    setattr(KerasTensor, f"__{_dunder}__", _op(_op_name))
KerasTensor.__hash__ = object.__hash__


def is_keras_tensor(x):
    """Whether `x` is a symbolic `KerasTensor`."""
    return isinstance(x, KerasTensor)


def any_symbolic_tensors(args=(), kwargs=None):
    from workbench import tree

    return any(isinstance(x, KerasTensor) for x in tree.flatten((args, kwargs or {})))
