"""The public names of the namespaces this foundation covers match Keras 3's."""

import inspect

import pytest

import workbench
from tests.layer_test import keras_oracle


def public(module):
    return {name for name in dir(module) if not name.startswith("_")}


# Namespaces fully covered by the foundation: every Keras name must exist here.
FULL = ["activations", "initializers", "regularizers", "constraints", "random", "tree", "backend"]

FOUNDATION_LAYERS = {
    "Layer", "Input", "InputLayer", "InputSpec", "Dense", "EinsumDense", "Embedding", "Lambda",
    "Identity", "Masking", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Dropout",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "ActivityRegularization", "Flatten", "Reshape", "Permute", "RepeatVector", "Add",
    "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "add", "subtract",
    "multiply", "average", "maximum", "minimum", "concatenate", "dot", "serialize", "deserialize",
}
FOUNDATION_TOP_LEVEL = {
    "Model", "Sequential", "Input", "Layer", "InputSpec", "Operation", "Function", "KerasTensor",
    "Variable", "Initializer", "Regularizer", "DTypePolicy", "FloatDTypePolicy", "StatelessScope",
    "name_scope", "version", "activations", "backend", "config", "constraints", "dtype_policies",
    "initializers", "layers", "mixed_precision", "models", "ops", "random", "regularizers", "saving",
    "tree", "utils", "datasets",
}


@pytest.mark.parametrize("namespace", FULL)
def test_namespace_has_every_keras_name(namespace):
    keras = keras_oracle()
    missing = public(getattr(keras, namespace)) - public(getattr(workbench, namespace))
    assert not missing, f"workbench.{namespace} lacks {sorted(missing)}"


def test_foundation_layers_and_top_level_names_exist_in_both():
    keras = keras_oracle()
    assert FOUNDATION_LAYERS <= public(keras.layers)
    assert FOUNDATION_LAYERS <= public(workbench.layers), sorted(FOUNDATION_LAYERS - public(workbench.layers))
    assert FOUNDATION_TOP_LEVEL <= public(keras)
    assert FOUNDATION_TOP_LEVEL <= public(workbench), sorted(FOUNDATION_TOP_LEVEL - public(workbench))
    for name in ("DTypePolicy", "FloatDTypePolicy", "get", "serialize", "deserialize"):
        assert hasattr(workbench.dtype_policies, name)
    for name in ("Model", "Sequential", "clone_model"):
        assert hasattr(workbench.models, name)
    for name in ("floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format",
                 "set_image_data_format", "dtype_policy", "set_dtype_policy", "backend",
                 "enable_unsafe_deserialization"):
        assert hasattr(workbench.config, name)
    for name in ("set_random_seed", "to_categorical", "normalize", "register_keras_serializable",
                 "serialize_keras_object", "deserialize_keras_object", "custom_object_scope",
                 "get_registered_name", "get_registered_object", "clear_session", "standardize_dtype"):
        assert hasattr(workbench.utils, name)


def _parameters(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    return [p.name for p in inspect.signature(target).parameters.values()
            if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name != "self"]


@pytest.mark.parametrize("namespace,names", [
    ("layers", sorted(FOUNDATION_LAYERS - {"serialize", "deserialize", "Input", "Layer"})),
    ("activations", None),
    ("initializers", None),
    ("regularizers", None),
    ("constraints", None),
    ("random", None),
])
def test_constructor_and_function_arguments_match_keras(namespace, names):
    keras = keras_oracle()
    ours_ns, theirs_ns = getattr(workbench, namespace), getattr(keras, namespace)
    names = names or sorted(public(theirs_ns))
    mismatched = {}
    for name in names:
        theirs, ours = getattr(theirs_ns, name), getattr(ours_ns, name)
        if not callable(theirs) or inspect.ismodule(theirs):
            continue
        try:
            expected = _parameters(theirs)
        except (TypeError, ValueError):
            continue
        got = _parameters(ours)
        if got[: len(expected)] != expected and set(expected) - set(got):
            mismatched[name] = (got, expected)
    assert not mismatched, mismatched


def test_utils_to_categorical_and_set_random_seed():
    import numpy as np

    np.testing.assert_array_equal(workbench.utils.to_categorical([0, 2, 1], 3),
                                  keras_oracle().utils.to_categorical([0, 2, 1], 3))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        workbench.utils.to_categorical([3], 3)
    workbench.utils.set_random_seed(5)
    a = workbench.random.normal((3,))
    workbench.utils.set_random_seed(5)
    b = workbench.random.normal((3,))
    np.testing.assert_array_equal(a, b)
