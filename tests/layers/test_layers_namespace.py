import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle  # noqa: E402
from workbench import layers  # noqa: E402


# -- keras.layers.serialize / deserialize ----------------------------------------------------------
def test_layers_serialize_deserialize_round_trip():
    config = layers.serialize(layers.Embedding(4, 2, mask_zero=True, name="tokens"))
    assert (config["module"], config["class_name"]) == ("keras.layers", "Embedding")
    revived = layers.deserialize(config)
    assert isinstance(revived, layers.Embedding)
    assert revived.name == "tokens" and revived.mask_zero


def test_layers_deserialize_reads_keras_configs_and_bare_class_names():
    keras = keras_oracle()
    revived = layers.deserialize(keras.layers.serialize(keras.layers.Dropout(0.25, seed=1)))
    assert isinstance(revived, layers.Dropout) and revived.rate == 0.25
    bare = layers.deserialize({"class_name": "RepeatVector", "config": {"n": 3}})
    assert isinstance(bare, layers.RepeatVector) and bare.n == 3


def test_layers_deserialize_refuses_a_non_layer():
    with pytest.raises(ValueError, match="does not describe a layer"):
        layers.deserialize(workbench.initializers.serialize(workbench.initializers.Zeros()))


FOUNDATION_NAMES = [
    "Dense", "EinsumDense", "Embedding", "Lambda", "Identity", "Masking", "Activation", "ReLU",
    "LeakyReLU", "PReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
    "Flatten", "Reshape", "Permute", "RepeatVector", "Add", "Subtract", "Multiply", "Average",
    "Maximum", "Minimum", "Concatenate", "Dot", "add", "subtract", "multiply", "average", "maximum",
    "minimum", "concatenate", "dot", "serialize", "deserialize",
]


@pytest.mark.parametrize("name", FOUNDATION_NAMES)
def test_public_names_match_keras(name):
    keras = keras_oracle()
    assert hasattr(keras.layers, name)
    ours = getattr(layers, name)
    assert workbench.api_export.get_name_for_object(ours) == f"keras.layers.{name}"


def _keras_layers():
    keras = keras_oracle()
    K = keras.layers
    return [
        K.EinsumDense("abc,cd->abd", (None, 4), bias_axes="d"), K.Embedding(5, 3, mask_zero=True),
        K.Identity(), K.Masking(1.0), K.Lambda(lambda x: x), K.Activation("tanh"), K.ReLU(2.0),
        K.LeakyReLU(0.1), K.PReLU(shared_axes=[1]), K.ELU(0.4), K.Softmax(axis=[1]),
        K.Dropout(0.3, noise_shape=(None, 1, 3), seed=2), K.SpatialDropout1D(0.2),
        K.SpatialDropout2D(0.2, data_format="channels_first"), K.SpatialDropout3D(0.1),
        K.GaussianNoise(0.2), K.GaussianDropout(0.2), K.AlphaDropout(0.2),
        K.ActivityRegularization(0.1, 0.2), K.Flatten(), K.Reshape((3, -1)), K.Permute((2, 1)),
        K.RepeatVector(3), K.Add(), K.Subtract(), K.Multiply(), K.Average(), K.Maximum(),
        K.Minimum(), K.Concatenate(axis=1), K.Dot((1, 2), normalize=True),
    ]


def _json(value):
    return json.loads(json.dumps(value))


def test_keras_layer_configs_load_and_write_back_unchanged():
    keras = keras_oracle()
    for keras_layer in _keras_layers():
        with workbench.saving.serialization_lib.SafeModeScope(False):
            ours = layers.deserialize(_json(keras.layers.serialize(keras_layer)))
        assert type(ours).__name__ == type(keras_layer).__name__
        theirs = _json({k: v for k, v in keras_layer.get_config().items() if k != "name"})
        mine = _json({k: v for k, v in ours.get_config().items() if k != "name"})
        if type(ours).__name__.startswith("SpatialDropout"):
            # Keras writes only the variable dtype's name here; we keep the whole policy.
            assert theirs.pop("dtype") == mine.pop("dtype")["config"]["name"]
        if isinstance(ours, layers.Lambda):
            theirs.pop("function")
            mine.pop("function")
        assert mine == theirs, type(ours).__name__
