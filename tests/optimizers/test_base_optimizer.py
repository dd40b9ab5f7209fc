"""The optimizer surface shared by all optimizers: arguments, variables, names, learning rate,
weight-decay exclusion, EMA finalization, custom optimizers, saving, and `get`/`serialize`."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench
from tests.optimizers.optimizer_checks import (
    gradient_steps,
    initial_values,
    keras_oracle,
    make_variables,
    run_keras_parity,
)
from workbench import optimizers


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: optimizers.SGD(clipnorm=1.0, global_clipnorm=1.0),
         r"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=1.0, "
         r"clipvalue=None, global_clipnorm=1.0"),
        (lambda: optimizers.Adam(learning_rate=1), r"Received instead: learning_rate=1"),
        (lambda: optimizers.Adam(learning_rate="fast"), r"learning_rate=fast"),
        (lambda: optimizers.Adam(foo=3), r"Argument\(s\) not recognized: \{'foo': 3\}"),
        (lambda: optimizers.Adam(gradient_accumulation_steps=1), r"gradient_accumulation_steps=1"),
        (lambda: optimizers.Adam(use_ema=True, ema_momentum=1.5), r"ema_momentum=1.5"),
        (lambda: optimizers.Adam(use_ema=True, ema_overwrite_frequency=0.5), r"ema_overwrite_frequency=0.5"),
        (lambda: optimizers.SGD(momentum=2.0), r"momentum=2.0"),
        (lambda: optimizers.SGD(momentum=1), r"momentum=1"),
        (lambda: optimizers.AdamW(weight_decay=None), r"weight_decay=None"),
        (lambda: optimizers.Lion(beta_1=0.0), r"beta_1=0.0"),
        (lambda: optimizers.Ftrl(learning_rate_power=0.5), r"learning_rate_power=0.5"),
        (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), r"l1_regularization_strength=-1.0"),
        (lambda: optimizers.Ftrl(initial_accumulator_value=-0.1), r"initial_accumulator_value=-0.1"),
    ],
)
def test_invalid_arguments_raise_value_error_with_received_values(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_invalid_arguments_match_keras_errors():
    keras = keras_oracle()
    for kwargs in ({"clipnorm": 1.0, "clipvalue": 1.0}, {"learning_rate": 1}, {"gradient_accumulation_steps": 1}):
        with pytest.raises(ValueError) as ours:
            optimizers.Adam(**kwargs)
        with pytest.raises(ValueError) as theirs:
            keras.optimizers.Adam(**kwargs)
        assert str(ours.value) == str(theirs.value)


def test_decay_argument_is_ignored_with_a_warning():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        optimizers.SGD(decay=0.1)


def test_variable_paths_for_a_model_match_keras():
    keras = keras_oracle()
    ours = workbench.Sequential([workbench.Input((3,)), workbench.layers.Dense(2), workbench.layers.Dense(1)])
    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    for ours_opt, theirs_opt in [
        (optimizers.Adam(amsgrad=True, use_ema=True, gradient_accumulation_steps=2, name="adam"),
         keras.optimizers.Adam(amsgrad=True, use_ema=True, gradient_accumulation_steps=2, name="adam")),
        (optimizers.RMSprop(momentum=0.5, centered=True, name="rms"),
         keras.optimizers.RMSprop(momentum=0.5, centered=True, name="rms")),
        (optimizers.Adafactor(name="af"), keras.optimizers.Adafactor(name="af")),
    ]:
        ours_opt.build(ours.trainable_variables)
        theirs_opt.build(theirs.trainable_variables)
        assert [v.path for v in ours_opt.variables] == [v.path for v in theirs_opt.variables]
        assert [v.dtype for v in ours_opt.variables] == [v.dtype for v in theirs_opt.variables]


def test_schedule_means_no_learning_rate_variable():
    schedule = optimizers.schedules.CosineDecay(0.1, decay_steps=10)
    optimizer = optimizers.Adam(learning_rate=schedule)
    assert [v.name for v in optimizer.variables] == ["iteration"]
    assert optimizer.variables[0].dtype == "int32"


def test_default_names_are_snake_case_and_unique():
    assert optimizers.RMSprop().name == "rm_sprop"
    assert optimizers.AdamW().name == "adam_w"
    assert optimizers.Adam().name == "adam"
    assert optimizers.Adam().name == "adam_1"


def test_learning_rate_setter_assigns_the_variable_or_swaps_in_a_schedule():
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.learning_rate = 0.5
    assert float(optimizer.learning_rate.numpy()) == 0.5
    assert len(optimizer.variables) == 2
    optimizer.learning_rate = optimizers.schedules.ExponentialDecay(0.2, 10, 0.5)
    assert [v.name for v in optimizer.variables] == ["iteration"]
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.2)
    with pytest.raises(TypeError, match="not settable"):
        optimizer.learning_rate = 0.3


def test_callable_learning_rate_matches_keras():
    def learning_rate():
        return 0.05

    # The config holds the serialized function, which is the saving library's format to match.
    run_keras_parity("SGD", {"learning_rate": learning_rate, "momentum": 0.5}, compare_config=False)


def test_exclude_from_weight_decay_matches_keras():
    keras = keras_oracle()
    values = initial_values()
    ours, theirs = optimizers.AdamW(weight_decay=0.5, learning_rate=0.1), keras.optimizers.AdamW(weight_decay=0.5, learning_rate=0.1)
    our_variables, their_variables = make_variables(workbench, values), make_variables(keras, values)
    ours.exclude_from_weight_decay(var_list=[our_variables[2]], var_names=["bias"])
    theirs.exclude_from_weight_decay(var_list=[their_variables[2]], var_names=["bias"])
    for grads in gradient_steps(5):
        ours.apply_gradients(zip([jnp.asarray(g) for g in grads], our_variables))
        theirs.apply_gradients(zip([jnp.asarray(g) for g in grads], their_variables))
    for mine, reference in zip(our_variables, their_variables):
        np.testing.assert_allclose(mine.numpy(), reference.numpy(), rtol=1e-5, atol=1e-6)


def test_finalize_variable_values_writes_the_moving_average():
    values = initial_values()
    optimizer = optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5)
    variables = make_variables(workbench, values)
    for grads in gradient_steps(3):
        optimizer.apply_gradients(zip([jnp.asarray(g) for g in grads], variables))
    averages = [v.numpy() for v in optimizer.variables if v.name.endswith("_average")]
    optimizer.finalize_variable_values(variables)
    for variable, average in zip(variables, averages):
        np.testing.assert_array_equal(variable.numpy(), average)


def test_missing_gradients_are_skipped_with_a_warning_and_all_missing_raises():
    values = initial_values()
    optimizer = optimizers.SGD(learning_rate=0.1)
    variables = make_variables(workbench, values)
    grads = [jnp.ones(v.shape) for v in variables]
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['bias'\]"):
        optimizer.apply_gradients(zip([grads[0], None, grads[2]], variables))
    np.testing.assert_array_equal(variables[1].numpy(), values["bias"])
    np.testing.assert_allclose(variables[0].numpy(), values["kernel"] - 0.1, rtol=1e-6)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        optimizer.apply_gradients(zip([None, None, None], variables))


def test_apply_before_build_without_variables_and_unknown_variables_raise():
    optimizer = optimizers.Adam()
    with pytest.raises(ValueError, match="must already be built"):
        optimizer.apply([jnp.ones(2)])
    variable = workbench.Variable(np.zeros(2, "float32"), name="w")
    optimizer.apply([jnp.ones(2)], [variable])
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply([jnp.ones(2)], [workbench.Variable(np.zeros(2, "float32"), name="other")])
    with pytest.raises(ValueError, match="Received a list of 2 gradients"):
        optimizer.apply([jnp.ones(2), jnp.ones(2)])
    with pytest.raises(ValueError, match="must be built"):
        optimizers.Adam().stateless_apply([], [], [])


def test_constraints_apply_after_the_update():
    variable = workbench.Variable(np.array([0.05, 1.0], "float32"), name="w")
    variable.constraint = workbench.constraints.NonNeg()
    optimizers.SGD(learning_rate=0.1).apply_gradients([(jnp.array([1.0, 1.0]), variable)])
    np.testing.assert_allclose(variable.numpy(), [0.0, 0.9], rtol=1e-6)


def test_custom_optimizer_written_with_update_step_runs_eagerly_and_statelessly():
    class HalfStep(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def build(self, var_list):
            super().build(var_list)
            self.counts = self.add_optimizer_variables(var_list, "count")

        def update_step(self, gradient, variable, learning_rate):
            count = self.counts[self._get_variable_index(variable)]
            count.assign(count + 1.0)
            variable.assign(variable - 0.5 * learning_rate * gradient)

    variable = workbench.Variable(np.ones(2, "float32"), name="w")
    optimizer = HalfStep(clipvalue=1.0)
    optimizer.apply_gradients([(jnp.array([4.0, -0.5]), variable)])
    np.testing.assert_allclose(variable.numpy(), [0.95, 1.025], rtol=1e-6)
    assert [v.path for v in optimizer.variables] == ["half_step/iteration", "half_step/learning_rate", "half_step/w_count"]
    trainable, state = jax.jit(optimizer.stateless_apply)(
        [v.value for v in optimizer.variables], [jnp.array([1.0, 1.0])], [variable.value]
    )
    np.testing.assert_allclose(trainable[0], [0.9, 0.975], rtol=1e-6)
    assert int(state[0]) == 2 and float(state[2][0]) == 2.0


def test_forgetting_super_init_is_explained():
    class Broken(optimizers.Optimizer):
        def __init__(self):
            self.momentum = 0.9

    with pytest.raises(RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"):
        Broken()


def test_scale_loss_and_loss_scale_factor():
    optimizer = optimizers.SGD(learning_rate=1.0, loss_scale_factor=4.0)
    assert float(optimizer.scale_loss(jnp.asarray(2.0))) == 8.0
    variable = workbench.Variable(np.zeros(1, "float32"), name="w")
    optimizer.apply_gradients([(jnp.array([8.0]), variable)])
    np.testing.assert_allclose(variable.numpy(), [-2.0])
    assert optimizers.SGD().scale_loss(3.0) == 3.0


def test_save_and_load_own_variables_round_trip_and_mismatch_warns():
    values = initial_values()
    source, target = optimizers.Adam(), optimizers.Adam()
    variables = make_variables(workbench, values)
    for grads in gradient_steps(2):
        source.apply_gradients(zip([jnp.asarray(g) for g in grads], variables))
    store = {}
    source.save_own_variables(store)
    assert sorted(store, key=int) == [str(i) for i in range(len(source.variables))]
    target.build(variables)
    target.load_own_variables(store)
    for a, b in zip(source.variables, target.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Adam().load_own_variables(store)
    fresh = optimizers.Adam()
    fresh.build(variables)
    fresh.set_weights([v.numpy() for v in source.variables])
    np.testing.assert_array_equal(fresh.iterations.numpy(), 2)


def test_get_accepts_names_configs_and_instances():
    keras = keras_oracle()
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("adamw"), optimizers.AdamW)
    instance = optimizers.SGD()
    assert optimizers.get(instance) is instance
    assert optimizers.get(None) is None
    config = keras.optimizers.serialize(keras.optimizers.Nadam(learning_rate=0.01, name="n"))
    revived = optimizers.get(config)
    assert isinstance(revived, optimizers.Nadam)
    assert revived.get_config() == keras.optimizers.Nadam(learning_rate=0.01, name="n").get_config()
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'.*'adam'.*'sgd'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


@pytest.mark.parametrize(
    "class_name", ["Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion", "Lamb", "Adafactor"]
)
def test_serialize_matches_keras_and_from_config_round_trips(class_name):
    keras = keras_oracle()
    schedule = optimizers.schedules.PolynomialDecay(0.1, decay_steps=100)
    their_schedule = keras.optimizers.schedules.PolynomialDecay(0.1, decay_steps=100)
    for ours, theirs in [
        (getattr(optimizers, class_name)(name="o"), getattr(keras.optimizers, class_name)(name="o")),
        (getattr(optimizers, class_name)(name="o", learning_rate=schedule, clipnorm=1.0),
         getattr(keras.optimizers, class_name)(name="o", learning_rate=their_schedule, clipnorm=1.0)),
    ]:
        assert optimizers.serialize(ours) == keras.optimizers.serialize(theirs)
        revived = optimizers.deserialize(keras.optimizers.serialize(theirs))
        assert type(revived) is type(ours)
        assert revived.get_config() == ours.get_config()
        assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


def test_namespace_has_every_keras_optimizer_name_we_implement():
    keras = keras_oracle()
    ours = {n for n in dir(optimizers) if not n.startswith("_")}
    theirs = {n for n in dir(keras.optimizers) if not n.startswith("_")}
    # Muon, ScheduleFreeAdamW, MultiOptimizer and OptimizerMap are not implemented yet.
    assert theirs - ours == {"Muon", "ScheduleFreeAdamW", "MultiOptimizer", "OptimizerMap"}
    assert {n for n in dir(optimizers.schedules) if not n.startswith("_")} >= {
        n for n in dir(keras.optimizers.schedules) if not n.startswith("_")
    }
    with pytest.raises(ImportError, match="not supported in Keras 3"):
        optimizers.legacy.Adam()


def test_iterations_counts_updates_under_gradient_accumulation():
    optimizer = optimizers.SGD(gradient_accumulation_steps=3)
    variable = workbench.Variable(np.zeros(2, "float32"), name="w")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(7):
            optimizer.apply_gradients([(jnp.ones(2), variable)])
    assert int(optimizer.iterations) == 2
    assert int(optimizer.variables[0].numpy()) == 7
    np.testing.assert_allclose(variable.numpy(), [-0.02, -0.02], rtol=1e-6)
