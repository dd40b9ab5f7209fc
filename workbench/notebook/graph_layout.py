"""A layered (Sugiyama-style) layout of a directed graph, in pure Python.

The four classic steps, each kept small:
1. break cycles by reversing the back edges of a depth-first search;
2. rank nodes by longest path from the sources (a source then moves down next to its first user);
3. order each rank by barycenter sweeps, long edges split by dummy nodes, keeping the order with
   the fewest crossings;
4. place nodes along each rank where their neighbours pull them, as a weighted isotonic regression
   that keeps the minimum gaps (so boxes never overlap and long edges run straight).
"""

import dataclasses

RANKDIRS = ("TB", "LR", "BT", "RL")
_DUMMY_EXTENT = 6.0
_DUMMY_WEIGHT = 4.0


@dataclasses.dataclass
class Layout:
    """Node centres and sizes, and for each edge `(source, target)` the polyline it follows."""

    positions: dict
    sizes: dict
    routes: dict
    ranks: dict
    width: float
    height: float
    rankdir: str
    reversed_edges: set


def check_rankdir(rankdir):
    if rankdir not in RANKDIRS:
        raise ValueError(
            f"`rankdir` must be one of {list(RANKDIRS)}: 'TB' draws top to bottom, 'LR' left to "
            f"right. Received: rankdir={rankdir!r}"
        )


def _break_cycles(node_ids, successors):
    reversed_edges, state = set(), {}
    for root in node_ids:
        if root in state:
            continue
        stack = [(root, iter(successors[root]))]
        state[root] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "done"
                stack.pop()
            elif state.get(child) == "open":
                reversed_edges.add((node, child))
            elif child not in state:
                state[child] = "open"
                stack.append((child, iter(successors[child])))
    return reversed_edges


def _rank(node_ids, predecessors, successors):
    rank, pending = {}, {n: len(predecessors[n]) for n in node_ids}
    queue = [n for n in node_ids if not pending[n]]
    for node in queue:
        rank[node] = max((rank[p] + 1 for p in predecessors[node]), default=0)
        for child in successors[node]:
            pending[child] -= 1
            if not pending[child]:
                queue.append(child)
    for node in node_ids:
        if not predecessors[node] and successors[node]:
            rank[node] = min(rank[child] for child in successors[node]) - 1
    low = min(rank.values(), default=0)
    return {n: r - low for n, r in rank.items()}


def _crossings(layers, down):
    total = 0
    for upper, lower in zip(layers, layers[1:]):
        where = {n: i for i, n in enumerate(lower)}
        pairs = sorted((i, where[c]) for i, n in enumerate(upper) for c in down[n])
        for a in range(len(pairs)):
            for b in range(a + 1, len(pairs)):
                if pairs[a][0] != pairs[b][0] and pairs[a][1] > pairs[b][1]:
                    total += 1
    return total


def _order(layers, up, down, sweeps=8):
    def sweep(layers, neighbours, indices):
        for r in indices:
            where = {n: i for i, n in enumerate(layers[r - 1 if neighbours is up else r + 1])}
            keys = {}
            for i, node in enumerate(layers[r]):
                linked = [where[n] for n in neighbours[node] if n in where]
                keys[node] = sum(linked) / len(linked) if linked else i
            layers[r] = sorted(layers[r], key=lambda n: keys[n])

    best, best_count = [list(layer) for layer in layers], _crossings(layers, down)
    for _ in range(sweeps):
        if not best_count:
            break
        sweep(layers, up, range(1, len(layers)))
        sweep(layers, down, range(len(layers) - 2, -1, -1))
        count = _crossings(layers, down)
        if count < best_count:
            best, best_count = [list(layer) for layer in layers], count
    return best


