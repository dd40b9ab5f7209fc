"""CallbackList: calls every callback's hook, and tells the trainer which hooks matter."""

import jax

from workbench.api_export import keras_export
from workbench.callbacks.callback import _BATCH_HOOKS, Callback
from workbench.callbacks.history import History
from workbench.callbacks.progbar_logger import ProgbarLogger


def _flatten(callbacks):
    for callback in callbacks:
        if isinstance(callback, (list, tuple)):
            yield from _flatten(callback)
        elif callback is not None:
            yield callback


def _flat_logs(logs, result=None):
    """Nested dicts of logs merged into one dict, sorted by key as Keras does."""
    result = {} if result is None else result
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict) and key != "outputs":  # predict's outputs stay whole
            _flat_logs(value, result)
        else:
            result[key] = value
    return result


def _host_logs(logs):
    """Flat logs with each scalar as a Python float, read from the device in one transfer."""
    logs = jax.device_get(_flat_logs(logs))
    result = {}
    for key, value in logs.items():
        try:
            result[key] = float(value)
        except (TypeError, ValueError):
            result[key] = value
    return result


def _default_progbar(add_progbar):
    """`add_progbar="auto"` picks the widget bar inside a Jupyter kernel, the text bar elsewhere."""
    if add_progbar == "auto":
        from workbench.notebook._display import in_notebook

        if in_notebook():
            from workbench.notebook.progress import NotebookProgbarLogger

            return NotebookProgbarLogger()
    return ProgbarLogger()


@keras_export("keras.callbacks.CallbackList")
class CallbackList(Callback):
    """Calls the hooks of a list of callbacks, in order.

    Epoch-level and begin/end logs reach the callbacks as Python floats. Batch-level
    logs reach them unchanged (JAX device scalars), so no hook forces a host sync
    unless a callback reads a value.

    Args:
        callbacks: List of `Callback` instances.
        add_history: Whether to add a `History` callback if the list has none.
        add_progbar: Whether to add a `ProgbarLogger` callback if the list has none. `"auto"`
            adds tqdm's widget bar when running in a Jupyter kernel, the text bar elsewhere.
        model: The `Model` these callbacks are used with.
        **params: Passed to each callback via `set_params` (`verbose`, `epochs`, `steps`).

    Example:

    >>> callbacks = CallbackList([EarlyStopping()], add_history=True, model=model)  # doctest: +SKIP
    >>> callbacks.on_train_begin()  # doctest: +SKIP
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = list(_flatten(callbacks or []))
        self._batch_listeners = {}
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = _default_progbar(add_progbar)
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def needs_batch_hooks(self, mode):
        """Whether some callback must see every batch of `mode` ("train", "test" or "predict").

        When this is False the trainer may fuse several steps into one XLA program and
        call the batch hooks once per fused execution, with the last step's index.
        `History` and `ProgbarLogger` never need every batch.
        """
        if mode not in _BATCH_HOOKS:
            raise ValueError(
                f"needs_batch_hooks expects mode 'train', 'test' or 'predict'. Received: mode={mode!r}"
            )
        for callback in self.callbacks:
            needs = getattr(callback, "_needs_batch_hooks", None)
            # A callback from another library: assume it needs every batch.
            if needs is None or needs(mode):
                return True
        return False

    def _needs_batch_hooks(self, mode):
        return self.needs_batch_hooks(mode)

    def _listeners(self, hook_name):
        """The callbacks whose `hook_name` does something: batch hooks run once per step, so the
        inherited no-ops (History's, for one) are not called at all."""
        aliases = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}
        names = (hook_name, aliases.get(hook_name, hook_name))
        return [callback for callback in self.callbacks
                if not isinstance(callback, Callback) or any(callback._overrides(n) for n in names)]

    def listens(self, hook_name):
        """Whether some callback does something in the batch hook `hook_name`."""
        listeners = self._batch_listeners.get(hook_name)
        if listeners is None:
            listeners = self._batch_listeners[hook_name] = self._listeners(hook_name)
        return bool(listeners)

    def append(self, callback):
        self.callbacks.append(callback)
        self._batch_listeners = {}

    def _call_batch_hook(self, hook_name, batch, logs):
        if not self.listens(hook_name):
            return
        logs = _flat_logs(logs)
        for callback in self._batch_listeners[hook_name]:
            getattr(callback, hook_name)(batch, logs=logs)

    def _call_hook(self, hook_name, logs):
        logs = _host_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook_name)(logs)

    def on_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        logs = _host_logs(logs)
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = _host_logs(logs)
        for callback in self.callbacks:
            callback.on_epoch_end(epoch, logs)

    def on_train_begin(self, logs=None):
        self._call_hook("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call_hook("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call_hook("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call_hook("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call_hook("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call_hook("on_predict_end", logs)
