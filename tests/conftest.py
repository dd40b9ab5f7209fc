import os

# Real Keras is the test oracle; it must run on JAX, and never needs TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_names():
    """Each test starts with fresh name counters, so layer names are predictable."""
    from workbench.backend import naming

    naming.reset_uids()
    yield
