"""Every public name of `keras.ops` and its namespaces exists in `workbench.ops`, with Keras's
parameter names and defaults."""

import inspect
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import pytest  # noqa: E402

from workbench import ops  # noqa: E402
from workbench.api_export import get_object_for_name  # noqa: E402

NAMESPACES = {
    "": (keras.ops, ops),
    "nn": (keras.ops.nn, ops.nn),
    "numpy": (keras.ops.numpy, ops.numpy),
    "linalg": (keras.ops.linalg, ops.linalg),
    "image": (keras.ops.image, ops.image),
}

# Intentional differences from Keras's signatures, with the reason.
SIGNATURE_EXCEPTIONS = {}


def _public_functions(module):
    return sorted(
        name
        for name in dir(module)
        if not name.startswith("_") and not inspect.ismodule(getattr(module, name))
    )


CASES = [
    (namespace, name)
    for namespace, (keras_module, _) in NAMESPACES.items()
    for name in _public_functions(keras_module)
]


def _parameters(function):
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("namespace,name", CASES, ids=[f"{n or 'ops'}.{m}" for n, m in CASES])
def test_op_exists_with_keras_signature(namespace, name):
    keras_module, our_module = NAMESPACES[namespace]
    assert hasattr(our_module, name), (
        f"workbench.ops{'.' + namespace if namespace else ''} lacks {name}"
    )
    ours = getattr(our_module, name)
    if (namespace, name) in SIGNATURE_EXCEPTIONS:
        return
    assert _parameters(ours) == _parameters(getattr(keras_module, name))


def test_namespaces_hold_the_same_functions_as_the_top_level():
    for namespace, (_, our_module) in NAMESPACES.items():
        if not namespace:
            continue
        for name in _public_functions(NAMESPACES[namespace][0]):
            if hasattr(ops, name):
                assert getattr(our_module, name) is getattr(ops, name), f"{namespace}.{name}"


@pytest.mark.parametrize("namespace,name", CASES, ids=[f"{n or 'ops'}.{m}" for n, m in CASES])
def test_op_is_registered_under_its_keras_name(namespace, name):
    public_name = f"keras.ops.{namespace + '.' if namespace else ''}{name}"
    assert get_object_for_name(public_name) is getattr(NAMESPACES[namespace][1], name)


DOCUMENTED_MODULES = [
    "core",
    "einops",
    "image",
    "linalg",
    "math",
    "nn",
    "nn_conv",
    "numpy_creation",
    "numpy_math",
]


@pytest.mark.parametrize("module_name", DOCUMENTED_MODULES)
def test_docstring_examples_run(module_name):
    import doctest
    import importlib

    import jax.numpy as jnp
    import numpy as np

    module = importlib.import_module(f"workbench.ops.{module_name}")
    globs = dict(vars(module), np=np, jnp=jnp)
    result = doctest.testmod(module, globs=globs, report=False)
    assert result.attempted > 0 and result.failed == 0
