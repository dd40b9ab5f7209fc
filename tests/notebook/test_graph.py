"""The model -> graph extraction behind the graph viewer and plot_model."""

import numpy as np
import pytest

import workbench as keras
from workbench import layers
from workbench.notebook.graph import model_graph, sparkline, weight_summaries


def ids(graph):
    return [node.id for node in graph.nodes]


def incoming(graph, node_id):
    return [edge for edge in graph.edges if edge.target == node_id]


def test_sequential_graph_is_a_chain_with_shapes(sequential):
    graph = model_graph(sequential)
    assert graph.kind == "sequential"
    assert [n.class_name for n in graph.nodes] == ["InputLayer", "Dense", "Dense"]
    assert [(e.target, e.shape) for e in graph.edges] == [("hidden", "(None, 8)"), ("out", "(None, 4)")]
    assert graph.node("hidden").params == 8 * 4 + 4
    assert graph.node("out").output_shape == "(None, 2)"


def test_unbuilt_sequential_lists_its_layers_in_order():
    model = keras.Sequential([layers.Dense(4, name="a"), layers.Dense(2, name="b")])
    graph = model_graph(model)
    assert ids(graph) == ["a", "b"]
    assert [(e.source, e.target, e.shape) for e in graph.edges] == [("a", "b", "?")]
    assert graph.node("a").params == 0


def test_subclassed_model_shows_its_layers_joined_by_order_edges(subclassed):
    graph = model_graph(subclassed)
    assert graph.kind == "subclassed"
    assert ids(graph) == ["first", "second"]
    assert [e.data_flow for e in graph.edges] == [False]
    assert graph.node("first").params == 3 * 4 + 4


def test_resnet_block_has_a_skip_edge_into_add(resnet_block):
    graph = model_graph(resnet_block)
    assert ids(graph) == ["image", "stem", "bn", "relu", "conv", "skip", "pool", "logits"]
    assert sorted(e.source for e in incoming(graph, "skip")) == ["conv", "stem"]
    assert {n.id: n.family for n in graph.nodes if n.id in ("stem", "bn", "skip", "pool", "image")} == {
        "stem": "conv", "bn": "normalization", "skip": "merge", "pool": "pooling", "image": "input"}
    assert all(e.shape == "(None, 8, 8, 8)" for e in incoming(graph, "skip"))


def test_two_tower_model_has_two_inputs_meeting_at_the_join(two_tower):
    graph = model_graph(two_tower)
    assert len(graph.nodes) == 8
    assert sorted(n.id for n in graph.nodes if n.family == "input") == ["item", "user"]
    assert sorted(e.source for e in incoming(graph, "join")) == ["item_2", "user_2"]
    assert graph.node("join").input_shape == "[(None, 8), (None, 8)]"


def test_shared_layer_is_one_node_with_an_edge_per_call(siamese):
    graph = model_graph(siamese)
    assert ids(graph).count("shared") == 1
    assert sorted(e.source for e in incoming(graph, "shared")) == ["left", "right"]
    assert [e.source for e in incoming(graph, "difference")] == ["shared"]


def test_transformer_block_nodes_and_families(transformer):
    graph = model_graph(transformer)
    assert ids(graph) == ["block_in", "attention", "residual_1", "norm_1", "feed_1", "feed_2",
                          "residual_2", "norm_2"]
    assert graph.node("attention").family == "attention"
    assert graph.node("attention").label == "attention (MultiHeadAttention)"
    assert graph.node("feed_1").output_shape == "(None, 10, 64)"
    assert sorted(e.source for e in incoming(graph, "residual_2")) == ["feed_2", "norm_1"]


def test_nested_models_are_single_nodes_until_expanded(nested):
    collapsed = model_graph(nested)
    assert ids(collapsed) == ["tokens", "block", "wrapper", "head"]
    assert collapsed.nested == ["block", "wrapper", "head"]
    assert collapsed.node("block").expandable and collapsed.node("block").family == "model"

    opened = model_graph(nested, expanded=["head"])
    assert "head" not in ids(opened)
    assert ids(opened)[-2:] == ["head/pool", "head/classes"]
    assert opened.groups == {"head": ["head/pool", "head/classes"]}
    assert [(e.source, e.shape) for e in incoming(opened, "head/pool")] == [("wrapper", "(None, 10, 32)")]


def test_expanding_every_level_opens_models_inside_models(nested):
    graph = model_graph(nested, expanded=True)
    assert "wrapper/inner/inner_dense" in ids(graph)
    assert graph.groups["wrapper"] == ["wrapper/inner"]
    assert graph.node("wrapper/inner/inner_dense").parent == "wrapper/inner"
    # the block is called twice: its layers appear once, fed from the input and from itself
    assert ids(graph).count("block/attention") == 1
    assert sorted(e.source for e in incoming(graph, "block/attention")) == ["block/norm_2", "tokens"]


def test_expanding_an_unknown_model_names_the_choices(nested):
    with pytest.raises(ValueError, match=r"'dense'.*can be expanded: \['block', 'wrapper', 'head'\]"):
        model_graph(nested, expanded=["dense"])


def test_graph_of_a_non_model_is_a_clear_type_error():
    with pytest.raises(TypeError, match="must be a workbench Model.*Received: model=.*Dense"):
        model_graph(layers.Dense(2))


def test_ops_called_in_a_functional_graph_are_op_nodes():
    inputs = keras.Input((3,), name="x")
    outputs = keras.ops.add(layers.Dense(3, name="d")(inputs), inputs)
    graph = model_graph(keras.Model(inputs, outputs))
    op_nodes = [n for n in graph.nodes if n.family == "op"]
    assert len(op_nodes) == 1
    assert sorted(e.source for e in incoming(graph, op_nodes[0].id)) == ["d", "x"]


def test_weight_summaries_histogram_every_value():
    layer = layers.Dense(5, name="d")
    layer.build((None, 7))
    kernel, bias = weight_summaries(layer, bins=6)
    assert kernel["shape"] == (7, 5) and bias["shape"] == (5,)
    assert sum(kernel["counts"]) == 35 and len(kernel["edges"]) == 7
    assert kernel["min"] == pytest.approx(float(np.min(layer.kernel.numpy())))


def test_sparkline_scales_counts_to_blocks():
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"
