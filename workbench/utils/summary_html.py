"""model.summary() as an HTML table, for notebooks: the same cells as the text table, unwrapped."""

from html import escape

_STYLE = (
    "<style>"
    ".wb-summary{font-family:var(--jp-code-font-family,monospace);font-size:12px;margin:4px 0}"
    ".wb-summary table{border-collapse:collapse}"
    ".wb-summary th,.wb-summary td{border:1px solid var(--jp-border-color2,#ccc);padding:2px 8px;"
    "text-align:left;vertical-align:top}"
    ".wb-summary th{background:var(--jp-layout-color2,#f2f2f2)}"
    ".wb-summary td.wb-num{text-align:right}"
    ".wb-summary td.wb-mid{text-align:center}"
    ".wb-summary .wb-class{color:var(--jp-content-font-color2,#666)}"
    ".wb-summary ul{list-style:none;padding-left:0;margin:4px 0}"
    "</style>"
)
_CELL_CLASS = {"rjust": ' class="wb-num"', "center": ' class="wb-mid"', "ljust": ""}


def _layer_cell(text):
    depth = 0
    while text.startswith(" └ "):
        text, depth = text[3:], depth + 1
    name, _, class_name = text.rpartition(" (")
    indent = f'<span style="padding-left:{1.2 * depth:.1f}em">└ </span>' if depth else ""
    if not name:
        return indent + escape(text)
    return f'{indent}<b>{escape(name)}</b> <span class="wb-class">({escape(class_name)}</span>'


def table_html(table):
    """HTML for a `summary_table(...)` result."""
    title, headers, rows, _, aligns, totals = table
    out = [_STYLE, '<div class="wb-summary">', f"<div><b>{escape(title)}</b></div>", "<table><thead><tr>"]
    out.extend(f"<th>{escape(header)}</th>" for header in headers)
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [_layer_cell(row[0])] + [escape(cell).replace("\n", "<br>") for cell in row[1:]]
        out.append("<tr>" + "".join(f"<td{_CELL_CLASS[a]}>{c}</td>" for c, a in zip(cells, aligns)) + "</tr>")
    out.append("</tbody></table><ul>")
    for line in totals:
        label, _, value = line.strip().partition(": ")
        out.append(f"<li><b>{escape(label)}:</b> {escape(value)}</li>")
    out.append("</ul></div>")
    return "".join(out)


def summary_html(model, **options):
    """The HTML summary of `model` (options as for `model.summary`)."""
    from workbench.utils.summary_utils import summary_table

    return table_html(summary_table(model, **options))
