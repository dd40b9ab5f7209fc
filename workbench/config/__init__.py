"""Global settings, as `keras.config`."""

from workbench.backend.config import (
    backend,
    dtype_policy,
    enable_unsafe_deserialization,
    epsilon,
    floatx,
    image_data_format,
    set_dtype_policy,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)

_interactive_logging = True
_traceback_filtering = True
_flash_attention = None
_max_epochs = None
_max_steps_per_epoch = None


def enable_interactive_logging():
    """Progress bars and logs print to stdout (the default)."""
    global _interactive_logging
    _interactive_logging = True


def disable_interactive_logging():
    """Progress bars and logs go to Python logging instead of stdout."""
    global _interactive_logging
    _interactive_logging = False


def is_interactive_logging_enabled():
    return _interactive_logging


def enable_traceback_filtering():
    global _traceback_filtering
    _traceback_filtering = True


def disable_traceback_filtering():
    global _traceback_filtering
    _traceback_filtering = False


def is_traceback_filtering_enabled():
    return _traceback_filtering


def enable_flash_attention():
    global _flash_attention
    _flash_attention = True


def disable_flash_attention():
    global _flash_attention
    _flash_attention = False


def is_flash_attention_enabled():
    return _flash_attention


def is_nnx_enabled():
    return False


def set_backend(backend_name):
    if backend_name != "jax":
        raise ValueError(f"workbench runs only on JAX. Received: backend={backend_name!r}")


def max_epochs():
    return _max_epochs


def set_max_epochs(value):
    """Caps the number of epochs of every `fit()` (None for no cap)."""
    global _max_epochs
    _max_epochs = value


def max_steps_per_epoch():
    return _max_steps_per_epoch


def set_max_steps_per_epoch(value):
    """Caps the steps per epoch of every `fit()` (None for no cap)."""
    global _max_steps_per_epoch
    _max_steps_per_epoch = value


__all__ = [
    "backend", "disable_flash_attention", "disable_interactive_logging", "disable_traceback_filtering",
    "dtype_policy", "enable_flash_attention", "enable_interactive_logging", "enable_traceback_filtering",
    "enable_unsafe_deserialization", "epsilon", "floatx", "image_data_format",
    "is_flash_attention_enabled", "is_interactive_logging_enabled", "is_nnx_enabled",
    "is_traceback_filtering_enabled", "max_epochs", "max_steps_per_epoch", "set_backend",
    "set_dtype_policy", "set_epsilon", "set_floatx", "set_image_data_format", "set_max_epochs",
    "set_max_steps_per_epoch",
]
