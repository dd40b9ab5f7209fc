"""Dtype names: everything is normalised to the strings Keras uses ("float32", "int64", ...)."""

import jax.numpy as jnp
import numpy as np

from workbench.backend import config

ALLOWED_DTYPES = (
    "float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64",
    "int8", "int16", "int32", "int64", "bfloat16", "bool", "string",
    "float8_e4m3fn", "float8_e5m2", "complex64", "complex64", "complex128",
)
_ALIASES = {
    "float": "float32", "double": "float64", "int": "int32", "half": "float16",
    "complex": "complex128", "str": "string", "object": "string",
}


def standardize_dtype(dtype):
    """Returns the canonical string name of `dtype` (`None` gives `floatx()`)."""
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, str):
        name = dtype
    elif any(dtype is t for t in (float, int, bool, str)):
        name = {float: "float32", int: "int32", bool: "bool", str: "string"}[dtype]
    elif isinstance(dtype, (np.dtype, type)):
        name = np.dtype(dtype).name
    elif hasattr(dtype, "dtype"):
        return standardize_dtype(dtype.dtype)
    elif hasattr(dtype, "name"):
        name = dtype.name
    else:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {sorted(set(ALLOWED_DTYPES))}.")
    name = _ALIASES.get(name, name)
    if name.startswith("<U") or name.startswith("str"):
        name = "string"
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {sorted(set(ALLOWED_DTYPES))}.")
    return name


def is_float_dtype(dtype):
    dtype = standardize_dtype(dtype)
    return dtype.startswith("float") or dtype.startswith("bfloat")


def is_int_dtype(dtype):
    dtype = standardize_dtype(dtype)
    return dtype.startswith("int") or dtype.startswith("uint")


def to_jax_dtype(dtype):
    dtype = standardize_dtype(dtype)
    if dtype == "string":
        raise ValueError("JAX arrays cannot hold strings; keep strings in numpy or Python lists.")
    return jnp.dtype(dtype)


def result_type(*dtypes):
    """The dtype that results from combining `dtypes`, with JAX's promotion rules."""
    if not dtypes:
        return config.floatx()
    return standardize_dtype(jnp.result_type(*[to_jax_dtype(d) for d in dtypes]))
