"""The backend namespace, as `keras.backend` (always JAX)."""

from workbench.api_export import keras_export
from workbench.backend import naming
from workbench.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from workbench.backend.dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype
from workbench.backend.keras_tensor import KerasTensor, is_keras_tensor
from workbench.backend.stateless_scope import StatelessScope
from workbench.backend.variables import Variable

for _name, _obj in {
    "backend": backend, "epsilon": epsilon, "floatx": floatx, "image_data_format": image_data_format,
    "set_epsilon": set_epsilon, "set_floatx": set_floatx, "set_image_data_format": set_image_data_format,
    "is_float_dtype": is_float_dtype, "is_int_dtype": is_int_dtype, "result_type": result_type,
    "standardize_dtype": standardize_dtype, "is_keras_tensor": is_keras_tensor,
}.items():
    keras_export(f"keras.backend.{_name}")(_obj)
keras_export("keras.KerasTensor")(KerasTensor)
keras_export("keras.Variable")(Variable)
keras_export("keras.StatelessScope")(StatelessScope)


@keras_export("keras.backend.get_uid")
def get_uid(prefix=""):
    """Returns 1, 2, ... for successive calls with the same prefix (unique layer-name counters)."""
    name = naming.uniquify(prefix)
    suffix = name[len(prefix):]
    return int(suffix[1:]) + 1 if suffix else 1


@keras_export("keras.backend.clear_session", "keras.utils.clear_session")
def clear_session(free_memory=True):
    """Resets the name counters (so new layers are named `dense`, `dense_1`, ... again)."""
    import gc

    import jax

    naming.reset_uids()
    if free_memory:
        gc.collect()
        jax.clear_caches()


__all__ = [
    "backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format", "is_float_dtype",
    "is_int_dtype", "is_keras_tensor", "result_type", "set_epsilon", "set_floatx",
    "set_image_data_format", "standardize_dtype", "KerasTensor", "Variable", "StatelessScope",
]
