"""Unique object names (`dense`, `dense_1`, ...) and the name-scope stack that builds variable paths."""

import re
import threading

_state = threading.local()


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def _counters():
    if not hasattr(_state, "counters"):
        _state.counters = {}
    return _state.counters


def uniquify(name):
    """Returns `name` the first time, then `name_1`, `name_2`, ... (per session)."""
    counters = _counters()
    count = counters.get(name, 0)
    counters[name] = count + 1
    return name if count == 0 else f"{name}_{count}"


def auto_name(prefix):
    return uniquify(to_snake_case(prefix))


def reset_uids():
    _counters().clear()


def _scopes():
    if not hasattr(_state, "scopes"):
        _state.scopes = []
    return _state.scopes


class name_scope:
    """Pushes `name` on the scope stack, so variables created inside get paths like `outer/inner/kernel`."""

    def __init__(self, name, caller=None, deduplicate=True):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Name scopes must be strings without '/'. Received: name={name!r}")
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self._pushed = False

    def __enter__(self):
        scopes = _scopes()
        # A layer re-entered inside its own scope (e.g. build called from call) keeps one level.
        if not (self.deduplicate and scopes and scopes[-1] == self.name):
            scopes.append(self.name)
            self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _scopes().pop()


def current_path():
    return "/".join(_scopes())
