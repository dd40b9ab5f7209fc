import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench as keras
from workbench.backend.stateless_scope import StatelessScope


def test_variable_reads_assigns_and_converts():
    v = keras.Variable(np.zeros((2, 3), "float32"), name="w")
    assert v.shape == (2, 3) and v.dtype == "float32" and v.ndim == 2
    assert v.name == "w" and v.path == "w" and v.trainable
    v.assign(np.ones((2, 3)))
    v.assign_add(np.ones((2, 3)))
    v.assign_sub(0.5 * np.ones((2, 3)))
    np.testing.assert_allclose(v.numpy(), 1.5)
    np.testing.assert_allclose(np.asarray(v), 1.5)
    np.testing.assert_allclose(keras.ops.sum(v), 9.0)


def test_variable_arithmetic_matches_its_value():
    v = keras.Variable(np.array([1.0, 2.0], "float32"))
    np.testing.assert_allclose(v + 1, [2, 3])
    np.testing.assert_allclose(1 - v, [0, -1])
    np.testing.assert_allclose(v * v, [1, 4])
    np.testing.assert_allclose(v / 2, [0.5, 1])
    np.testing.assert_allclose(v ** 2, [1, 4])
    np.testing.assert_allclose(-v, [-1, -2])
    np.testing.assert_array_equal(v > 1.5, [False, True])
    np.testing.assert_allclose(v[1], 2.0)
    m = keras.Variable(np.eye(2, dtype="float32"))
    np.testing.assert_allclose(m @ np.array([1.0, 2.0], "float32"), [1, 2])


def test_variable_from_initializer_needs_shape():
    v = keras.Variable(keras.initializers.Ones(), shape=(3,), dtype="float32")
    np.testing.assert_allclose(v.numpy(), 1.0)
    with pytest.raises(ValueError, match="shape"):
        keras.Variable(keras.initializers.Ones())


def test_assign_with_wrong_shape_names_both_shapes():
    v = keras.Variable(np.zeros((2, 3), "float32"), name="kernel")
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 2\)"):
        v.assign(np.zeros((3, 2)))


def test_stateless_scope_swaps_values_and_records_updates():
    v = keras.Variable(1.0)
    with StatelessScope(state_mapping=[(v, jnp.asarray(5.0))]) as scope:
        np.testing.assert_allclose(v.value, 5.0)
        v.assign(v.value + 1.0)
        np.testing.assert_allclose(scope.get_current_value(v), 6.0)
    np.testing.assert_allclose(v.numpy(), 1.0)


def test_assigning_a_tracer_outside_a_stateless_scope_explains_the_fix():
    v = keras.Variable(1.0)

    @jax.jit
    def f(x):
        v.assign(x)
        return x

    with pytest.raises(ValueError, match="stateless_call"):
        f(jnp.asarray(2.0))


def test_variable_reads_in_autocast_dtype_under_mixed_precision():
    from workbench.backend.variables import AutocastScope

    v = keras.Variable(np.ones(2, "float32"))
    with AutocastScope("float16"):
        assert v.value.dtype == jnp.float16
    assert v.value.dtype == jnp.float32


def test_backend_functions():
    assert keras.backend.backend() == "jax"
    assert keras.config.floatx() == "float32"
    assert keras.config.image_data_format() == "channels_last"
    assert keras.backend.epsilon() == pytest.approx(1e-7)
    assert keras.backend.standardize_dtype(np.float32) == "float32"
    assert keras.backend.standardize_dtype("float") == "float32"
    assert keras.backend.is_float_dtype("bfloat16") and keras.backend.is_int_dtype("uint8")
    assert keras.backend.result_type("int32", "float32") == "float32"
    keras.config.set_epsilon(1e-5)
    try:
        assert keras.config.epsilon() == pytest.approx(1e-5)
    finally:
        keras.config.set_epsilon(1e-7)
    with pytest.raises(ValueError, match="channels_first"):
        keras.config.set_image_data_format("channels_middle")


def test_dtype_policies():
    policy = keras.DTypePolicy("mixed_float16")
    assert policy.compute_dtype == "float16" and policy.variable_dtype == "float32"
    assert keras.dtype_policies.get("mixed_bfloat16").compute_dtype == "bfloat16"
    assert keras.DTypePolicy("bfloat16").variable_dtype == "bfloat16"
    config = keras.dtype_policies.serialize(policy)
    assert config == {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"},
                      "registered_name": None}
    assert keras.dtype_policies.deserialize(config) == policy
    with pytest.raises(ValueError, match="mixed_float16"):
        keras.DTypePolicy("float33")


def test_mixed_precision_layer_computes_in_half_and_stores_float32():
    layer = keras.layers.Dense(3, dtype="mixed_float16")
    y = layer(np.ones((2, 4), "float32"))
    assert y.dtype == jnp.float16
    assert layer.kernel.dtype == "float32"
    assert layer.compute_dtype == "float16" and layer.variable_dtype == "float32"


def test_global_dtype_policy_applies_to_new_layers():
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        layer = keras.layers.Dense(2)
        assert layer.compute_dtype == "bfloat16"
        assert layer(np.ones((1, 3))).dtype == jnp.bfloat16
    finally:
        keras.config.set_dtype_policy("float32")
    assert keras.layers.Dense(2).compute_dtype == "float32"
