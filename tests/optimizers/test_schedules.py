"""Learning-rate schedules give Keras's values, trace under jit, and (de)serialize like Keras."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tests.optimizers.optimizer_checks import keras_oracle  # noqa: E402
from workbench.optimizers import schedules  # noqa: E402

CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9}),
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.5, "staircase": True}),
    ("PiecewiseConstantDecay", {"boundaries": [10, 100], "values": [1.0, 0.5, 0.1]}),
    ("PiecewiseConstantDecay", {"boundaries": [5], "values": [0.3, 0.2]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 50}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 30, "end_learning_rate": 0.01, "power": 2.0, "cycle": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": True}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 100}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "alpha": 0.1}),
    ("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 80, "warmup_target": 0.2, "warmup_steps": 20}),
    ("CosineDecay", {"initial_learning_rate": 0.01, "decay_steps": 50, "alpha": 0.2, "warmup_target": 0.1, "warmup_steps": 10}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 8, "t_mul": 3.0, "m_mul": 0.9}),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]
STEPS = [0, 1, 2, 5, 9, 10, 11, 20, 33, 50, 99, 100, 101, 250, 1000]


@pytest.mark.parametrize(("class_name", "config"), CASES, ids=IDS)
def test_schedule_values_match_keras_eagerly_and_under_jit(class_name, config):
    keras = keras_oracle()
    ours = getattr(schedules, class_name)(**config)
    theirs = getattr(keras.optimizers.schedules, class_name)(**config)
    # Compiled, XLA may rewrite a division by a constant as a multiplication by its reciprocal,
    # so compiled values are compared with compiled Keras values. Near the end of a cosine period
    # `1 + cos(pi * f)` cancels, so one ulp of `f` is a large relative error of a tiny rate: the
    # absolute tolerance is 1e-7 of the peak rate (Keras evaluates CosineDecayRestarts compiled,
    # inside a `cond`, even eagerly).
    jitted, their_jitted = jax.jit(ours), jax.jit(theirs)
    for step in STEPS:
        step = jnp.asarray(step, jnp.int32)
        expected = np.asarray(theirs(step))
        actual = np.asarray(ours(step))
        assert actual.dtype == expected.dtype
        np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-8, err_msg=f"step {step}")
        np.testing.assert_allclose(np.asarray(jitted(step)), np.asarray(their_jitted(step)), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("class_name", "config"), CASES, ids=IDS)
def test_schedule_config_and_serialization_match_keras(class_name, config):
    keras = keras_oracle()
    ours = getattr(schedules, class_name)(**config)
    theirs = getattr(keras.optimizers.schedules, class_name)(**config)
    assert ours.get_config() == theirs.get_config()
    assert schedules.serialize(ours) == keras.optimizers.schedules.serialize(theirs)
    revived = schedules.deserialize(keras.optimizers.schedules.serialize(theirs))
    assert type(revived) is type(ours)
    assert revived.get_config() == ours.get_config()
    assert type(ours.from_config(ours.get_config())) is type(ours)


@pytest.mark.parametrize(
    ("class_name", "config", "message"),
    [
        ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5}, "decay_steps=0"),
        ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": -1}, "decay_steps=-1"),
        ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5}, "decay_steps=0"),
        ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 0}, "decay_steps=0"),
        ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 0}, "first_decay_steps=0"),
        ("PiecewiseConstantDecay", {"boundaries": [1, 2], "values": [0.1, 0.2]}, "length of boundaries"),
    ],
)
def test_invalid_schedule_arguments_raise_with_the_received_values(class_name, config, message):
    with pytest.raises(ValueError, match=message):
        getattr(schedules, class_name)(**config)


def test_base_schedule_requires_call_and_config():
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        schedules.LearningRateSchedule().get_config()


def test_schedule_drives_the_optimizer_learning_rate_by_raw_iterations():
    import workbench

    schedule = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    optimizer = workbench.optimizers.SGD(learning_rate=schedule, gradient_accumulation_steps=2)
    variable = workbench.Variable(np.zeros(2, "float32"), name="w")
    for _ in range(3):
        optimizer.apply_gradients([(jnp.ones(2), variable)])
    # Schedules see the micro-step count (3), `iterations` counts updates (3 // 2).
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.1 * 0.5**3, rtol=1e-6)
    assert int(optimizer.iterations) == 1
    assert [v.name for v in optimizer.variables] == ["iteration", "w_gradient_accumulator"]
