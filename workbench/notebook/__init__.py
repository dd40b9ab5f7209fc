"""Notebook tools: the layer-graph viewer, live curves and progress displays.

Names load on first use, so `import workbench` imports no plotting or widget library.
"""

import importlib

_LAZY = {
    "plot_model": "workbench.notebook.graph_view",
    "GraphView": "workbench.notebook.graph_view",
    "LiveCurves": "workbench.notebook.live_curves",
    "NotebookProgbarLogger": "workbench.notebook.progress",
}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'workbench.notebook' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = sorted(_LAZY)
