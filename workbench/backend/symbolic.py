"""Shape inference by abstract evaluation: run a function on shapes with `jax.eval_shape`.

Unknown (None) dimensions are tried at two different sizes; a dimension of the result that is the
same for both is static, one that differs depends on an unknown and becomes None.
"""

import jax
import numpy as np

from workbench import tree
from workbench.backend import dtypes
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.stateless_scope import StatelessScope

_PROBE_SIZES = (83, 89)


def _to_struct(x, size):
    if isinstance(x, KerasTensor):
        shape = tuple(size if d is None else d for d in x.shape)
        dtype = "int32" if x.dtype == "string" else x.dtype
        return jax.ShapeDtypeStruct(shape, dtypes.to_jax_dtype(dtype))
    return x


def compute_output_spec(fn, *args, **kwargs):
    """Returns KerasTensors for the outputs of `fn(*args, **kwargs)`, where args hold KerasTensors."""
    results = []
    for size in _PROBE_SIZES:
        structured = tree.map_structure(lambda x: _to_struct(x, size), (args, kwargs))
        leaves = tree.flatten(structured)
        array_positions = [i for i, x in enumerate(leaves) if isinstance(x, jax.ShapeDtypeStruct)]

        def wrapped(*arrays, leaves=leaves, structured=structured):
            filled = list(leaves)
            for position, array in zip(array_positions, arrays):
                filled[position] = array
            call_args, call_kwargs = tree.pack_sequence_as(structured, filled)
            with StatelessScope():
                return fn(*call_args, **call_kwargs)

        results.append(jax.eval_shape(wrapped, *[leaves[i] for i in array_positions]))
        if not any(
            isinstance(x, KerasTensor) and None in x.shape for x in tree.flatten((args, kwargs))
        ):
            return _to_keras_tensors(results[0], results[0])
    return _to_keras_tensors(*results)


def _to_keras_tensors(first, second):
    def convert(a, b):
        if a is None:
            return None
        if not hasattr(a, "shape"):
            return a
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        return KerasTensor(shape, dtype=dtypes.standardize_dtype(np.dtype(a.dtype)))

    return tree.map_structure(convert, first, second)
