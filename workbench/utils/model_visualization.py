"""`plot_model`: a picture of the layer graph, drawn by our own code, so Graphviz is not needed.

The graph comes from `workbench.notebook.graph`, the layered layout from
`workbench.notebook.graph_layout`; this module turns both into SVG text, or into a raster image
with Pillow (PNG, JPEG, PDF).
"""

import os
import warnings
from xml.sax.saxutils import escape

from workbench.api_export import keras_export
from workbench.notebook.graph import FAMILY_COLORS, model_graph
from workbench.notebook.graph_layout import check_rankdir, layered_layout

FONT_SIZE = 12.0
LINE_HEIGHT = 16.0
PADDING = 8.0
MARGIN = 16.0
_CHAR_WIDTH = 0.62  # of the font size: a little wider than an average sans-serif letter
_RASTER_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "pdf": "PDF"}
_MAX_PIXELS = 40_000_000


def text_width(text, font_size=FONT_SIZE):
    return len(text) * font_size * _CHAR_WIDTH


def node_lines(node, show_shapes=False, show_dtype=False, show_layer_names=True,
               show_layer_activations=False, show_trainable=False):
    """The text lines of one box, in the order Keras's plot_model writes them."""
    lines = [node.label if show_layer_names else node.class_name]
    layer = node.layer
    if show_dtype:
        lines.append(f"Output dtype: {node.dtype}")
    if show_shapes:
        lines.append(f"Input shape: {node.input_shape}")
        lines.append(f"Output shape: {node.output_shape}")
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        name = getattr(activation, "__name__", None) or type(activation).__name__
        lines.append(f"Activation: {name}")
    if show_trainable and getattr(layer, "weights", None):
        lines.append(f"Trainable: {bool(layer.trainable)}")
    return lines


def drawing(model, rankdir="TB", expand_nested=False, **label_options):
    """The graph, its layout, and each node's text lines: everything a renderer needs."""
    check_rankdir(rankdir)
    graph = model_graph(model, expanded=True if expand_nested else ())
    lines = {node.id: node_lines(node, **label_options) for node in graph.nodes}
    sizes = {node_id: (max(text_width(t) for t in text) + 2 * PADDING, len(text) * LINE_HEIGHT + 2 * PADDING)
             for node_id, text in lines.items()}
    layout = layered_layout([n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges],
                            sizes, rankdir=rankdir)
    return graph, layout, lines


def group_boxes(graph, layout):
    """`{group id: (left, top, right, bottom)}` around each expanded nested model, outermost first."""
    boxes = {}

    def box(group_id, depth=0):
        corners = []
        for member in graph.groups.get(group_id, []):
            if member in graph.groups:
                corners.append(box(member, depth + 1))
            elif member in layout.positions:
                (x, y), (w, h) = layout.positions[member], layout.sizes[member]
                corners.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
        if not corners:
            return (0.0, 0.0, 0.0, 0.0)
        pad = 8.0
        boxes[group_id] = (min(c[0] for c in corners) - pad, min(c[1] for c in corners) - pad - 12,
                           max(c[2] for c in corners) + pad, max(c[3] for c in corners) + pad)
        return boxes[group_id]

    for group_id in graph.groups:
        if group_id not in boxes:
            box(group_id)
    return {group_id: boxes[group_id] for group_id in sorted(boxes, key=lambda g: g.count("/"))}


