"""Whether a notebook front end can show widgets and rich output here.

Notebook tools ask this once, when they start. Outside a Jupyter kernel (a script, a
terminal, a plain `python -m pytest`) they keep their state but display nothing.
"""

import importlib.util
import sys


def in_notebook():
    """True inside a Jupyter kernel (ZMQ shell) where ipywidgets can be imported.

    A kernel run by nbclient or nbval counts too: its outputs and widget state go into
    the executed notebook. A terminal IPython does not count, since it cannot draw widgets.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    is_zmq = any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)
    return is_zmq and importlib.util.find_spec("ipywidgets") is not None
