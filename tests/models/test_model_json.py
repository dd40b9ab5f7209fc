"""`Model.to_json()` and `keras.models.model_from_json` round-trip, and read Keras's JSON."""

import json

import keras as real_keras
import numpy as np

import workbench as keras


def test_json_round_trip_rebuilds_the_architecture():
    inputs = keras.Input(shape=(4,), name="x")
    outputs = keras.layers.Dense(3, activation="relu", name="hidden")(inputs)
    model = keras.Model(inputs, outputs, name="tiny")
    text = model.to_json(indent=1)
    assert json.loads(text)["class_name"] == "Functional"
    clone = keras.models.model_from_json(text)
    assert clone.name == "tiny" and clone.layers[1].activation.__name__ == "relu"
    assert clone.count_params() == model.count_params()
    assert clone(np.ones((2, 4), "float32")).shape == (2, 3)


def test_model_from_json_reads_keras_json():
    theirs = real_keras.Sequential([real_keras.Input(shape=(5,)), real_keras.layers.Dense(2)])
    ours = keras.models.model_from_json(theirs.to_json())
    assert isinstance(ours, keras.Sequential) and ours.count_params() == 12
