"""LossScaleOptimizer skips non-finite steps and adjusts the scale exactly as Keras does."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tests.optimizers.optimizer_checks import (
    gradient_steps,
    initial_values,
    keras_oracle,
    make_variables,
)
from workbench import optimizers


def _poisoned_gradients():
    """Ten steps; steps 3 and 7 carry inf or nan, so the scale halves there and doubles after
    every 2 finite steps in a row."""
    steps = gradient_steps(10, scale=8.0)
    steps[3][0][1, 2] = np.inf
    steps[7][2][0, 0, 1] = np.nan
    return steps


def _keras_reference(inner_kwargs):
    """Keras's own stateless path (its eager `apply` leaks tracers on JAX)."""
    keras = keras_oracle()
    variables = make_variables(keras, initial_values())
    optimizer = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.SGD(name="inner", **inner_kwargs), initial_scale=8.0, dynamic_growth_steps=2, name="lso"
    )
    optimizer.build(variables)
    optimizer_values = [v.value for v in optimizer.variables]
    trainable_values = [v.value for v in variables]
    history = []
    for grads in _poisoned_gradients():
        trainable_values, optimizer_values = optimizer.stateless_apply(
            optimizer_values, [jnp.asarray(g) for g in grads], trainable_values
        )
        history.append((trainable_values, optimizer_values))
    return optimizer, history


def _ours(inner_kwargs):
    import workbench

    variables = make_variables(workbench, initial_values())
    optimizer = optimizers.LossScaleOptimizer(
        optimizers.SGD(name="inner", **inner_kwargs), initial_scale=8.0, dynamic_growth_steps=2, name="lso"
    )
    optimizer.build(variables)
    return optimizer, variables


@pytest.mark.parametrize("inner_kwargs", [{}, {"momentum": 0.9}, {"momentum": 0.5, "global_clipnorm": 1.0}])
def test_eager_apply_matches_keras_step_by_step(inner_kwargs):
    theirs, history = _keras_reference(inner_kwargs)
    ours, variables = _ours(inner_kwargs)
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    for step, (grads, (expected_trainable, expected_optimizer)) in enumerate(zip(_poisoned_gradients(), history)):
        ours.apply_gradients(zip([jnp.asarray(g) for g in grads], variables))
        for mine, expected in zip(variables, expected_trainable):
            np.testing.assert_allclose(mine.numpy(), expected, rtol=1e-5, atol=1e-6, err_msg=f"step {step}")
        for mine, expected in zip(ours.variables, expected_optimizer):
            np.testing.assert_allclose(mine.numpy(), expected, rtol=1e-5, atol=1e-6, err_msg=f"{mine.path} step {step}")


def test_stateless_apply_under_jit_matches_keras():
    theirs, history = _keras_reference({"momentum": 0.9})
    ours, variables = _ours({"momentum": 0.9})
    step_fn = jax.jit(ours.stateless_apply, donate_argnums=(0, 2))
    optimizer_values = [v.value for v in ours.variables]
    trainable_values = [jnp.array(v.value) for v in variables]
    for grads, (expected_trainable, expected_optimizer) in zip(_poisoned_gradients(), history):
        trainable_values, optimizer_values = step_fn(optimizer_values, [jnp.asarray(g) for g in grads], trainable_values)
        for mine, expected in zip(trainable_values + optimizer_values, list(expected_trainable) + list(expected_optimizer)):
            np.testing.assert_allclose(np.asarray(mine), np.asarray(expected), rtol=1e-5, atol=1e-6)


def test_non_finite_step_leaves_variables_halves_scale_and_resets_counter():
    ours, variables = _ours({})
    before = [v.numpy() for v in variables]
    grads = [jnp.full(v.shape, jnp.inf) for v in variables]
    ours.apply(grads)
    for variable, value in zip(variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)
    assert float(ours.dynamic_scale.numpy()) == 4.0
    assert int(ours.step_counter.numpy()) == 0
    assert int(ours.inner_optimizer.iterations.numpy()) == 0


def test_scale_loss_and_delegated_properties():
    ours = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.5, loss_scale_factor=3.0), initial_scale=4.0)
    assert ours.inner_optimizer.loss_scale_factor is None
    assert float(ours.scale_loss(2.0)) == 8.0
    assert float(ours.learning_rate.numpy()) == 0.5
    ours.learning_rate = 0.25
    assert float(ours.inner_optimizer.learning_rate.numpy()) == 0.25


def test_config_matches_keras_and_round_trips():
    keras = keras_oracle()
    theirs = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(name="inner"), initial_scale=16.0, name="lso")
    ours = optimizers.LossScaleOptimizer(optimizers.Adam(name="inner"), initial_scale=16.0, name="lso")
    assert ours.get_config() == theirs.get_config()
    assert optimizers.serialize(ours) == keras.optimizers.serialize(theirs)
    revived = optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert isinstance(revived, optimizers.LossScaleOptimizer)
    assert isinstance(revived.inner_optimizer, optimizers.Adam)
    assert revived.get_config() == ours.get_config()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dynamic": False}, "no longer supports `dynamic=False`"),
        ({"clipnorm": 1.0}, "does not support `clipnorm`"),
        ({"foo": 1}, "does not support arguments: `foo`"),
    ],
)
def test_unsupported_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizers.LossScaleOptimizer(optimizers.SGD(), **kwargs)


def test_base_defaults_from_old_configs_are_accepted():
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(), use_ema=False, clipnorm=None, ema_momentum=0.99)
    assert optimizer.get_config()["dynamic_growth_steps"] == 2000
