"""The Callback base class: hooks into fit, evaluate and predict."""

from workbench.api_export import keras_export

_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


@keras_export("keras.callbacks.Callback")
class Callback:
    """Base class used to build new callbacks.

    Subclass it and override the hooks you need. `fit()`, `evaluate()` and `predict()`
    call the hooks of every callback passed to them.

    Batch-level `logs` hold the values as the step returned them: JAX device scalars.
    Reading one (`float(logs["loss"])`) waits for the device, so read them only when
    you need them. Epoch-level `logs` hold Python floats.

    When the trainer fuses several steps into one XLA program (`steps_per_execution`),
    batch hooks run once per execution with the index of its last step. A callback
    that overrides a batch hook turns the automatic fusion off, so it sees every batch.

    Attributes:
        params: Dict. Training parameters (`verbose`, `epochs`, `steps`).
        validation_data: None, unless the trainer sets it (as tf.keras did).
        model: The model being trained. Reading it writes the trainer's current state
            back into the model's variables first, so callbacks see current weights.

    Example:

    >>> class PrintEpoch(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(f"epoch {epoch}: loss {logs['loss']:.3f}")
    """

    # Class-level defaults keep subclasses working that skip `super().__init__()`.
    params = None
    validation_data = None
    _model = None

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        # During fit the trainer keeps the state outside the Variables.
        sync = getattr(self._model, "_sync_state_to_variables", None)
        if sync is not None:
            sync()
        return self._model

    def _overrides(self, hook_name):
        method = getattr(self, hook_name)
        return getattr(method, "__func__", method) is not getattr(Callback, hook_name)

    def _needs_batch_hooks(self, mode):
        """Whether this callback must see every batch of `mode` ("train", "test", "predict")."""
        return any(self._overrides(name) for name in _BATCH_HOOKS[mode])

    def on_batch_begin(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch, in `fit()` only."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch, with the epoch's metrics (and `val_` ones) in `logs`."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called at the beginning of a training batch in `fit()`."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called at the end of a training batch, with the metrics so far in `logs`."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called at the beginning of a batch in `evaluate()` (and validation in `fit()`)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called at the end of a batch in `evaluate()` (and validation in `fit()`)."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called at the beginning of a batch in `predict()`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called at the end of a batch in `predict()`, with `logs["outputs"]`."""

    def on_train_begin(self, logs=None):
        """Called at the beginning of training."""

    def on_train_end(self, logs=None):
        """Called at the end of training, with the last epoch's logs."""

    def on_test_begin(self, logs=None):
        """Called at the beginning of evaluation or validation."""

    def on_test_end(self, logs=None):
        """Called at the end of evaluation or validation, with its metrics in `logs`."""

    def on_predict_begin(self, logs=None):
        """Called at the beginning of prediction."""

    def on_predict_end(self, logs=None):
        """Called at the end of prediction."""
