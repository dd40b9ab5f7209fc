import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import workbench  # noqa: E402
from tests.layer_test import keras_oracle, run_layer_test  # noqa: E402
from workbench import layers  # noqa: E402
from workbench.backend.tensor_attributes import get_mask  # noqa: E402

ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]


@pytest.mark.parametrize("layer_name", ELEMENTWISE)
@pytest.mark.parametrize("input_shape", [[(2, 3), (2, 3)], [(2, 4, 3), (2, 4, 3)], [(2, 4, 3), (2, 1, 3)]])
def test_elementwise_merge(layer_name, input_shape):
    run_layer_test(layer_name, input_shape=input_shape, expected_output_shape=input_shape[0],
                   supports_masking=True)


@pytest.mark.parametrize("layer_name", ["Add", "Multiply", "Average", "Maximum", "Minimum"])
def test_merge_of_three_inputs(layer_name):
    run_layer_test(layer_name, input_shape=[(2, 3), (2, 3), (2, 3)], expected_output_shape=(2, 3))


@pytest.mark.parametrize("layer_name", ["Add", "Maximum"])
def test_merge_aligns_ranks_like_keras(layer_name):
    run_layer_test(layer_name, input_shape=[(2, 4, 3), (2, 3)], expected_output_shape=(2, 4, 3))


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({}, [(2, 3), (2, 4)], (2, 7)),
    ({"axis": 1}, [(2, 3, 4), (2, 5, 4)], (2, 8, 4)),
    ({"axis": -2}, [(2, 3, 4), (2, 5, 4), (2, 1, 4)], (2, 9, 4)),
])
def test_concatenate(init_kwargs, input_shape, expected):
    run_layer_test("Concatenate", init_kwargs, input_shape=input_shape, expected_output_shape=expected)


@pytest.mark.parametrize("init_kwargs, input_shape, expected", [
    ({"axes": 1}, [(2, 3), (2, 3)], (2, 1)),
    ({"axes": -1}, [(2, 4, 3), (2, 5, 3)], (2, 4, 5)),
    ({"axes": (2, 2)}, [(2, 4, 3), (2, 5, 3)], (2, 4, 5)),
    ({"axes": (1, 2)}, [(2, 3), (2, 5, 3)], (2, 5)),
    ({"axes": (2, 1)}, [(2, 4, 3), (2, 3)], (2, 4)),
    ({"axes": (1, 1)}, [(2, 4, 3, 2), (2, 4, 5)], (2, 3, 2, 5)),
    ({"axes": 1, "normalize": True}, [(2, 3), (2, 3)], (2, 1)),
    ({"axes": (2, 1), "normalize": True}, [(2, 4, 3), (2, 3, 6)], (2, 4, 6)),
])
def test_dot(init_kwargs, input_shape, expected):
    run_layer_test("Dot", init_kwargs, input_shape=input_shape, expected_output_shape=expected)


def test_dot_normalized_is_the_cosine_similarity():
    a, b = np.array([[3.0, 4.0]]), np.array([[4.0, 3.0]])
    np.testing.assert_allclose(layers.Dot(axes=1, normalize=True)([a, b]), [[24.0 / 25.0]], rtol=1e-6)


@pytest.mark.parametrize("function, layer_name, kwargs", [
    (layers.add, "Add", {}), (layers.subtract, "Subtract", {}), (layers.multiply, "Multiply", {}),
    (layers.average, "Average", {}), (layers.maximum, "Maximum", {}), (layers.minimum, "Minimum", {}),
    (layers.concatenate, "Concatenate", {"axis": 1}), (layers.dot, "Dot", {"axes": 1}),
])
def test_functional_forms_match_the_layers(function, layer_name, kwargs):
    rng = np.random.default_rng(0)
    x1, x2 = rng.normal(size=(2, 3)).astype("float32"), rng.normal(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(function([x1, x2], **kwargs), getattr(layers, layer_name)(**kwargs)([x1, x2]))
    inputs = [workbench.Input((3,)), workbench.Input((3,))]
    outputs = function(inputs, name=f"merged_{layer_name.lower()}", **kwargs)
    model = workbench.Model(inputs, outputs)
    assert model.get_layer(f"merged_{layer_name.lower()}").__class__.__name__ == layer_name
    np.testing.assert_allclose(model([x1, x2]), function([x1, x2], **kwargs), rtol=1e-6)


# -- shape errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("layer_name", ELEMENTWISE)
def test_elementwise_merge_rejects_mismatched_shapes(layer_name):
    with pytest.raises(ValueError, match=rf'"{layer_name.lower()}".*\(2, 3\).*\(2, 4\)'):
        getattr(layers, layer_name)()([np.ones((2, 3)), np.ones((2, 4))])


@pytest.mark.parametrize("layer_name", ELEMENTWISE + ["Concatenate"])
def test_merge_rejects_a_single_tensor(layer_name):
    with pytest.raises(ValueError, match=f'"{layer_name.lower()}".*list'):
        getattr(layers, layer_name)()(np.ones((2, 3)))


def test_merge_rejects_different_batch_sizes():
    with pytest.raises(ValueError, match='"add" cannot merge tensors with different batch sizes'):
        layers.Add()([np.ones((2, 3)), np.ones((4, 3))])


def test_subtract_needs_exactly_two_inputs():
    with pytest.raises(ValueError, match='"subtract".*exactly 2 inputs'):
        layers.Subtract()([np.ones((2, 3))] * 3)


def test_concatenate_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r'"concatenate".*except for the concatenation axis'):
        layers.Concatenate(axis=1)([np.ones((2, 3, 4)), np.ones((2, 3, 5))])
    with pytest.raises(ValueError, match='"concatenate_1"'):
        layers.Concatenate()([workbench.KerasTensor((None, 3, 4)), workbench.KerasTensor((None, 4))])


