import math
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax.numpy as jnp
import keras
import numpy as np
import pytest

from workbench import initializers, random
from workbench.saving import serialization_lib

SHAPE = (400, 500)
FAN_IN, FAN_OUT = SHAPE
RANDOM_CLASSES = [
    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "GlorotUniform",
    "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal",
]
ALL_CLASSES = RANDOM_CLASSES + ["Constant", "Zeros", "Ones", "Identity", "STFT"]

# name -> (constructor kwargs, expected mean, expected std) for a draw of SHAPE
STATISTICS = {
    "RandomNormal": ({"mean": 0.5, "stddev": 0.2}, 0.5, 0.2),
    "RandomUniform": ({"minval": -1.0, "maxval": 3.0}, 1.0, 4.0 / math.sqrt(12)),
    "TruncatedNormal": ({"mean": 0.0, "stddev": 1.0}, 0.0, 0.87962566),
    "GlorotUniform": ({}, 0.0, math.sqrt(2.0 / (FAN_IN + FAN_OUT))),
    "GlorotNormal": ({}, 0.0, math.sqrt(2.0 / (FAN_IN + FAN_OUT))),
    "HeUniform": ({}, 0.0, math.sqrt(2.0 / FAN_IN)),
    "HeNormal": ({}, 0.0, math.sqrt(2.0 / FAN_IN)),
    "LecunUniform": ({}, 0.0, math.sqrt(1.0 / FAN_IN)),
    "LecunNormal": ({}, 0.0, math.sqrt(1.0 / FAN_IN)),
    "VarianceScaling": (
        {"scale": 3.0, "mode": "fan_out", "distribution": "untruncated_normal"}, 0.0, math.sqrt(3.0 / FAN_OUT)
    ),
}


@pytest.mark.parametrize("name", ALL_CLASSES)
def test_default_config_equals_keras(name):
    assert getattr(initializers, name)().get_config() == getattr(keras.initializers, name)().get_config()


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("RandomNormal", {"mean": 1.0, "stddev": 2.0, "seed": 3}),
        ("RandomUniform", {"minval": -2.0, "maxval": 2.0, "seed": 4}),
        ("TruncatedNormal", {"mean": 0.1, "stddev": 0.3, "seed": 5}),
        ("VarianceScaling", {"scale": 2.0, "mode": "fan_avg", "distribution": "normal", "seed": 6}),
        ("GlorotUniform", {"seed": 7, "input_axes": [0], "output_axes": [1]}),
        ("Orthogonal", {"gain": 2.0, "seed": 8}),
        ("Constant", {"value": 3.0}),
        ("STFT", {"side": "imag", "window": "hamming", "scaling": "spectrum", "periodic": True}),
    ],
)
def test_custom_config_equals_keras_and_round_trips(name, kwargs):
    ours = getattr(initializers, name)(**kwargs)
    config = ours.get_config()
    assert config == getattr(keras.initializers, name)(**kwargs).get_config()
    assert list(config) == list(getattr(keras.initializers, name)(**kwargs).get_config())
    revived = type(ours).from_config(config)
    assert revived.get_config() == config


@pytest.mark.parametrize("name", ALL_CLASSES)
def test_serialized_form_equals_keras(name):
    ours = initializers.serialize(getattr(initializers, name)())
    theirs = keras.initializers.serialize(getattr(keras.initializers, name)())
    assert ours == theirs
    assert type(initializers.deserialize(ours)) is getattr(initializers, name)


@pytest.mark.parametrize("name", list(STATISTICS))
def test_sample_statistics_match_the_keras_formula(name):
    kwargs, mean, std = STATISTICS[name]
    values = np.asarray(getattr(initializers, name)(seed=0, **kwargs)(SHAPE))
    assert values.shape == SHAPE and values.dtype == np.float32
    assert abs(values.mean() - mean) < 0.02 * max(std, abs(mean))
    assert values.std() == pytest.approx(std, rel=0.02)


@pytest.mark.parametrize("name", ["GlorotUniform", "HeUniform", "LecunUniform"])
def test_uniform_variance_scaling_stays_within_its_limit(name):
    values = np.asarray(getattr(initializers, name)(seed=1)(SHAPE))
    limit = math.sqrt(3.0) * STATISTICS[name][2]
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.99 * limit


def test_truncated_normal_stays_within_two_stddevs():
    values = np.asarray(initializers.TruncatedNormal(mean=1.0, stddev=0.5, seed=2)(SHAPE))
    assert values.min() >= 0.0 - 1e-6 and values.max() <= 2.0 + 1e-6


def test_fans_of_convolution_kernels_include_the_receptive_field():
    assert initializers.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((2, 3, 4), input_axes=[0, 1], output_axes=[2]) == (6, 4)


@pytest.mark.parametrize("name", RANDOM_CLASSES)
def test_int_seed_gives_the_same_values_as_keras(name):
    shape = (6, 5)
    ours = np.asarray(getattr(initializers, name)(seed=42)(shape))
    theirs = np.asarray(getattr(keras.initializers, name)(seed=42)(shape))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_seed_semantics_follow_keras():
    # int seed: repeated calls and new instances repeat; None: one instance repeats, two differ.
    seeded = initializers.GlorotUniform(seed=1)
    np.testing.assert_array_equal(seeded((3, 3)), seeded((3, 3)))
    np.testing.assert_array_equal(seeded((3, 3)), initializers.GlorotUniform(seed=1)((3, 3)))
    unseeded = initializers.GlorotUniform()
    np.testing.assert_array_equal(unseeded((3, 3)), unseeded((3, 3)))
    assert not np.array_equal(unseeded((3, 3)), initializers.GlorotUniform()((3, 3)))
    assert not np.array_equal(unseeded((3, 3)), unseeded.clone()((3, 3)))
    # A SeedGenerator gives new values on each call, reproducibly.
    generated = initializers.RandomNormal(seed=random.SeedGenerator(5))
    first, second = generated((3, 3)), generated((3, 3))
    assert not np.array_equal(first, second)
    keras_generated = keras.initializers.RandomNormal(seed=keras.random.SeedGenerator(5))
    np.testing.assert_allclose(first, keras_generated((3, 3)), rtol=1e-6)
    np.testing.assert_allclose(second, keras_generated((3, 3)), rtol=1e-6)


