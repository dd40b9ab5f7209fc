import os

# Real Keras is the test oracle; it must run on JAX, and never needs TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_names():
    """Each test starts with fresh name counters, in workbench and in the Keras oracle, so layer
    names (and the weight paths made from them) don't depend on which tests ran before."""
    import sys

    from workbench.backend import naming

    naming.reset_uids()
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session(free_memory=False)
    yield
