"""`Normalization.mean` and `.variance` read as in Keras: broadcast-shaped, after adapt or given."""

import keras as real_keras
import numpy as np

import workbench as keras

DATA = np.array([[1.0, 200.0], [2.0, 300.0], [3.0, 400.0]], dtype="float32")


def test_adapted_statistics_match_keras():
    ours, theirs = keras.layers.Normalization(), real_keras.layers.Normalization()
    assert ours.mean is None
    ours.adapt(DATA)
    theirs.adapt(DATA)
    for name in ("mean", "variance"):
        expected = np.asarray(getattr(theirs, name))
        np.testing.assert_allclose(np.asarray(getattr(ours, name)), expected, rtol=1e-6)
        assert np.asarray(getattr(ours, name)).shape == (1, 2)


def test_given_statistics_match_keras():
    ours = keras.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    theirs = real_keras.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    ours.build((None, 2))
    theirs.build((None, 2))
    np.testing.assert_allclose(np.asarray(ours.variance), np.asarray(theirs.variance))
    np.testing.assert_allclose(np.asarray(ours.mean), np.asarray(theirs.mean))