def test_seed_generator_seed_round_trips_through_config():
    initializer = initializers.RandomUniform(seed=random.SeedGenerator(9, name="init_seed"))
    config = initializer.get_config()
    assert config["seed"]["class_name"] == "SeedGenerator"
    assert config["seed"]["config"] == {"seed": 9, "name": "init_seed"}
    revived = initializers.RandomUniform.from_config(config)
    assert isinstance(revived.seed, random.SeedGenerator)
    np.testing.assert_array_equal(revived((2, 2)), initializers.RandomUniform(seed=random.SeedGenerator(9))((2, 2)))


def test_bad_seed_is_rejected():
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed="abc")


@pytest.mark.parametrize("shape", [(30, 30), (20, 50), (50, 20), (3, 3, 4, 8)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape):
    values = np.asarray(initializers.Orthogonal(gain=1.0, seed=3)(shape), dtype=np.float64)
    matrix = values.reshape(-1, shape[-1])
    if matrix.shape[0] < matrix.shape[1]:
        gram = matrix @ matrix.T
    else:
        gram = matrix.T @ matrix
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]), atol=1e-5)
    scaled = np.asarray(initializers.Orthogonal(gain=2.0, seed=3)(shape))
    np.testing.assert_allclose(scaled, 2.0 * values, rtol=1e-5, atol=1e-6)


def test_orthogonal_rejects_vectors():
    with pytest.raises(ValueError, match="rank 2"):
        initializers.Orthogonal()((5,))


def test_constant_zeros_ones_and_identity_are_exact():
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 3)), np.full((2, 3), 2.5))
    np.testing.assert_array_equal(initializers.Zeros()((4,)), np.zeros(4))
    np.testing.assert_array_equal(initializers.Ones()((2, 2), dtype="int32"), np.ones((2, 2)))
    assert initializers.Ones()((2,), dtype="int32").dtype == jnp.int32
    assert initializers.Zeros()((2,), dtype="bfloat16").dtype == jnp.bfloat16
    np.testing.assert_array_equal(initializers.Identity()((2, 3)), np.eye(2, 3))
    np.testing.assert_array_equal(initializers.Identity(gain=3.0)((3, 3)), 3.0 * np.eye(3))
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))


def test_constant_with_an_array_value_round_trips():
    value = np.arange(6, dtype="float32").reshape(2, 3)
    initializer = initializers.Constant(value)
    config = initializer.get_config()
    assert config == keras.initializers.Constant(value).get_config()
    revived = initializers.Constant.from_config(config)
    np.testing.assert_array_equal(revived((2, 3)), value)


def test_identity_keeps_a_custom_gain_through_its_config():
    assert initializers.Identity().get_config() == {}
    revived = initializers.Identity.from_config(initializers.Identity(gain=2.0).get_config())
    assert revived.gain == 2.0


def test_stft_kernel_matches_keras():
    for kwargs in [{}, {"side": "imag", "window": "hamming", "scaling": "spectrum", "periodic": True}, {"window": None}]:
        ours = initializers.STFT(**kwargs)((16, 1, 9))
        theirs = keras.initializers.STFT(**kwargs)((16, 1, 9))
        # Keras builds the angles in float32; ours are float64, so allow float32 rounding of them.
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_get_resolves_names_aliases_dicts_classes_and_arrays():
    assert type(initializers.get("glorot_uniform")) is initializers.GlorotUniform
    assert type(initializers.get("GlorotUniform")) is initializers.GlorotUniform
    assert type(initializers.get("IdentityInitializer")) is initializers.Identity
    assert type(initializers.get("uniform")) is initializers.RandomUniform
    assert type(initializers.get("zero")) is initializers.Zeros
    assert initializers.get(None) is None
    assert type(initializers.get(initializers.Ones)) is initializers.Ones
    keras_config = keras.initializers.serialize(keras.initializers.HeNormal(seed=3))
    revived = initializers.get(keras_config)
    assert type(revived) is initializers.HeNormal and revived.seed == 3
    assert type(initializers.get({"class_name": "Ones", "config": {}})) is initializers.Ones
    array_initializer = initializers.get(np.ones((2, 2)))
    np.testing.assert_array_equal(array_initializer((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        array_initializer((3, 3))


def test_get_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"Unknown initializer: 'nope'\. Valid names: \[.*'glorot_uniform'"):
        initializers.get("nope")


def test_aliases_are_the_same_classes_as_in_keras():
    for name in dir(keras.initializers):
        if name.startswith("_") or name in ("get", "serialize", "deserialize"):
            continue
        ours = getattr(initializers, name)
        theirs = getattr(keras.initializers, name)
        assert ours.__name__ == theirs.__name__, name


def test_canonical_names_match_keras():
    for name in ALL_CLASSES:
        ours = serialization_lib.serialize_keras_object(getattr(initializers, name)())
        assert ours["module"] == "keras.initializers" and ours["class_name"] == name
    assert initializers.serialize(initializers.Initializer())["module"] == "keras"


def test_variance_scaling_validates_its_arguments():
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sideways")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"


def test_base_initializer_requires_call():
    with pytest.raises(NotImplementedError):
        initializers.Initializer()((2,))