def to_svg(graph, layout, lines):
    """The drawing as standalone SVG text; boxes are `<g class="node">` with a `<title>` each."""
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{-MARGIN:.1f} {-MARGIN:.1f} {width:.1f} {height:.1f}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT_SIZE:.0f}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/>'
        "</marker></defs>",
    ]
    for group_id, (left, top, right, bottom) in group_boxes(graph, layout).items():
        out.append(f'<g class="group"><rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
                   f'height="{bottom - top:.1f}" rx="6" fill="#fff3e0" fill-opacity="0.5" stroke="#e65100" '
                   f'stroke-dasharray="4 3"/><text x="{left + 4:.1f}" y="{top + 12:.1f}" fill="#e65100">'
                   f"{escape(group_id)}</text></g>")
    for edge in graph.edges:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in layout.routes[(edge.source, edge.target)])
        dash = "" if edge.data_flow else ' stroke-dasharray="5 4"'
        out.append(f'<polyline class="edge" points="{points}" fill="none" stroke="#555" stroke-width="1.2"'
                   f'{dash} marker-end="url(#arrow)"><title>{escape(edge.shape)}</title></polyline>')
    for node in graph.nodes:
        (x, y), (w, h) = layout.positions[node.id], layout.sizes[node.id]
        text = lines[node.id]
        out.append(f'<g class="node" id="{escape(node.id)}"><title>{escape(node.label)}</title>'
                   f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" '
                   f'fill="{FAMILY_COLORS[node.family]}" stroke="#37474f"/>')
        top = y - h / 2 + PADDING + LINE_HEIGHT * 0.75
        for i, line in enumerate(text):
            weight = ' font-weight="bold"' if i == 0 else ""
            out.append(f'<text x="{x:.1f}" y="{top + i * LINE_HEIGHT:.1f}" text-anchor="middle"{weight}>'
                       f"{escape(line)}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _dashed(draw, start, end, fill, width, dash=5.0, gap=4.0):
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1.0
    position = 0.0
    while position < length:
        stop = min(position + dash, length)
        draw.line([(x0 + (x1 - x0) * position / length, y0 + (y1 - y0) * position / length),
                   (x0 + (x1 - x0) * stop / length, y0 + (y1 - y0) * stop / length)], fill=fill, width=width)
        position = stop + gap


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow older than 10.1 has only its small bitmap font
        return ImageFont.load_default()


def to_image(graph, layout, lines, dpi=200):
    """The drawing as a Pillow RGB image, `dpi / 72` pixels per layout point (as Graphviz scales)."""
    try:
        from PIL import Image, ImageDraw
    except ImportError as error:
        raise ImportError(
            "plot_model needs Pillow to write PNG, JPEG or PDF files: `pip install pillow` (or "
            "`pip install workbench[notebook]`), or write SVG, which needs nothing: "
            "plot_model(model, to_file='model.svg')."
        ) from error
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    scale = dpi / 72.0
    if width * height * scale * scale > _MAX_PIXELS:
        scale = (_MAX_PIXELS / (width * height)) ** 0.5
        warnings.warn(f"plot_model: the image would be too large at dpi={dpi}; drawing it at "
                      f"dpi={scale * 72:.0f} instead. Write SVG for a drawing of any size.", stacklevel=3)

    def at(x, y):
        return ((x + MARGIN) * scale, (y + MARGIN) * scale)

    image = Image.new("RGB", (max(int(width * scale), 1), max(int(height * scale), 1)), "white")
    draw = ImageDraw.Draw(image)
    font = _font(FONT_SIZE * scale)
    line_width = max(int(round(1.2 * scale)), 1)
    for group_id, (left, top, right, bottom) in group_boxes(graph, layout).items():
        draw.rounded_rectangle([at(left, top), at(right, bottom)], radius=6 * scale, fill="#fff8ef",
                               outline="#e65100", width=line_width)
        draw.text(at(left + 4, top + 2), group_id, fill="#e65100", font=font)
    for edge in graph.edges:
        route = [at(x, y) for x, y in layout.routes[(edge.source, edge.target)]]
        for start, end in zip(route, route[1:]):
            if edge.data_flow:
                draw.line([start, end], fill="#555555", width=line_width)
            else:
                _dashed(draw, start, end, "#555555", line_width, 5 * scale, 4 * scale)
        (x0, y0), (x1, y1) = route[-2], route[-1]
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1.0
        ux, uy, size = (x1 - x0) / length, (y1 - y0) / length, 7 * scale
        draw.polygon([(x1, y1), (x1 - ux * size - uy * size / 2, y1 - uy * size + ux * size / 2),
                      (x1 - ux * size + uy * size / 2, y1 - uy * size - ux * size / 2)], fill="#555555")
    for node in graph.nodes:
        (x, y), (w, h) = layout.positions[node.id], layout.sizes[node.id]
        draw.rounded_rectangle([at(x - w / 2, y - h / 2), at(x + w / 2, y + h / 2)], radius=4 * scale,
                               fill=FAMILY_COLORS[node.family], outline="#37474f", width=line_width)
        for i, line in enumerate(lines[node.id]):
            centre = at(x, y - h / 2 + PADDING + (i + 0.5) * LINE_HEIGHT)
            draw.text(centre, line, fill="black", font=font, anchor="mm")
    return image


def _check_built(model):
    if not getattr(model, "built", False):
        raise ValueError(
            f"plot_model draws built models only, and model {getattr(model, 'name', model)!r} is not "
            "built yet. Build it first: `model.build(input_shape)`, call it on a batch of data, or "
            "start it with `workbench.Input(shape)`."
        )


@keras_export("keras.utils.plot_model")
def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=False,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
               show_trainable=False, splines="ortho", **kwargs):
    """Draws the layer graph of `model` into `to_file` (.png, .jpg, .svg or .pdf), no Graphviz needed.

    Args:
        model: A built model (Functional, Sequential, or subclassed: its layers, in order).
        to_file: The file to write; its extension picks the format (none means PNG).
        show_shapes: Write each layer's input and output shapes.
        show_dtype: Write each layer's output dtype.
        show_layer_names: Write `name (Class)` rather than the class alone.
        rankdir: `"TB"` draws top to bottom, `"LR"` left to right (`"BT"`, `"RL"` reverse them).
        expand_nested: Draw the layers inside nested models, framed by their model.
        dpi: Pixels per inch of raster images (a layout point is 1/72 inch).
        show_layer_activations: Write the activation of layers that have one.
        show_trainable: Write whether each layer with weights is trainable.
        splines: Accepted for Keras compatibility; edges are always polylines.

    Returns:
        An `IPython.display.Image` (or `SVG`) of the file when IPython is installed, else None.

    Example:

    >>> inputs = workbench.Input((4,))
    >>> model = workbench.Model(inputs, workbench.layers.Dense(2)(inputs))
    >>> workbench.utils.plot_model(model, to_file="model.svg", show_shapes=True)
    """
    del splines
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported by plot_model; draw a sub-model "
                         "instead: plot_model(workbench.Model(layer_a.input, layer_b.output)).")
    if kwargs:
        raise ValueError(f"plot_model got unrecognized keyword arguments: {sorted(kwargs)}. Its arguments "
                         "are to_file, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, "
                         "dpi, show_layer_activations, show_trainable and splines.")
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    if extension != "svg" and extension not in _RASTER_FORMATS:
        raise ValueError(
            f"plot_model writes .png, .jpg, .jpeg, .svg or .pdf files. Received: to_file={to_file!r} "
            f"(extension {extension!r}). Change the extension, e.g. to_file='model.png'."
        )
    if not isinstance(dpi, (int, float)) or isinstance(dpi, bool) or dpi <= 0:
        raise ValueError(f"`dpi` must be a positive number of dots per inch. Received: dpi={dpi!r}")
    _check_built(model)
    graph, layout, lines = drawing(
        model, rankdir=rankdir, expand_nested=expand_nested, show_shapes=show_shapes, show_dtype=show_dtype,
        show_layer_names=show_layer_names, show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    if extension == "svg":
        with open(to_file, "w", encoding="utf-8") as file:
            file.write(to_svg(graph, layout, lines))
    else:
        image = to_image(graph, layout, lines, dpi=dpi)
        image.save(to_file, format=_RASTER_FORMATS[extension], dpi=(dpi, dpi),
                   **({"resolution": float(dpi)} if extension == "pdf" else {}))
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    return display.Image(filename=to_file, format=_RASTER_FORMATS[extension].lower())


@keras_export("keras.utils.model_to_dot")
def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, splines="ortho", **kwargs):
    """Returns the layer graph as a `pydot.Dot` (needs `pip install pydot`; rendering it needs Graphviz).

    For a picture without pydot or Graphviz, use `workbench.utils.plot_model(model, to_file="model.svg")`.
    """
    try:
        import pydot
    except ImportError as error:
        raise ImportError(
            "model_to_dot returns a pydot graph, so it needs pydot (`pip install pydot`, plus Graphviz "
            "to render it). To draw the model without either, use "
            "workbench.utils.plot_model(model, to_file='model.svg') or 'model.png'."
        ) from error
    if kwargs:
        raise ValueError(f"model_to_dot got unrecognized keyword arguments: {sorted(kwargs)}.")
    _check_built(model)
    check_rankdir(rankdir)
    graph = model_graph(model, expanded=True if expand_nested else ())
    dot = pydot.Dot(graph_type="digraph")
    dot.set("rankdir", rankdir)
    dot.set("dpi", dpi)
    dot.set("splines", splines)
    dot.set_node_defaults(shape="record")
    for node in graph.nodes:
        label = "\\n".join(node_lines(node, show_shapes, show_dtype, show_layer_names,
                                      show_layer_activations, show_trainable))
        dot.add_node(pydot.Node(node.id, label=label, style="filled", fillcolor=FAMILY_COLORS[node.family]))
    for edge in graph.edges:
        dot.add_edge(pydot.Edge(edge.source, edge.target))
    return dot
