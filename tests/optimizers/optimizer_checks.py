"""The shared optimizer check: N steps of identical random gradients on identical variables in
workbench and in real Keras 3, compared after every step, then the optimizer state (paths, order,
values) and the config; and `stateless_apply` under `jax.jit` against eager `apply_gradients`."""

import os
import re

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import workbench  # noqa: E402
import workbench.optimizers  # noqa: E402,F401  (until workbench/__init__.py imports it)

# A matrix, a vector and a rank-3 tensor: Adafactor factors the first and last, not the vector.
SHAPES = {"kernel": (3, 4), "bias": (4,), "tensor": (2, 3, 2)}


def keras_oracle():
    import keras

    assert keras.backend.backend() == "jax", "real Keras must run with KERAS_BACKEND=jax"
    return keras


class Schedule:
    """A schedule to build in each library: `Schedule("ExponentialDecay", initial_learning_rate=...)`."""

    def __init__(self, class_name, **config):
        self.class_name = class_name
        self.config = config

    def build(self, module):
        return getattr(module.optimizers.schedules, self.class_name)(**self.config)

    def __repr__(self):
        return f"{self.class_name}({self.config})"


def _resolve(kwargs, module):
    return {k: v.build(module) if isinstance(v, Schedule) else v for k, v in kwargs.items()}


def make_optimizer(module, class_name, kwargs):
    return getattr(module.optimizers, class_name)(name="opt", **_resolve(kwargs, module))


def initial_values(seed=0):
    rng = np.random.default_rng(seed)
    return {name: rng.normal(size=shape).astype("float32") for name, shape in SHAPES.items()}


def gradient_steps(steps, seed=1, scale=1.0):
    rng = np.random.default_rng(seed)
    return [
        [(scale * rng.normal(size=shape)).astype("float32") for shape in SHAPES.values()]
        for _ in range(steps)
    ]


def make_variables(module, values):
    return [module.Variable(value, name=name) for name, value in values.items()]


def _close(actual, expected, rtol, atol, what):
    np.testing.assert_allclose(
        np.asarray(actual, dtype="float64"), np.asarray(expected, dtype="float64"), rtol=rtol, atol=atol,
        err_msg=what,
    )


def _path(path):
    # Nadam's unnamed product variable is uniquified per session: "variable", "variable_3", ...
    return re.sub(r"(^|/)variable(_\d+)?$", r"\1variable", path)


def run_keras_parity(class_name, kwargs, steps=10, rtol=1e-5, atol=1e-6, gradient_scale=1.0, slot_atol=None,
                     compare_config=True):
    """Runs `steps` apply_gradients in both libraries and compares everything; returns the
    workbench optimizer and variables.

    `slot_atol`, if given, is the optimizer-variable tolerance as a fraction of each variable's
    largest magnitude, for slots that sum large terms which cancel (Ftrl's `linear`).
    """
    keras = keras_oracle()
    values = initial_values()
    ours, theirs = make_optimizer(workbench, class_name, kwargs), make_optimizer(keras, class_name, kwargs)
    our_variables, their_variables = make_variables(workbench, values), make_variables(keras, values)
    for step, grads in enumerate(gradient_steps(steps, scale=gradient_scale)):
        ours.apply_gradients(zip([jnp.asarray(g) for g in grads], our_variables))
        theirs.apply_gradients(zip([jnp.asarray(g) for g in grads], their_variables))
        for mine, reference in zip(our_variables, their_variables):
            _close(mine.numpy(), reference.numpy(), rtol, atol, f"{class_name}{kwargs}: {mine.path} after step {step + 1}")
    assert [_path(v.path) for v in ours.variables] == [_path(v.path) for v in theirs.variables]
    for mine, reference in zip(ours.variables, theirs.variables):
        assert mine.dtype == reference.dtype, mine.path
        assert tuple(mine.shape) == tuple(reference.shape), mine.path
        tolerance = atol if slot_atol is None else slot_atol * float(np.max(np.abs(reference.numpy())))
        _close(mine.numpy(), reference.numpy(), rtol, tolerance, f"{class_name}{kwargs}: optimizer {mine.path}")
    if compare_config:
        assert ours.get_config() == theirs.get_config()
    return ours, our_variables


def run_stateless_parity(class_name, kwargs, steps=10, rtol=1e-5, atol=1e-6):
    """`stateless_apply` inside `jax.jit` (state donated) matches eager `apply_gradients`."""
    values = initial_values()
    eager, jitted = make_optimizer(workbench, class_name, kwargs), make_optimizer(workbench, class_name, kwargs)
    eager_variables, jit_variables = make_variables(workbench, values), make_variables(workbench, values)
    jitted.build(jit_variables)
    step_fn = jax.jit(jitted.stateless_apply, donate_argnums=(0, 2))
    optimizer_values = [v.value for v in jitted.variables]
    trainable_values = [jnp.array(v.value) for v in jit_variables]
    for grads in gradient_steps(steps):
        grads = [jnp.asarray(g) for g in grads]
        eager.apply_gradients(zip(grads, eager_variables))
        trainable_values, optimizer_values = step_fn(optimizer_values, grads, trainable_values)
    for mine, reference in zip(trainable_values, eager_variables):
        _close(mine, reference.numpy(), rtol, atol, f"stateless {class_name}{kwargs}: {reference.path}")
    assert len(optimizer_values) == len(eager.variables)
    for mine, reference in zip(optimizer_values, eager.variables):
        assert mine.dtype == reference.value.dtype, reference.path
        _close(mine, reference.numpy(), rtol, atol, f"stateless {class_name}{kwargs}: {reference.path}")
