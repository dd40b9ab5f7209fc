"""`rearrange`: einops-style reshape and transpose from a pattern like `"b (h w) c -> b h w c"`."""

import math
import re

import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op

_ELLIPSIS = "..."
_TOKEN = re.compile(r"\.\.\.|\(|\)|[A-Za-z_][A-Za-z0-9_]*|\d+")


def _parse_side(side):
    """`"b (h w) ..."` -> `[["b"], ["h", "w"], ["..."]]`; a literal `1` or `()` is an empty group."""
    groups, current = [], None
    for token in _TOKEN.findall(side):
        if token == "(":
            if current is not None:
                raise ValueError(
                    f"Nested parentheses are not allowed in a rearrange pattern: {side!r}"
                )
            current = []
        elif token == ")":
            if current is None:
                raise ValueError(f"Unbalanced parentheses in a rearrange pattern: {side!r}")
            groups.append(current)
            current = None
        elif token.isdigit():
            if token != "1":
                raise ValueError(
                    f"Only the literal 1 is allowed in a rearrange pattern. Received: {token}"
                )
            if current is None:
                groups.append([])
        elif current is not None:
            current.append(token)
        else:
            groups.append([token])
    if current is not None:
        raise ValueError(f"Unbalanced parentheses in a rearrange pattern: {side!r}")
    return groups


def _expand_ellipsis(groups, ellipsis_names):
    expanded = []
    for group in groups:
        if group == [_ELLIPSIS]:
            expanded.extend([name] for name in ellipsis_names)
        elif _ELLIPSIS in group:
            expanded.append(
                [n for name in group for n in (ellipsis_names if name == _ELLIPSIS else [name])]
            )
        else:
            expanded.append(group)
    return expanded


@keras_export("keras.ops.rearrange")
@keras_op
def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, splits and merges axes as described by an einops `pattern`.

    Args:
        tensor: the input tensor.
        pattern: `"left -> right"`, naming every axis on both sides; parentheses group axes that
            are merged into (or split from) one dimension; `...` stands for any other axes.
        **axes_lengths: sizes of axes that a split cannot infer, e.g. `h=4`.

    Example:

    >>> rearrange(np.zeros((2, 12, 5)), "b (h w) c -> b h w c", h=3).shape
    (2, 3, 4, 5)
    """
    tensor = convert_to_tensor(tensor)
    if "->" not in pattern:
        raise ValueError(f"A rearrange pattern needs '->'. Received: pattern={pattern!r}")
    left, right = (_parse_side(side) for side in pattern.split("->"))
    named_dims = sum(1 for group in left if group != [_ELLIPSIS])
    ellipsis_rank = tensor.ndim - named_dims if any(_ELLIPSIS in g for g in left) else 0
    if ellipsis_rank < 0 or (ellipsis_rank == 0 and named_dims != tensor.ndim):
        raise ValueError(
            f"The pattern {pattern!r} has {named_dims} axes but the tensor has rank {tensor.ndim} "
            f"(shape {tensor.shape})."
        )
    ellipsis_names = [f"{_ELLIPSIS}{i}" for i in range(ellipsis_rank)]
    left, right = _expand_ellipsis(left, ellipsis_names), _expand_ellipsis(right, ellipsis_names)
    left_names = [name for group in left for name in group]
    right_names = [name for group in right for name in group]
    if sorted(left_names) != sorted(right_names) or len(set(left_names)) != len(left_names):
        raise ValueError(
            f"Each axis must appear exactly once on each side of the pattern. Received: {pattern!r}"
        )
    sizes = dict(axes_lengths)
    for group, dimension in zip(left, tensor.shape):
        unknown = [name for name in group if name not in sizes]
        known = math.prod(sizes[name] for name in group if name in sizes)
        if len(unknown) > 1:
            raise ValueError(
                f"Cannot infer the sizes of {unknown} in {pattern!r}; pass them as keywords."
            )
        if unknown:
            if dimension % known:
                raise ValueError(
                    f"Dimension {dimension} cannot be split by {known} in {pattern!r}."
                )
            sizes[unknown[0]] = dimension // known
        elif known != dimension:
            raise ValueError(f"Axes {group} have size {known}, but the dimension is {dimension}.")
    split = jnp.reshape(tensor, [sizes[name] for name in left_names])
    moved = jnp.transpose(split, [left_names.index(name) for name in right_names])
    return jnp.reshape(moved, [math.prod(sizes[name] for name in group) for group in right])
