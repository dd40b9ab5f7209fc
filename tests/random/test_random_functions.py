import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from workbench import random
from workbench.backend.stateless_scope import StatelessScope

# name -> (call with a seed, keras call with a seed)
DRAWS = {
    "normal": lambda m, s: m.normal((50, 40), mean=1.0, stddev=2.0, seed=s),
    "uniform": lambda m, s: m.uniform((50, 40), minval=-1.0, maxval=3.0, seed=s),
    "randint": lambda m, s: m.randint((50, 40), minval=-3, maxval=7, seed=s),
    "truncated_normal": lambda m, s: m.truncated_normal((50, 40), mean=0.5, stddev=0.1, seed=s),
    "dropout": lambda m, s: m.dropout(np.ones((50, 40), "float32"), rate=0.3, seed=s),
    "dropout_noise_shape": lambda m, s: m.dropout(np.ones((5, 4, 3), "float32"), 0.5, noise_shape=(None, 1, None), seed=s),
    "shuffle": lambda m, s: m.shuffle(np.arange(60).reshape(20, 3), axis=0, seed=s),
    "categorical": lambda m, s: m.categorical(np.log(np.array([[0.2, 0.8], [0.9, 0.1]], "float32")), 30, seed=s),
    "gamma": lambda m, s: m.gamma((50, 40), alpha=2.0, seed=s),
    "beta": lambda m, s: m.beta((50, 40), alpha=2.0, beta=3.0, seed=s),
    "binomial": lambda m, s: m.binomial((50, 40), counts=10.0, probabilities=0.3, seed=s),
}


@pytest.mark.parametrize("name", list(DRAWS))
def test_int_seed_is_reproducible_and_equals_keras(name):
    ours = np.asarray(DRAWS[name](random, 1234))
    np.testing.assert_array_equal(ours, np.asarray(DRAWS[name](random, 1234)))
    assert not np.array_equal(ours, np.asarray(DRAWS[name](random, 4321)))
    theirs = np.asarray(DRAWS[name](keras.random, 1234))
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_shapes_dtypes_and_ranges():
    x = random.normal((300, 200), mean=1.0, stddev=2.0, seed=0)
    assert x.shape == (300, 200) and x.dtype == jnp.float32
    assert abs(float(x.mean()) - 1.0) < 0.05 and abs(float(x.std()) - 2.0) < 0.05
    u = random.uniform((1000,), minval=2.0, maxval=3.0, dtype="bfloat16", seed=0)
    assert u.dtype == jnp.bfloat16 and float(u.min()) >= 2.0 and float(u.max()) <= 3.0
    r = random.randint((1000,), 0, 5, dtype="int16", seed=0)
    assert r.dtype == jnp.int16 and set(np.asarray(r).tolist()) == {0, 1, 2, 3, 4}
    t = random.truncated_normal((1000,), mean=0.0, stddev=1.0, seed=0)
    assert float(jnp.abs(t).max()) <= 2.0
    g = random.gamma((1000,), alpha=3.0, seed=0)
    assert float(g.min()) > 0 and abs(float(g.mean()) - 3.0) < 0.3
    b = random.beta((1000,), alpha=2.0, beta=2.0, seed=0)
    assert 0.0 <= float(b.min()) and float(b.max()) <= 1.0
    n = random.binomial((1000,), counts=10, probabilities=0.5, seed=0)
    assert n.dtype == jnp.float32 and float(n.min()) >= 0 and float(n.max()) <= 10
    c = random.categorical(jnp.log(jnp.array([[1e-9, 1.0]])), 20, dtype="int16", seed=0)
    assert c.shape == (1, 20) and bool((c == 1).all())
    assert random.normal(4, seed=0).shape == (4,)


def test_dropout_zeroes_a_fraction_and_rescales_the_rest():
    out = np.asarray(random.dropout(np.ones((200, 100), "float32"), rate=0.25, seed=3))
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(out[kept], 1.0 / 0.75)
    np.testing.assert_array_equal(random.dropout(np.ones(3), rate=0.0, seed=0), np.ones(3))
    np.testing.assert_array_equal(random.dropout(np.ones(3), rate=1.0, seed=0), np.zeros(3))


def test_dropout_noise_shape_broadcasts_the_mask():
    out = np.asarray(random.dropout(np.ones((6, 5, 4), "float32"), 0.5, noise_shape=(None, 1, None), seed=1))
    assert (out == out[:, :1, :]).all()


def test_shuffle_permutes_along_an_axis():
    x = np.arange(40).reshape(8, 5)
    shuffled = np.asarray(random.shuffle(x, axis=1, seed=2))
    np.testing.assert_array_equal(np.sort(shuffled, axis=1), x)


def test_dtype_validation():
    with pytest.raises(ValueError, match="floating point"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="integer"):
        random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="2D"):
        random.categorical(np.zeros(3), 2)


def test_seed_generator_gives_new_values_each_call_like_keras():
    ours_generator, keras_generator = random.SeedGenerator(7), keras.random.SeedGenerator(7)
    first = random.normal((3,), seed=ours_generator)
    second = random.normal((3,), seed=ours_generator)
    assert not np.array_equal(first, second)
    np.testing.assert_allclose(first, keras.random.normal((3,), seed=keras_generator), rtol=1e-6)
    np.testing.assert_allclose(second, keras.random.normal((3,), seed=keras_generator), rtol=1e-6)


def test_unseeded_draws_differ_and_follow_the_global_seed():
    assert not np.array_equal(random.normal((4,)), random.normal((4,)))
    random.set_global_seed(11)
    first = [np.asarray(random.uniform((3,))) for _ in range(2)]
    random.set_global_seed(11)
    second = [np.asarray(random.uniform((3,))) for _ in range(2)]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])


def test_unseeded_draw_inside_jit_raises_and_says_how_to_fix_it():
    with pytest.raises(ValueError, match="SeedGenerator"):
        jax.jit(lambda x: x + random.normal((2,)))(jnp.zeros(2))


def test_seed_generator_state_flows_through_jit_in_a_stateless_scope():
    generator = random.SeedGenerator(5)

    @jax.jit
    def draw(state):
        with StatelessScope(state_mapping=[(generator.state, state)]) as scope:
            values = random.dropout(jnp.ones((4, 4)), rate=0.5, seed=generator)
            return values, scope.get_current_value(generator.state)

    state = generator.state.value
    first, state = draw(state)
    second, state = draw(state)
    np.testing.assert_array_equal(state, [5, 2])
    np.testing.assert_array_equal(generator.state.numpy(), [5, 0])  # the variable itself is untouched
    assert not np.array_equal(first, second)
    eager = random.SeedGenerator(5)
    np.testing.assert_array_equal(first, random.dropout(jnp.ones((4, 4)), 0.5, seed=eager))
    np.testing.assert_array_equal(second, random.dropout(jnp.ones((4, 4)), 0.5, seed=eager))


def test_bad_seed_is_rejected():
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed="42")
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed=1.5)


def test_a_key_array_is_passed_through():
    key = random.draw_seed(3)
    np.testing.assert_array_equal(random.normal((2,), seed=key), random.normal((2,), seed=3))


def test_public_names_match_keras():
    public = {n for n in dir(keras.random) if not n.startswith("_")}
    for name in public:
        assert hasattr(random, name), name
