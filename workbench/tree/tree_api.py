"""Tree utilities on `jax.tree_util`, treating None, Variables and KerasTensors as leaves."""

import collections

import jax

MAP_TO_NONE = object()


def _is_leaf(x):
    return x is None or not isinstance(x, (list, tuple, dict, collections.abc.Mapping))


def is_nested(structure):
    """Whether `structure` is a list, tuple or dict."""
    return isinstance(structure, (list, tuple, dict, collections.abc.Mapping))


def flatten(structure):
    """Returns the leaves of `structure` in order (dict values sorted by key)."""
    return jax.tree_util.tree_leaves(structure, is_leaf=_is_leaf)


def flatten_with_path(structure):
    """Returns `(path, leaf)` pairs, where a path is a tuple of keys and indices."""
    pairs, _ = jax.tree_util.tree_flatten_with_path(structure, is_leaf=_is_leaf)
    return [(tuple(_key(k) for k in path), leaf) for path, leaf in pairs]


def _key(entry):
    for attribute in ("key", "idx", "name"):
        if hasattr(entry, attribute):
            return getattr(entry, attribute)
    return entry


def map_structure(func, *structures, none_is_leaf=True):
    """Applies `func` to the leaves of `structures`, which must share one structure."""
    if not structures:
        raise ValueError("map_structure needs at least one structure.")
    if len(structures) > 1:
        for other in structures[1:]:
            assert_same_structure(structures[0], other)
    return jax.tree_util.tree_map(func, *structures, is_leaf=_is_leaf)


def map_structure_up_to(shallow_structure, func, *structures):
    treedef = jax.tree_util.tree_structure(shallow_structure, is_leaf=_is_leaf)
    flat = [treedef.flatten_up_to(s) for s in structures]
    return jax.tree_util.tree_unflatten(treedef, [func(*xs) for xs in zip(*flat)])


def assert_same_structure(a, b, check_types=None):
    """Raises ValueError if `a` and `b` do not have the same nesting."""
    ta = jax.tree_util.tree_structure(lists_to_tuples(a), is_leaf=_is_leaf)
    tb = jax.tree_util.tree_structure(lists_to_tuples(b), is_leaf=_is_leaf)
    if ta != tb:
        raise ValueError(f"The two structures don't match: {ta} vs {tb}.")


def assert_same_paths(a, b):
    pa = {p for p, _ in flatten_with_path(a)}
    pb = {p for p, _ in flatten_with_path(b)}
    if pa != pb:
        raise ValueError(f"The two structures don't have the same paths: {sorted(map(str, pa ^ pb))}.")


def pack_sequence_as(structure, flat_sequence):
    """Packs the leaves `flat_sequence` back into the shape of `structure`."""
    treedef = jax.tree_util.tree_structure(structure, is_leaf=_is_leaf)
    flat_sequence = list(flat_sequence)
    if treedef.num_leaves != len(flat_sequence):
        raise ValueError(
            f"The structure has {treedef.num_leaves} leaves but flat_sequence has {len(flat_sequence)}."
        )
    return jax.tree_util.tree_unflatten(treedef, flat_sequence)


def lists_to_tuples(structure):
    if isinstance(structure, (list, tuple)):
        return tuple(lists_to_tuples(x) for x in structure)
    if isinstance(structure, dict):
        return {k: lists_to_tuples(v) for k, v in structure.items()}
    return structure


def traverse(func, structure, top_down=True):
    """Applies `func` to every node, top down: a non-None return value replaces the subtree."""
    if top_down:
        result = func(structure)
        if result is not None:
            return None if result is MAP_TO_NONE else result
        if isinstance(structure, dict):
            return {k: traverse(func, v) for k, v in structure.items()}
        if isinstance(structure, (list, tuple)):
            return type(structure)(traverse(func, v) for v in structure)
        return structure
    if isinstance(structure, dict):
        structure = {k: traverse(func, v, top_down=False) for k, v in structure.items()}
    elif isinstance(structure, (list, tuple)):
        structure = type(structure)(traverse(func, v, top_down=False) for v in structure)
    result = func(structure)
    if result is MAP_TO_NONE:
        return None
    return structure if result is None else result


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(d is None or isinstance(d, int) for d in x)


def map_shape_structure(func, structure):
    """Maps `func` over shapes (tuples of ints/None) nested in `structure`."""
    if _is_shape(structure):
        return func(tuple(structure))
    if isinstance(structure, dict):
        return {k: map_shape_structure(func, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_shape_structure(func, v) for v in structure)
    return func(structure)
