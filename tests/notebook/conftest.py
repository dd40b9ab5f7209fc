"""Models with the shapes a graph viewer must handle: a chain, a residual block, two towers, a
shared layer, a transformer block, and models nested in models."""

import pytest

import workbench as keras
from workbench import layers


def transformer_block(name="block", length=10, width=32):
    inputs = keras.Input((length, width), name=f"{name}_in")
    attention = layers.MultiHeadAttention(num_heads=4, key_dim=8, name="attention")(inputs, inputs)
    x = layers.LayerNormalization(name="norm_1")(layers.Add(name="residual_1")([inputs, attention]))
    feed = layers.Dense(2 * width, activation="relu", name="feed_1")(x)
    feed = layers.Dense(width, name="feed_2")(feed)
    outputs = layers.LayerNormalization(name="norm_2")(layers.Add(name="residual_2")([x, feed]))
    return keras.Model(inputs, outputs, name=name)


@pytest.fixture
def sequential():
    return keras.Sequential([keras.Input((8,)), layers.Dense(4, name="hidden"), layers.Dense(2, name="out")],
                            name="chain")


@pytest.fixture
def resnet_block():
    inputs = keras.Input((8, 8, 3), name="image")
    x = layers.Conv2D(8, 3, padding="same", name="stem")(inputs)
    y = layers.BatchNormalization(name="bn")(x)
    y = layers.ReLU(name="relu")(y)
    y = layers.Conv2D(8, 3, padding="same", name="conv")(y)
    x = layers.Add(name="skip")([x, y])
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(inputs, layers.Dense(10, name="logits")(x), name="resnet")


@pytest.fixture
def two_tower():
    user, item = keras.Input((4,), name="user"), keras.Input((6,), name="item")
    u = layers.Dense(8, name="user_2")(layers.Dense(16, name="user_1")(user))
    i = layers.Dense(8, name="item_2")(layers.Dense(16, name="item_1")(item))
    joined = layers.Concatenate(name="join")([u, i])
    return keras.Model([user, item], layers.Dense(1, name="score")(joined), name="towers")


@pytest.fixture
def siamese():
    left, right = keras.Input((5,), name="left"), keras.Input((5,), name="right")
    shared = layers.Dense(3, name="shared")
    joined = layers.Subtract(name="difference")([shared(left), shared(right)])
    return keras.Model([left, right], joined, name="siamese")


@pytest.fixture
def transformer():
    return transformer_block()


@pytest.fixture
def nested():
    """A transformer block called twice, a Sequential head, and a model nested two deep."""
    block = transformer_block()
    inner = keras.Sequential([keras.Input((10, 32)), layers.Dense(32, name="inner_dense")], name="inner")
    wrapper_in = keras.Input((10, 32), name="wrapper_in")
    wrapper = keras.Model(wrapper_in, inner(wrapper_in), name="wrapper")
    inputs = keras.Input((10, 32), name="tokens")
    x = block(block(inputs))
    x = wrapper(x)
    head = keras.Sequential([keras.Input((10, 32)), layers.GlobalAveragePooling1D(name="pool"),
                             layers.Dense(3, name="classes")], name="head")
    return keras.Model(inputs, head(x), name="outer")


class Subclassed(keras.Model):
    def __init__(self):
        super().__init__(name="subclassed")
        self.first = layers.Dense(4, name="first")
        self.second = layers.Dense(2, name="second")

    def call(self, inputs):
        return self.second(self.first(inputs))


@pytest.fixture
def subclassed():
    import numpy as np

    model = Subclassed()
    model(np.zeros((1, 3), "float32"))
    return model
