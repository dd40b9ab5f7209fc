"""Reading and setting an optimizer's learning rate, for the callbacks that adjust it."""

import numpy as np


def optimizers_of(model):
    """`[(name_suffix, optimizer)]`: one entry, or one per inner optimizer of a multi-optimizer."""
    optimizer = model.optimizer
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer
    inner = getattr(optimizer, "optimizers", None)
    if inner:
        return [(f"_{opt.name}", opt) for opt in inner]
    return [("", optimizer)]


def get_learning_rate(optimizer):
    if not hasattr(optimizer, "learning_rate"):
        raise ValueError(f'Optimizer must have a "learning_rate" attribute. Received: {optimizer}')
    return float(np.asarray(optimizer.learning_rate))


def log_learning_rates(model, logs):
    """Adds `learning_rate` (or `learning_rate_<name>` per inner optimizer) to `logs`."""
    for suffix, optimizer in optimizers_of(model):
        logs[f"learning_rate{suffix}"] = get_learning_rate(optimizer)