def test_dot_rejects_mismatched_axes():
    with pytest.raises(ValueError, match='"dot".*size 3.*size 4'):
        layers.Dot(axes=1)([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="batch axis 0"):
        layers.Dot(axes=0)([np.ones((2, 3)), np.ones((2, 3))])


@pytest.mark.parametrize("axes", ["1", (1, 2, 3), (1.0, 2)])
def test_dot_rejects_bad_axes(axes):
    with pytest.raises((TypeError, ValueError), match="Received: axes="):
        layers.Dot(axes=axes)


def test_symbolic_merge_shapes():
    a, b = workbench.KerasTensor((None, 4, 3)), workbench.KerasTensor((None, 4, 3))
    assert layers.Add()([a, b]).shape == (None, 4, 3)
    assert layers.Concatenate(axis=1)([a, b]).shape == (None, 8, 3)
    assert layers.Dot(axes=2)([a, b]).shape == (None, 4, 4)
    assert layers.Concatenate()([a, workbench.KerasTensor((None, 4, None))]).shape == (None, 4, None)


# -- masks -----------------------------------------------------------------------------------------
def _masked_pair(keras_module):
    """Two `(2, 4, 3)` inputs run through `Masking`, with different masked steps."""
    rng = np.random.default_rng(3)
    first = rng.normal(size=(2, 4, 3)).astype("float32")
    second = rng.normal(size=(2, 4, 3)).astype("float32")
    first[0, 1] = 0.0
    first[1, 3] = 0.0
    second[0, 1] = 0.0
    second[0, 2] = 0.0
    masking = keras_module.layers.Masking()
    return [masking(first), masking(second)]


def _keras_mask(tensor):
    return getattr(tensor, "_keras_mask", None)


@pytest.mark.parametrize("layer_name, kwargs", [
    ("Add", {}), ("Subtract", {}), ("Multiply", {}), ("Average", {}), ("Maximum", {}),
    ("Minimum", {}), ("Concatenate", {}), ("Concatenate", {"axis": 1}), ("Dot", {"axes": 2}),
])
def test_merge_masks_match_keras(layer_name, kwargs):
    keras = keras_oracle()
    ours = getattr(layers, layer_name)(**kwargs)(_masked_pair(workbench))
    theirs = getattr(keras.layers, layer_name)(**kwargs)(_masked_pair(keras))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    if _keras_mask(theirs) is None:
        assert get_mask(ours) is None
    else:
        np.testing.assert_array_equal(get_mask(ours), _keras_mask(theirs))


def test_merge_mask_is_the_or_of_the_input_masks():
    a, b = _masked_pair(workbench)
    np.testing.assert_array_equal(get_mask(layers.Add()([a, b])), np.logical_or(get_mask(a), get_mask(b)))


def test_merge_with_one_unmasked_input_has_no_mask_but_concatenate_keeps_one():
    a, _ = _masked_pair(workbench)
    plain = np.ones((2, 4, 3), "float32")
    assert get_mask(layers.Add()([a, plain])) is None
    np.testing.assert_array_equal(get_mask(layers.Concatenate(axis=1)([a, plain])),
                                  np.concatenate([get_mask(a), np.ones((2, 4), bool)], axis=1))


def test_maximum_ignores_masked_entries():
    a, b = _masked_pair(workbench)
    ours = np.asarray(layers.Maximum()([a, b]))
    # Step (1, 3) is masked in `a` only: the maximum is `b`'s value, not max(0, b).
    np.testing.assert_array_equal(ours[1, 3], np.asarray(b)[1, 3])


def test_merge_masks_in_a_functional_model():
    inputs = [workbench.Input((4, 3)), workbench.Input((4, 3))]
    merged = layers.Concatenate(axis=1)([layers.Masking()(x) for x in inputs])
    assert get_mask(merged).shape == (None, 8)
    model = workbench.Model(inputs, layers.Identity()(merged))
    data = np.ones((1, 4, 3), "float32")
    data[0, 0] = 0.0
    np.testing.assert_array_equal(get_mask(model([data, data])), [[False, True, True, True] * 2])
