"""Global configuration: float type, epsilon, image data format, and the dtype policy."""

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DTYPE_POLICY = None
_UNSAFE_DESERIALIZATION = False
_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")


def backend():
    """Returns the name of the backend, always `"jax"`."""
    return "jax"


def floatx():
    """Returns the default float type, as a string (e.g. `"float32"`)."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type: one of float16, bfloat16, float32, float64."""
    global _FLOATX
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of {list(_FLOAT_TYPES)}.")
    _FLOATX = value


def epsilon():
    """Returns the fuzz factor used in numeric expressions (default 1e-7)."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """Returns `"channels_last"` or `"channels_first"`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image data format: `"channels_last"` or `"channels_first"`."""
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def dtype_policy():
    """Returns the global dtype policy (a `DTypePolicy`)."""
    from workbench.dtype_policies.dtype_policy import DTypePolicy

    global _DTYPE_POLICY
    if _DTYPE_POLICY is None:
        _DTYPE_POLICY = DTypePolicy(floatx())
    return _DTYPE_POLICY


def set_dtype_policy(policy):
    """Sets the global dtype policy, e.g. `"mixed_float16"` or a `DTypePolicy`."""
    from workbench.dtype_policies import get as get_policy

    global _DTYPE_POLICY
    _DTYPE_POLICY = get_policy(policy)


def enable_unsafe_deserialization():
    """Allows loading of Lambda layers holding Python bytecode, for files you trust."""
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = True


def unsafe_deserialization_enabled():
    return _UNSAFE_DESERIALIZATION
