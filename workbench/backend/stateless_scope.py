"""StatelessScope: run stateful code purely, by swapping variable values in and recording updates."""

import threading

_state = threading.local()


class StatelessScope:
    """A scope in which variables read from a mapping and record assignments instead of mutating.

    Args:
        state_mapping: an iterable of `(variable, value)` pairs to read from.
        collect_losses: whether `add_loss` calls are collected in `self.losses`.
        initialize_variables: unused; kept for Keras compatibility.

    Example:

    >>> v = workbench.Variable(1.0)
    >>> with StatelessScope(state_mapping=[(v, 2.0)]) as scope:
    ...     v.assign(v + 1.0)
    ...     new = scope.get_current_value(v)   # 3.0, while `v` itself still holds 1.0
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from workbench.backend.variables import Variable

        self.state_mapping = {}
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise ValueError(
                    "StatelessScope `state_mapping` must be a list of (Variable, value) pairs. "
                    f"Received a key of type {type(variable).__name__}."
                )
            self.state_mapping[id(variable)] = value
        self.collect_losses = collect_losses
        self.losses = []
        self._previous = None

    def __enter__(self):
        self._previous = getattr(_state, "scope", None)
        _state.scope = self
        return self

    def __exit__(self, *exc):
        _state.scope = self._previous

    def add_loss(self, loss):
        self.losses.append(loss)

    def add_update(self, variable, value):
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable):
        return self.state_mapping.get(id(variable))


def get_stateless_scope():
    return getattr(_state, "scope", None)


def in_stateless_scope():
    return get_stateless_scope() is not None
