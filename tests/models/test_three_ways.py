"""The three ways to build a model, as in the Keras guides, against real Keras given the same weights."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import workbench
from tests.layer_test import assert_close, keras_oracle


def copy_weights(ours, theirs):
    assert len(ours.weights) == len(theirs.weights)
    for a, b in zip(ours.weights, theirs.weights):
        assert tuple(a.shape) == tuple(b.shape), (a.path, b.path)
        b.assign(np.asarray(a.value))


def build_sequential(lib):
    return lib.Sequential([
        lib.Input(shape=(16,)),
        lib.layers.Dense(32, activation="relu"),
        lib.layers.Dense(8, activation="tanh"),
        lib.layers.Dense(3, activation="softmax"),
    ])


def build_functional(lib):
    image = lib.Input(shape=(12,), name="image")
    meta = lib.Input(shape=(4,), name="meta")
    shared = lib.layers.Dense(8, activation="relu", name="shared")
    a = shared(image)
    b = lib.layers.Dense(8, name="meta_proj")(meta)
    x = lib.layers.Dense(6, activation="gelu")(lib.ops.concatenate([a, b], axis=-1))
    head = lib.layers.Dense(2, name="head")(x)
    score = lib.layers.Dense(1, activation="sigmoid", name="score")(a)
    return lib.Model(inputs=[image, meta], outputs=[head, score])


def build_subclassed(lib):
    class MLP(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = lib.layers.Dense(10, activation="relu")
            self.out = lib.layers.Dense(4)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    return MLP()


@pytest.mark.parametrize("builder,inputs", [
    (build_sequential, lambda rng: rng.normal(size=(5, 16)).astype("float32")),
    (build_functional, lambda rng: [rng.normal(size=(5, 12)).astype("float32"),
                                    rng.normal(size=(5, 4)).astype("float32")]),
    (build_subclassed, lambda rng: rng.normal(size=(5, 7)).astype("float32")),
])
def test_model_matches_keras_outputs_gradients_and_param_counts(builder, inputs):
    keras = keras_oracle()
    data = inputs(np.random.default_rng(0))
    ours = builder(workbench)
    theirs = builder(keras)
    ours_out = ours(data)
    theirs(data)
    copy_weights(ours, theirs)
    assert_close(ours_out, theirs(data), what="model outputs")
    assert ours.count_params() == theirs.count_params()
    assert len(ours.trainable_weights) == len(theirs.trainable_weights)

    def scalar(outputs):
        return sum(jnp.sum(jnp.square(o)) for o in jax.tree_util.tree_leaves(outputs))

    ours_grads = jax.grad(lambda t: scalar(ours.stateless_call(t, [], data)[0]))(
        [v.value for v in ours.trainable_variables])
    theirs_grads = jax.grad(lambda t: scalar(theirs.stateless_call(t, [], data)[0]))(
        [v.value for v in theirs.trainable_variables])
    assert_close(ours_grads, theirs_grads, rtol=1e-5, atol=1e-6, what="gradients")


def summary_lines(model):
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    return "\n".join(lines)


@pytest.mark.parametrize("builder", [build_sequential, build_functional])
def test_summary_reports_the_same_parameter_counts_as_keras(builder):
    keras = keras_oracle()
    ours, theirs = builder(workbench), builder(keras)
    ours_text, theirs_text = summary_lines(ours), summary_lines(theirs)
    for label in ("Total params", "Trainable params", "Non-trainable params"):
        ours_line = next(line for line in ours_text.splitlines() if label in line)
        theirs_line = next(line for line in theirs_text.splitlines() if label in line)
        assert ours_line.strip() == theirs_line.strip()
    for layer in ours.layers:
        assert f"{layer.name} ({type(layer).__name__})" in ours_text or layer.name in ours_text
    if builder is build_functional:
        assert "Connected to" in ours_text and "shared[0][0]" in ours_text


def test_weight_paths_match_keras():
    keras = keras_oracle()
    workbench.backend.clear_session()
    keras.backend.clear_session()
    for builder in (build_sequential, build_functional):
        ours, theirs = builder(workbench), builder(keras)
        assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
