"""`make lab`: JupyterLab on the tutorial notebooks, served from this environment.

    python -m workbench.lab                 # http://127.0.0.1:8888, opens notebooks/01_quickstart.ipynb
    python -m workbench.lab --port 8899     # another port
    python -m workbench.lab --dry-run       # print the command, start nothing

It binds to 127.0.0.1 unless told otherwise, makes a token and prints the URL with it, opens a
browser only where there can be one (on Linux: a DISPLAY or WAYLAND_DISPLAY), and adds
`--allow-root` only when running as root.
"""

import argparse
import os
import secrets
import shlex
import subprocess
import sys

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_NOTEBOOK = os.path.join("notebooks", "01_quickstart.ipynb")


def has_browser(platform=None, environ=None):
    """Whether a browser can open here: always on macOS and Windows, on Linux only with a display."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _is_root():
    return hasattr(os, "getuid") and os.getuid() == 0


def lab_url(port, token, ip="127.0.0.1", notebook=DEFAULT_NOTEBOOK):
    path = notebook.replace(os.sep, "/")
    return f"http://{ip}:{port}/lab/tree/{path}?token={token}"


def build_command(port=8888, ip="127.0.0.1", notebook=DEFAULT_NOTEBOOK, token=None,
                  root_dir=REPOSITORY, browser=None, root=None, python=sys.executable):
    """The `jupyter lab` command line, as a list.

    Args:
        port: the port to serve on (it fails rather than wander to another port).
        ip: the address to bind; 127.0.0.1 keeps the server private to this machine.
        notebook: the notebook to open, relative to `root_dir`.
        token: the access token; a fresh random one when None.
        root_dir: the folder the server shows.
        browser: whether to open a browser; detected with `has_browser()` when None.
        root: whether this runs as root (JupyterLab then needs `--allow-root`); detected when None.
        python: the interpreter whose JupyterLab (and kernel) to use.
    """
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ValueError(f"`port` must be an int in 1-65535. Received: port={port!r}. "
                         "Pass e.g. `make lab PORT=8899`.")
    if not os.path.isfile(os.path.join(root_dir, notebook)):
        raise FileNotFoundError(f"The notebook {notebook!r} is not in {root_dir}. Pass a path "
                                "relative to the repository, e.g. notebooks/01_quickstart.ipynb.")
    command = [python, "-m", "jupyter", "lab", notebook,
               f"--ServerApp.ip={ip}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={root_dir}",
               f"--IdentityProvider.token={token or secrets.token_hex(24)}"]
    if not (has_browser() if browser is None else browser):
        command.append("--no-browser")
    if _is_root() if root is None else root:
        command.append("--allow-root")
    return command


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m workbench.lab", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8888)))
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK)
    parser.add_argument("--no-browser", action="store_true", help="never open a browser")
    parser.add_argument("--dry-run", action="store_true", help="print the command and exit")
    args = parser.parse_args(argv)
    token = secrets.token_hex(24)
    command = build_command(port=args.port, ip=args.ip, notebook=args.notebook, token=token,
                            browser=False if args.no_browser else None)
    if args.dry_run:
        print(shlex.join(command))
        return 0
    print(f"JupyterLab on {lab_url(args.port, token, args.ip, args.notebook)}", flush=True)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    try:
        return subprocess.call(command, cwd=REPOSITORY)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