def _isotonic(targets, weights, offsets):
    """Positions closest to `targets` (weighted) with x[i+1] - x[i] >= offsets[i+1] - offsets[i]."""
    blocks = []  # [weighted sum, weight, count]
    for target, weight, offset in zip(targets, weights, offsets):
        blocks.append([(target - offset) * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, weight_sum, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight_sum
            blocks[-1][2] += count
    values = []
    for total, weight_sum, count in blocks:
        values.extend([total / weight_sum] * count)
    return [v + o for v, o in zip(values, offsets)]


def _place(layers, up, down, extent, weight, node_gap, rounds=6):
    offsets_of = []
    for layer in layers:
        offsets, position = [], 0.0
        for i, node in enumerate(layer):
            if i:
                position += (extent[layer[i - 1]] + extent[node]) / 2 + node_gap
            offsets.append(position)
        offsets_of.append(offsets)
    centre = {n: o for layer, offsets in zip(layers, offsets_of) for n, o in zip(layer, offsets)}

    def settle(r, neighbour_sets):
        targets = []
        for node in layers[r]:
            linked = [centre[n] for links in neighbour_sets for n in links[node]]
            targets.append(sum(linked) / len(linked) if linked else centre[node])
        for node, x in zip(layers[r], _isotonic(targets, [weight(n) for n in layers[r]], offsets_of[r])):
            centre[node] = x

    for _ in range(rounds):
        for r in range(1, len(layers)):
            settle(r, [up])
        for r in range(len(layers) - 2, -1, -1):
            settle(r, [down])
    for r in range(len(layers)):
        settle(r, [up, down])
    return centre


def _loop(centre, size):
    """A self-loop (a shared layer fed its own output) as a small hook on the box's right side."""
    (x, y), (w, h) = centre, size
    right = x + w / 2
    return [(right, y - h / 4), (right + 10, y - h / 4), (right + 10, y + h / 4), (right, y + h / 4)]


def layered_layout(node_ids, edges, sizes, rankdir="TB", rank_gap=36.0, node_gap=20.0):
    """Lays out `node_ids` (in a preferred order) joined by `edges` (`(source, target)` pairs).

    `sizes` maps each node to its `(width, height)`. Returns a `Layout` whose coordinates start at
    (0, 0) and grow right and down, as in SVG.
    """
    check_rankdir(rankdir)
    node_ids = list(dict.fromkeys(node_ids))
    pairs = list(dict.fromkeys((s, t) for s, t in edges if s != t and s in sizes and t in sizes))
    successors = {n: [] for n in node_ids}
    for s, t in pairs:
        successors[s].append(t)
    reversed_edges = _break_cycles(node_ids, successors)
    directed = [(t, s) if (s, t) in reversed_edges else (s, t) for s, t in pairs]
    directed = list(dict.fromkeys(directed))
    predecessors = {n: [] for n in node_ids}
    successors = {n: [] for n in node_ids}
    for s, t in directed:
        successors[s].append(t)
        predecessors[t].append(s)
    rank = _rank(node_ids, predecessors, successors)

    along_rank = 1 if rankdir in ("TB", "BT") else 0  # index of the rank axis in (width, height)
    extent = {n: sizes[n][1 - along_rank] for n in node_ids}
    up, down, chains = {n: [] for n in node_ids}, {n: [] for n in node_ids}, {}
    for s, t in directed:
        chain = [s] + [("dummy", s, t, k) for k in range(rank[s] + 1, rank[t])] + [t]
        for k, dummy in enumerate(chain[1:-1]):
            rank[dummy], extent[dummy] = rank[s] + 1 + k, _DUMMY_EXTENT
            up[dummy], down[dummy] = [], []
        for a, b in zip(chain, chain[1:]):
            down[a].append(b)
            up[b].append(a)
        chains[(s, t)] = chain
    layers = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    seen = set()

    def visit(node):  # depth-first initial order keeps a branch's nodes next to each other
        stack = [node]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            layers[rank[current]].append(current)
            stack.extend(reversed(down[current]))

    for node in node_ids:
        if not up[node]:
            visit(node)
    layers = _order(layers, up, down)
    centre = _place(layers, up, down, extent, lambda n: _DUMMY_WEIGHT if isinstance(n, tuple) else 1.0,
                    node_gap)

    thickness = [max((sizes[n][along_rank] for n in layer if not isinstance(n, tuple)), default=0.0)
                 for layer in layers]
    rank_centre, position = [], 0.0
    for t in thickness:
        rank_centre.append(position + t / 2)
        position += t + rank_gap
    rank_length = max(position - rank_gap, 0.0)
    low = min((centre[n] - extent[n] / 2 for n in centre), default=0.0)
    order_length = max((centre[n] + extent[n] / 2 for n in centre), default=0.0) - low

    def point(node, shift=0.0):
        along = rank_centre[rank[node]] + shift
        if rankdir in ("BT", "RL"):
            along = rank_length - along
        across = centre[node] - low
        return (across, along) if along_rank else (along, across)

    positions = {n: point(n) for n in node_ids}
    routes = {}
    for s, t in directed:
        middle = [point(d) for d in chains[(s, t)][1:-1]]
        route = [point(s, sizes[s][along_rank] / 2)] + middle + [point(t, -sizes[t][along_rank] / 2)]
        if (s, t) in pairs:
            routes[(s, t)] = route
        if (t, s) in reversed_edges:
            routes[(t, s)] = route[::-1]
    for node in dict.fromkeys(s for s, t in edges if s == t and s in positions):
        routes[(node, node)] = _loop(positions[node], sizes[node])
    width, height = (order_length, rank_length) if along_rank else (rank_length, order_length)
    return Layout(positions, {n: tuple(sizes[n]) for n in node_ids}, routes, {n: rank[n] for n in node_ids},
                  width, height, rankdir, reversed_edges)
