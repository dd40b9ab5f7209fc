import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from workbench import activations
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.variables import Variable

# name -> keyword arguments to test besides the defaults
CASES = {
    "celu": [{}, {"alpha": 0.5}],
    "elu": [{}, {"alpha": 0.3}],
    "exponential": [{}],
    "gelu": [{}, {"approximate": True}],
    "glu": [{}, {"axis": 0}],
    "hard_shrink": [{}, {"threshold": 1.0}],
    "hard_sigmoid": [{}],
    "hard_silu": [{}],
    "hard_swish": [{}],
    "hard_tanh": [{}],
    "leaky_relu": [{}, {"negative_slope": 0.05}],
    "linear": [{}],
    "log_sigmoid": [{}],
    "log_softmax": [{}, {"axis": 0}],
    "mish": [{}],
    "relu": [
        {},
        {"max_value": 6.0},
        {"max_value": 1.5},
        {"negative_slope": 0.1},
        {"threshold": 0.5},
        {"negative_slope": 0.1, "max_value": 2.0, "threshold": -0.3},
        {"negative_slope": 0.2, "threshold": 0.4},
    ],
    "relu6": [{}],
    "selu": [{}],
    "sigmoid": [{}],
    "silu": [{}],
    "soft_shrink": [{}, {"threshold": 1.0}],
    "softmax": [{}, {"axis": 0}],
    "softplus": [{}],
    "softsign": [{}],
    "sparse_plus": [{}],
    "sparse_sigmoid": [{}],
    "squareplus": [{}, {"b": 1.0}],
    "swish": [{}],
    "tanh": [{}],
    "tanh_shrink": [{}],
    "threshold": [{"threshold": 0.3, "default_value": -1.0}],
}
PARAMS = [(name, kwargs) for name, cases in CASES.items() for kwargs in cases]


def _inputs(seed=0):
    # Values in [-4, 4], avoiding the kinks at 0 and +-1 where gradients are conventions.
    return np.random.default_rng(seed).uniform(-4.0, 4.0, size=(6, 8)).astype("float32")


def test_every_keras_activation_is_covered():
    public = {n for n in dir(keras.activations) if not n.startswith("_")}
    public -= {"get", "serialize", "deserialize"}
    assert public == set(CASES) | {"sparsemax"}
    for name in public:
        assert callable(getattr(activations, name))


@pytest.mark.parametrize("name,kwargs", PARAMS, ids=[f"{n}-{k}" for n, k in PARAMS])
def test_activation_matches_keras(name, kwargs):
    x = _inputs()
    ours = np.asarray(getattr(activations, name)(x, **kwargs))
    theirs = np.asarray(getattr(keras.activations, name)(x, **kwargs))
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,kwargs", PARAMS, ids=[f"{n}-{k}" for n, k in PARAMS])
def test_activation_gradient_matches_keras(name, kwargs):
    x = jnp.asarray(_inputs(1))
    ours = jax.grad(lambda v: jnp.sum(getattr(activations, name)(v, **kwargs)))(x)
    theirs = jax.grad(lambda v: jnp.sum(getattr(keras.activations, name)(v, **kwargs)))(x)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-5, atol=1e-6)


def test_sparsemax_matches_keras_when_one_logit_is_in_the_support():
    x = np.array([[3.0, 1.0, -1.0], [0.0, 5.0, 2.0]], dtype="float32")
    np.testing.assert_allclose(activations.sparsemax(x), keras.activations.sparsemax(x), atol=1e-6)


def _reference_sparsemax(row):
    z = np.sort(row)[::-1]
    cumulative = np.cumsum(z)
    k = np.arange(1, len(z) + 1)
    support = k[1 + k * z > cumulative].max()
    tau = (cumulative[support - 1] - 1) / support
    return np.maximum(row - tau, 0)


def test_sparsemax_projects_onto_the_simplex():
    # Keras 3.15's sparsemax gets tau wrong for supports of 2 or more; this is the published one.
    x = np.array([[1.0, 0.8, 0.5, -3.0], [0.1, 0.2, 0.3, 0.4]], dtype="float32")
    out = np.asarray(activations.sparsemax(x))
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(out, np.stack([_reference_sparsemax(r) for r in x]), atol=1e-6)
    by_column = np.asarray(activations.sparsemax(x.T, axis=0))
    np.testing.assert_allclose(by_column, out.T, atol=1e-6)


def test_activations_accept_variables_numpy_and_python_values():
    variable = Variable(np.array([-1.0, 2.0], dtype="float32"))
    np.testing.assert_allclose(activations.relu(variable), [0.0, 2.0])
    assert activations.relu([-1.5, 2.0]).dtype == jnp.float32
    assert activations.relu(np.array([-1.5, 2.0])).dtype == jnp.float32  # float64 -> floatx
    assert activations.relu(np.array([-1, 2])).dtype == jnp.int32
    assert activations.sigmoid(np.array([0, 1])).dtype == jnp.float32
    assert float(activations.tanh(0.0)) == 0.0


def test_activations_keep_low_precision_dtypes():
    x = jnp.ones((3,), dtype="bfloat16")
    assert activations.gelu(x).dtype == jnp.bfloat16
    assert activations.softmax(x.astype("float16")).dtype == jnp.float16


def test_activations_on_keras_tensors_give_symbolic_outputs():
    x = KerasTensor((None, 8))
    assert activations.relu(x).shape == (None, 8)
    assert activations.glu(x).shape == (None, 4)
    assert activations.mish(x).shape == (None, 8)
    assert activations.linear(x) is x


def test_activations_run_under_jit():
    x = _inputs()
    jitted = jax.jit(lambda v: activations.relu(v, max_value=2.0, negative_slope=0.1))
    np.testing.assert_allclose(jitted(x), activations.relu(x, max_value=2.0, negative_slope=0.1))


def test_glu_rejects_odd_axis():
    with pytest.raises(ValueError, match="even"):
        activations.glu(np.ones((2, 3), dtype="float32"))


def test_get_resolves_names_aliases_none_and_callables():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    custom = lambda x: x * 2  # noqa: E731
    assert activations.get(custom) is custom


def test_get_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"Unknown activation: 'relux'\. Valid names: \[.*'relu'"):
        activations.get("relux")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)


def test_serialize_builtins_as_plain_names_like_keras():
    for name in CASES:
        function = getattr(activations, name)
        assert activations.serialize(function) == keras.activations.serialize(
            getattr(keras.activations, name)
        )
    assert activations.serialize(activations.swish) == "silu"


def test_deserialize_names_and_keras_function_dicts():
    assert activations.deserialize("relu") is activations.relu
    keras_dict = keras.saving.serialize_keras_object(keras.activations.gelu)
    assert activations.get(keras_dict) is activations.gelu
    ours = {"module": "keras.activations", "class_name": "function", "config": "tanh", "registered_name": None}
    assert activations.get(ours) is activations.tanh


def test_custom_registered_activation_round_trips():
    from workbench.saving import object_registration

    @object_registration.register_keras_serializable(package="activations_test")
    def double(x):
        return x * 2

    config = activations.serialize(double)
    assert config["config"] == "activations_test>double"
    assert activations.deserialize(config) is double
    assert activations.get("activations_test>double") is double
