"""model.summary(): the layer table, laid out as Keras lays it out."""

import sys
import textwrap

import numpy as np

_SEQUENTIAL_POSITIONS = (0.46, 0.79, 1.0)
_FUNCTIONAL_POSITIONS = (0.3, 0.56, 0.72, 1.0)


def readable_memory_size(size_in_bytes):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size_in_bytes < 1024 or unit == "TB":
            return f"{size_in_bytes:.2f} {unit}"
        size_in_bytes /= 1024


def _bytes_of(variables):
    return sum(int(np.prod(v.shape)) * np.dtype(v._dtype if v._dtype != "bfloat16" else "float16").itemsize
               for v in variables)


def _format_shape(shape):
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {_format_shape(v)}" for k, v in shape.items()) + "}"
    if isinstance(shape, (list, tuple)):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    return "?"


def _output_shape(layer):
    if not layer._inbound_nodes:
        return "?"
    shapes = [tuple(t.shape) for t in layer._inbound_nodes[0].outputs]
    return _format_shape(shapes[0] if len(shapes) == 1 else shapes)


def _param_count(layer):
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _connections(layer, model_nodes):
    parts = []
    for node in layer._inbound_nodes:
        if model_nodes is not None and id(node) not in model_nodes:
            continue
        for tensor in node.input_tensors:
            operation, node_index, tensor_index = tensor._keras_history
            parts.append(f"{operation.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) if parts else "-"


def _wrap(text, width):
    lines = []
    for piece in text.split("\n"):
        wrapped = textwrap.wrap(piece, width=max(width, 1), break_long_words=False) or [""]
        lines.extend(line if len(line) <= width else line[: max(width - 1, 0)] + "…" for line in wrapped)
    return lines


def _table(headers, rows, widths, aligns, print_fn):
    def border(left, middle, right, fill):
        return left + middle.join(fill * (w + 2) for w in widths) + right

    def render(cells, separator):
        wrapped = [_wrap(cell, width) for cell, width in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        for i in range(height):
            out = []
            for lines, width, align in zip(wrapped, widths, aligns):
                text = lines[i] if i < len(lines) else ""
                out.append(" " + getattr(text, align)(width) + " ")
            print_fn(separator + separator.join(out) + separator)

    print_fn(border("┏", "┳", "┓", "━"))
    render(headers, "┃")
    print_fn(border("┡", "╇", "┩", "━"))
    for index, row in enumerate(rows):
        render(row, "│")
        if index < len(rows) - 1:
            print_fn(border("├", "┼", "┤", "─"))
    print_fn(border("└", "┴", "┘", "─"))


def summary_table(model, line_length=None, positions=None, expand_nested=False, show_trainable=False,
                  layer_range=None):
    """The summary as data: `(title, headers, rows, widths, aligns, totals)`, each total a text line."""
    from workbench.models.functional import Functional
    from workbench.models.sequential import Sequential

    sequential_like = isinstance(model, Sequential) or not isinstance(model, Functional) or all(
        len(layer._inbound_nodes) <= 1 and sum(len(n.input_tensors) for n in layer._inbound_nodes) <= 1
        for layer in model.layers
    ) and len(getattr(model, "_inputs", [])) == 1 and len(getattr(model, "_outputs", [])) == 1
    layers = model.layers
    if layer_range is not None:
        names = [layer.name for layer in layers]
        start, end = layer_range
        if start not in names or end not in names:
            raise ValueError(f"layer_range names must be layers of the model. Received: {layer_range}")
        layers = layers[names.index(start): names.index(end) + 1]
    line_length = line_length or 76
    positions = list(positions or (_SEQUENTIAL_POSITIONS if sequential_like else _FUNCTIONAL_POSITIONS))
    headers = ["Layer (type)", "Output Shape", "Param #"]
    aligns = ["ljust", "ljust", "rjust"]
    if not sequential_like:
        headers.append("Connected to")
        aligns.append("ljust")
    if show_trainable:
        headers.append("Trainable")
        aligns.append("center")
        positions = [p * (line_length - 7) / line_length for p in positions] + [1.0]
    available = line_length - 3 * len(headers) - 1
    bounds = [int(p * available) for p in positions]
    widths = [b - a for a, b in zip([0] + bounds[:-1], bounds)]
    model_nodes = {id(n) for n in model._nodes} if isinstance(model, Functional) else None

    rows = []

    def add_rows(layer, prefix=""):
        row = [f"{prefix}{layer.name} ({layer.__class__.__name__})", _output_shape(layer), _param_count(layer)]
        if not sequential_like:
            row.append(_connections(layer, model_nodes))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows.append(row)
        if expand_nested and hasattr(layer, "layers") and layer is not model:
            for inner in layer.layers:
                add_rows(inner, prefix + " └ ")

    for layer in layers:
        add_rows(layer)
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    total = sum(int(np.prod(v.shape)) for v in trainable + non_trainable)
    totals = [
        f" Total params: {total:,} ({readable_memory_size(_bytes_of(trainable + non_trainable))})",
        f" Trainable params: {sum(int(np.prod(v.shape)) for v in trainable):,} "
        f"({readable_memory_size(_bytes_of(trainable))})",
        f" Non-trainable params: {sum(int(np.prod(v.shape)) for v in non_trainable):,} "
        f"({readable_memory_size(_bytes_of(non_trainable))})",
    ]
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "variables", None):
        variables = optimizer.variables
        totals.append(f" Optimizer params: {sum(int(np.prod(v.shape)) for v in variables):,} "
                      f"({readable_memory_size(_bytes_of(variables))})")
    return f'Model: "{model.name}"', headers, rows, widths, aligns, totals


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    """Prints (or passes to `print_fn`) the summary table of `model`.

    With no `print_fn`, inside a Jupyter kernel, the summary is displayed as an HTML table with
    the same text as its plain-text form.
    """
    table = summary_table(model, line_length=line_length, positions=positions, expand_nested=expand_nested,
                          show_trainable=show_trainable, layer_range=layer_range)
    if print_fn is None and in_notebook_kernel():
        from IPython.display import display

        from workbench.utils.summary_html import table_html

        lines = []
        _print_table(table, lines.append)
        display({"text/plain": "\n".join(lines), "text/html": table_html(table)}, raw=True)
        return
    _print_table(table, print_fn or print)


def _print_table(table, print_fn):
    title, headers, rows, widths, aligns, totals = table
    print_fn(title)
    _table(headers, rows, widths, aligns, print_fn)
    for line in totals:
        print_fn(line)


def in_notebook_kernel():
    """True inside a Jupyter kernel (IPython's ZMQInteractiveShell), False in terminals and scripts."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return type(shell).__name__ == "ZMQInteractiveShell"


__all__ = ["in_notebook_kernel", "print_summary", "readable_memory_size", "summary_table"]
