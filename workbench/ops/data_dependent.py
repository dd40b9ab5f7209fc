"""Ops whose output shape depends on input values (nonzero, unique, bincount).

They run eagerly on arrays. On KerasTensors they cannot be shape-inferred by tracing, so each names
its output spec directly, with None for the value-dependent dimensions, as Keras does.
"""

import functools

from workbench.backend.keras_tensor import any_symbolic_tensors
from workbench.ops.operation import FunctionOperation


class _DataDependentOperation(FunctionOperation):
    def __init__(self, function, output_spec):
        super().__init__(function)
        self.output_spec = output_spec

    def compute_output_spec(self, *args, **kwargs):
        return self.output_spec(*args, **kwargs)


def data_dependent_op(output_spec):
    """Like `keras_op`, with `output_spec(*args, **kwargs)` giving the symbolic outputs."""

    def decorator(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if any_symbolic_tensors(args, kwargs):
                return _DataDependentOperation(function, output_spec).symbolic_call(*args, **kwargs)
            return function(*args, **kwargs)

        wrapper._keras_op = True
        return wrapper

    return decorator
