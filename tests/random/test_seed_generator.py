import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np
import pytest

from workbench import random
from workbench.backend import naming
from workbench.backend.stateless_scope import StatelessScope
from workbench.random import seed_generator as seed_generator_module
from workbench.saving import serialization_lib


def test_state_is_a_non_trainable_uint32_variable_named_like_keras():
    generator = random.SeedGenerator(3, name="my_generator")
    state = generator.state
    assert state.name == "seed_generator_state"
    assert state.path == "my_generator/seed_generator_state"
    assert state.shape == (2,) and state.dtype == "uint32" and not state.trainable
    np.testing.assert_array_equal(state.numpy(), [3, 0])


def test_state_path_nests_inside_an_outer_scope():
    with naming.name_scope("dropout"):
        generator = random.SeedGenerator(1, name="seed_generator")
    assert generator.state.path == "dropout/seed_generator/seed_generator_state"


def test_default_names_are_unique():
    first, second = random.SeedGenerator(), random.SeedGenerator()
    assert first.name.startswith("seed_generator") and first.name != second.name


def test_next_advances_the_state():
    generator = random.SeedGenerator(9)
    key = generator.next()
    np.testing.assert_array_equal(key, [9, 0])
    np.testing.assert_array_equal(generator.state.numpy(), [9, 1])
    generator.next()
    np.testing.assert_array_equal(generator.state.numpy(), [9, 2])
    unordered = generator.next(ordered=False)
    np.testing.assert_array_equal(unordered, [9, 2])
    assert not np.array_equal(generator.state.numpy(), [9, 3])


def test_next_in_a_stateless_scope_records_instead_of_mutating():
    generator = random.SeedGenerator(4)
    with StatelessScope() as scope:
        generator.next()
        generator.next()
        recorded = scope.get_current_value(generator.state)
    np.testing.assert_array_equal(recorded, [4, 2])
    np.testing.assert_array_equal(generator.state.numpy(), [4, 0])


def test_unseeded_generators_follow_the_global_seed():
    random.set_global_seed(21)
    first = random.SeedGenerator().state.numpy()
    random.set_global_seed(21)
    np.testing.assert_array_equal(random.SeedGenerator().state.numpy(), first)
    assert seed_generator_module.get_global_seed() == 21


def test_set_global_seed_also_seeds_numpy_and_python():
    import random as python_random

    random.set_global_seed(5)
    values = (np.random.rand(), python_random.random())
    random.set_global_seed(5)
    assert values == (np.random.rand(), python_random.random())
    with pytest.raises(ValueError, match="integer"):
        random.set_global_seed("5")


def test_config_round_trip_and_serialized_form_match_keras():
    generator = random.SeedGenerator(3, name="seeds")
    assert generator.get_config() == {"seed": 3, "name": "seeds"}
    revived = random.SeedGenerator.from_config(generator.get_config())
    np.testing.assert_array_equal(revived.state.numpy(), generator.state.numpy())
    ours = serialization_lib.serialize_keras_object(generator)
    theirs = keras.saving.serialize_keras_object(keras.random.SeedGenerator(3, name="seeds"))
    assert ours == theirs
    assert isinstance(serialization_lib.deserialize_keras_object(theirs), random.SeedGenerator)
    assert random.SeedGenerator(name="unseeded").get_config()["seed"] is None


def test_seed_must_be_an_integer():
    with pytest.raises(ValueError, match="integer"):
        random.SeedGenerator(seed=1.5)
