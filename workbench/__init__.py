"""workbench: Keras 3 on JAX and optax, made for notebooks.

`import workbench as keras` runs ordinary Keras 3 code.
"""

from workbench import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    dtype_policies,
    export,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    random,
    regularizers,
    saving,
    tree,
    utils,
)
from workbench.backend import KerasTensor, StatelessScope, Variable
from workbench.backend.naming import name_scope
from workbench.dtype_policies import DTypePolicy, FloatDTypePolicy
from workbench.initializers import Initializer
from workbench.layers import Input, InputSpec, Layer
from workbench.losses import Loss
from workbench.metrics import Metric
from workbench.models import Model, Sequential
from workbench.models.graph import Function
from workbench.ops.operation import Operation
from workbench.optimizers import Optimizer
from workbench.regularizers import Regularizer

__version__ = "0.1.0"


def version():
    """The workbench version string."""
    return __version__


__all__ = [
    "DTypePolicy", "FloatDTypePolicy", "Function", "Initializer", "Input", "InputSpec", "KerasTensor",
    "Layer", "Loss", "Metric", "Model", "Operation", "Optimizer", "Regularizer", "Sequential",
    "StatelessScope", "Variable", "activations", "backend", "callbacks", "config", "constraints",
    "datasets", "dtype_policies", "export", "initializers", "layers", "losses", "metrics", "mixed_precision",
    "models", "name_scope", "ops", "optimizers", "random", "regularizers", "saving", "tree", "utils",
    "version",
]
