"""Dtype policies: the dtype a layer computes in and the dtype it stores its variables in."""

from workbench.api_export import keras_export
from workbench.backend import dtypes

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


@keras_export("keras.DTypePolicy", "keras.dtype_policies.DTypePolicy", "keras.mixed_precision.DTypePolicy",
              "keras.mixed_precision.Policy")
class DTypePolicy:
    """A dtype policy: `"float32"`, `"bfloat16"`, `"mixed_float16"`, `"mixed_bfloat16"`, ...

    Under a mixed policy the layer computes in half precision while its variables stay float32.

    Args:
        name: the policy name. Defaults to `workbench.config.floatx()`.

    Example:

    >>> policy = DTypePolicy("mixed_bfloat16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    """

    def __init__(self, name=None):
        from workbench.backend import config

        if name is None:
            name = config.floatx()
        if not isinstance(name, str):
            raise TypeError(f"DTypePolicy `name` must be a string. Received: name={name!r}")
        if name in _MIXED:
            self._compute_dtype, self._variable_dtype = _MIXED[name], "float32"
        else:
            try:
                dtype = dtypes.standardize_dtype(name)
            except ValueError as error:
                raise ValueError(
                    f"Cannot convert '{name}' to a dtype policy. Valid policies are a dtype name "
                    "(e.g. 'float32', 'bfloat16') or 'mixed_float16' / 'mixed_bfloat16'."
                ) from error
            self._compute_dtype = self._variable_dtype = dtype
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    @property
    def quantization_mode(self):
        return None

    def convert_input(self, x, autocast, dtype):
        import jax.numpy as jnp

        if autocast and hasattr(x, "dtype") and dtypes.is_float_dtype(x.dtype) and dtypes.standardize_dtype(x.dtype) != dtype:
            return jnp.asarray(x, dtype=dtype)
        return x

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)


@keras_export("keras.FloatDTypePolicy", "keras.dtype_policies.FloatDTypePolicy")
class FloatDTypePolicy(DTypePolicy):
    """Kept for compatibility: the same as `DTypePolicy`."""
