"""The layered layout: boxes never overlap, edges follow the rank direction, crossings are removed."""

import itertools

import pytest

from workbench.notebook.graph import model_graph
from workbench.notebook.graph_layout import _isotonic, layered_layout

MODELS = ["sequential", "resnet_block", "two_tower", "siamese", "transformer", "nested"]


def layout_of(model, rankdir="TB", expanded=()):
    graph = model_graph(model, expanded=expanded)
    sizes = {n.id: (40.0 + 7 * len(n.label), 36.0) for n in graph.nodes}
    return graph, layered_layout([n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges],
                                 sizes, rankdir=rankdir)


def boxes_overlap(layout, a, b):
    (xa, ya), (wa, ha) = layout.positions[a], layout.sizes[a]
    (xb, yb), (wb, hb) = layout.positions[b], layout.sizes[b]
    return abs(xa - xb) < (wa + wb) / 2 and abs(ya - yb) < (ha + hb) / 2


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
@pytest.mark.parametrize("name", MODELS)
def test_no_two_boxes_overlap(name, rankdir, request):
    graph, layout = layout_of(request.getfixturevalue(name), rankdir, expanded=True if name == "nested" else ())
    assert set(layout.positions) == {n.id for n in graph.nodes}
    for a, b in itertools.combinations(layout.positions, 2):
        assert not boxes_overlap(layout, a, b), (a, b)
    for node_id, (x, y) in layout.positions.items():
        w, h = layout.sizes[node_id]
        assert -1e-6 <= x - w / 2 and x + w / 2 <= layout.width + 1e-6
        assert -1e-6 <= y - h / 2 and y + h / 2 <= layout.height + 1e-6


@pytest.mark.parametrize("rankdir,axis,sign", [("TB", 1, 1), ("LR", 0, 1), ("BT", 1, -1), ("RL", 0, -1)])
@pytest.mark.parametrize("name", ["resnet_block", "two_tower", "transformer"])
def test_every_edge_of_a_dag_runs_in_the_rank_direction(name, rankdir, axis, sign, request):
    graph, layout = layout_of(request.getfixturevalue(name), rankdir)
    assert not layout.reversed_edges
    for edge in graph.edges:
        route = layout.routes[(edge.source, edge.target)]
        steps = [sign * (b[axis] - a[axis]) for a, b in zip(route, route[1:])]
        assert all(step > 0 for step in steps), (edge, route)
        source, target = layout.positions[edge.source], layout.positions[edge.target]
        assert sign * (target[axis] - source[axis]) > 0


def crossings(graph, layout):
    count = 0
    segments = []
    for edge in graph.edges:
        route = layout.routes[(edge.source, edge.target)]
        segments += [(edge, a, b) for a, b in zip(route, route[1:])]
    for (e1, a1, b1), (e2, a2, b2) in itertools.combinations(segments, 2):
        if {e1.source, e1.target} & {e2.source, e2.target}:
            continue
        if a1[1] == a2[1] and b1[1] == b2[1] and (a1[0] - a2[0]) * (b1[0] - b2[0]) < 0:
            count += 1
    return count


@pytest.mark.parametrize("name", ["resnet_block", "two_tower", "transformer"])
def test_planar_models_are_drawn_without_crossings(name, request):
    graph, layout = layout_of(request.getfixturevalue(name))
    assert crossings(graph, layout) == 0


def test_barycenter_ordering_untangles_a_crossed_pair():
    # The depth-first start order puts a above b but their children the other way round.
    edges = [("a", "c2"), ("b", "c1"), ("root", "a"), ("root", "b"), ("root", "c1")]
    nodes = ["root", "a", "b", "c1", "c2"]
    layout = layered_layout(nodes, edges, {n: (30.0, 20.0) for n in nodes})
    x = {n: p[0] for n, p in layout.positions.items()}
    assert (x["a"] < x["b"]) == (x["c2"] < x["c1"])


def test_sources_sit_right_above_their_first_user():
    edges = [("x", "a"), ("a", "b"), ("b", "c"), ("late_input", "c")]
    layout = layered_layout(["x", "late_input", "a", "b", "c"], edges, {n: (30.0, 20.0) for n in "xabc"} |
                            {"late_input": (30.0, 20.0)})
    assert layout.ranks["late_input"] == layout.ranks["c"] - 1


def test_cycles_are_broken_and_their_edges_still_routed():
    edges = [("a", "b"), ("b", "c"), ("c", "a")]
    layout = layered_layout(["a", "b", "c"], edges, {n: (30.0, 20.0) for n in "abc"})
    assert len(layout.reversed_edges) == 1
    assert set(layout.routes) == set(edges)
    back = next(iter(layout.reversed_edges))
    assert layout.routes[back][-1][1] < layout.routes[back][0][1]  # drawn upward


def test_unknown_rankdir_is_rejected_with_the_choices():
    with pytest.raises(ValueError, match=r"`rankdir` must be one of \['TB', 'LR', 'BT', 'RL'\].*rankdir='UP'"):
        layered_layout(["a"], [], {"a": (1.0, 1.0)}, rankdir="UP")


def test_isotonic_placement_keeps_gaps_and_stays_close_to_targets():
    placed = _isotonic([5.0, 0.0, 10.0], [1.0, 1.0, 1.0], [0.0, 4.0, 8.0])
    assert placed[1] - placed[0] >= 4 - 1e-9 and placed[2] - placed[1] >= 4 - 1e-9
    assert placed == pytest.approx([0.5, 4.5, 10.0])


def test_a_layer_fed_its_own_output_gets_a_loop_route():
    layout = layered_layout(["a", "b"], [("a", "b"), ("b", "b")], {"a": (30.0, 20.0), "b": (30.0, 20.0)})
    loop = layout.routes[("b", "b")]
    assert loop[0][0] == loop[-1][0] == layout.positions["b"][0] + 15
