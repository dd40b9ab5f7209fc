"""Fuzzing the config parser: arbitrary JSON raises only the documented errors and runs nothing."""

import copy
import os
import tempfile
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from tests.saving import hostile

MARKER = os.path.join(tempfile.gettempdir(), f"wb-fuzz-{uuid.uuid4().hex}")
# What a bad config may raise. Anything else (AttributeError, IndexError, RecursionError, ...) is a
# parser bug: the loader promises a clear error for every malformed file.
ALLOWED = (ValueError, TypeError, KeyError, NotImplementedError)

NAMES = [
    "Dense", "Sequential", "Functional", "Model", "InputLayer", "Lambda", "Add", "GlorotUniform",
    "Zeros", "DTypePolicy", "relu", "mse", "Adam", "keras", "keras.layers", "keras.models",
    "keras.initializers", "keras.activations", "keras.src.models.functional", "keras.saving",
    "load_model", "save_model", "keras.utils", "get_file", "keras.config",
    "enable_unsafe_deserialization", "function", "type", "__lambda__", "__numpy__", "__tensor__",
    "__bytes__", "__slice__", "__ellipsis__", "__keras_tensor__", "__typespec__", "os", "system",
    "builtins", "exec", "eval", "subprocess", "Popen", "call", "float32", "int8", "Custom>Thing",
    f"touch {MARKER}", hostile.marker_code(MARKER), hostile.lambda_bytecode(MARKER),
]
KEYS = [
    "class_name", "module", "config", "registered_name", "build_config", "compile_config", "name",
    "units", "activation", "kernel_initializer", "layers", "input_layers", "output_layers",
    "inbound_nodes", "args", "kwargs", "function", "arguments", "output_shape", "mask", "value",
    "dtype", "shape", "batch_shape", "keras_history", "start", "stop", "step", "code", "defaults",
    "closure", "input_shape", "trainable", "build_input_shape", "optimizer", "loss",
]

scalars = (st.none() | st.booleans() | st.integers(-2, 6) | st.floats(allow_nan=True)
           | st.sampled_from(NAMES) | st.text(max_size=6))


def _containers(children):
    names = st.sampled_from(NAMES) | st.text(max_size=6)
    objects = st.fixed_dictionaries(
        {"class_name": names | children, "config": children},
        optional={"module": names | children, "registered_name": names | children,
                  "build_config": children, "compile_config": children},
    )
    return (st.lists(children, max_size=4)
            | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), children, max_size=5)
            | objects)


configs = st.recursive(scalars, _containers, max_leaves=30)


def _legit_configs():
    layers = workbench.layers
    sequential = workbench.Sequential([workbench.Input((4,)), layers.Dense(3, activation="relu"),
                                       layers.BatchNormalization(), layers.Dropout(0.5)])
    a, b = workbench.Input((4,), name="a"), workbench.Input((4,), name="b")
    merged = layers.Concatenate()([layers.Dense(2)(a), layers.Add()([a, b])])
    functional = workbench.Model([a, b], {"out": layers.Dense(1, name="out")(merged)})
    nested = workbench.Sequential([workbench.Input((4,)), sequential, layers.Dense(1)])
    nested.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return [workbench.saving.serialize_keras_object(m) for m in (sequential, functional, nested)]


LEGIT = _legit_configs()


def _paths(value, path=()):
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _paths(child, path + (key,))


def _replace(draw, tree):
    path = draw(st.sampled_from(list(_paths(tree))[1:]))
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = draw(configs)


@st.composite
def mutated_legit_configs(draw):
    """A real model config with one to three subtrees, anywhere, replaced by fuzzed values."""
    config = copy.deepcopy(draw(st.sampled_from(LEGIT)))
    for _ in range(draw(st.integers(1, 3))):
        _replace(draw, config)
    return config


@st.composite
def layer_mutated_model_configs(draw):
    """A real model's `config` with fuzzed values inside its layers' own configs."""
    config = copy.deepcopy(draw(st.sampled_from(LEGIT)))["config"]
    for _ in range(draw(st.integers(1, 3))):
        _replace(draw, draw(st.sampled_from(config["layers"]))["config"])
    return config


@st.composite
def graph_mutated_model_configs(draw):
    """A real model's `config` with fuzzed subtrees anywhere, graph structure included."""
    return draw(mutated_legit_configs()).get("config") or {}


model_configs = (st.dictionaries(st.sampled_from(KEYS), configs, max_size=6)
                 | layer_mutated_model_configs() | graph_mutated_model_configs())
FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _outcome(function):
    try:
        function()
    except ALLOWED:
        pass
    assert not os.path.exists(MARKER), "a payload in a fuzzed config ran"


@FUZZ
@given(configs | mutated_legit_configs())
def test_deserialize_keras_object_raises_only_documented_errors(config):
    _outcome(lambda: workbench.saving.deserialize_keras_object(config))


@FUZZ
@given(model_configs)
def test_model_from_config_raises_only_documented_errors(config):
    _outcome(lambda: workbench.models.Model.from_config(config))


# Malformed Functional graphs: each is rejected with a clear error.
def _input_layer(name):
    return {"module": "keras.layers", "class_name": "InputLayer", "name": name, "inbound_nodes": [],
            "config": {"batch_shape": [None, 4], "name": name}}


MALFORMED_GRAPHS = {
    "layers_is_a_dict": {"name": "f", "layers": {"a": 1}, "input_layers": [], "output_layers": []},
    "layers_hold_a_list": {"name": "f", "layers": [[1]], "input_layers": [], "output_layers": []},
    "output_is_a_string": {"name": "f", "layers": [_input_layer("a")], "input_layers": ["a", 0, 0],
                           "output_layers": "a"},
    "output_too_short": {"name": "f", "layers": [_input_layer("a")], "input_layers": ["a", 0, 0],
                         "output_layers": ["a", 0]},
    "output_index_out_of_range": {"name": "f", "layers": [_input_layer("a")],
                                  "input_layers": ["a", 0, 0], "output_layers": ["a", 0, 5]},
}


@pytest.mark.parametrize("case", list(MALFORMED_GRAPHS))
def test_model_from_config_rejects_malformed_graphs_clearly(case):
    _outcome(lambda: workbench.models.Model.from_config(copy.deepcopy(MALFORMED_GRAPHS[case])))


@pytest.mark.parametrize("case", list(MALFORMED_GRAPHS))
def test_deserialize_rejects_malformed_graphs_with_value_error(case):
    config = {"module": "keras.src.models.functional", "class_name": "Functional",
              "config": copy.deepcopy(MALFORMED_GRAPHS[case])}
    with pytest.raises((ValueError, TypeError)):
        workbench.saving.deserialize_keras_object(config)


def test_layer_rejects_a_dtype_dict_that_is_not_a_policy():
    with pytest.raises((ValueError, TypeError)):
        workbench.layers.Dense(2, dtype={})
