import numpy as np
import pytest

import workbench as keras
from workbench.backend.symbolic import compute_output_spec


def test_keras_tensor_attributes_and_operators_build_graph_nodes():
    x = keras.KerasTensor((None, 3), dtype="float32")
    assert x.shape == (None, 3) and x.dtype == "float32" and x.ndim == 2
    assert keras.backend.is_keras_tensor(x)
    y = (x + 1.0) * 2.0
    assert isinstance(y, keras.KerasTensor) and y.shape == (None, 3)
    z = x[:, :2]
    assert z.shape == (None, 2)
    w = x @ np.ones((3, 5), "float32")
    assert w.shape == (None, 5)


def test_keras_tensor_refuses_numpy_conversion_with_advice():
    x = keras.KerasTensor((None, 3))
    with pytest.raises(ValueError, match="symbolic"):
        np.asarray(x)
    with pytest.raises(TypeError):
        bool(x)


def test_compute_output_spec_keeps_unknown_dims_and_static_ones():
    x = keras.KerasTensor((None, 4, 6))
    out = compute_output_spec(lambda t: t.reshape((t.shape[0], 24)).sum(axis=0), x)
    assert out.shape == (24,)
    out = compute_output_spec(lambda t: t.reshape((-1, 2, 6)), x)
    assert out.shape == (None, 2, 6)
    out = compute_output_spec(lambda t: t.astype("int32"), x)
    assert out.dtype == "int32"


def test_tree_matches_keras_tree():
    import keras as real_keras

    structure = {"b": [1, (2, None)], "a": 3}
    assert keras.tree.flatten(structure) == real_keras.tree.flatten(structure)
    assert keras.tree.is_nested([1]) and not keras.tree.is_nested(1)
    doubled = keras.tree.map_structure(lambda v: None if v is None else v * 2, structure)
    assert doubled == {"b": [2, (4, None)], "a": 6}
    packed = keras.tree.pack_sequence_as(structure, [10, 20, 30, 40])
    assert packed == real_keras.tree.pack_sequence_as(structure, [10, 20, 30, 40])
    with pytest.raises(ValueError):
        keras.tree.assert_same_structure([1, 2], [1, [2, 3]])
    assert keras.tree.lists_to_tuples([1, [2]]) == (1, (2,))
