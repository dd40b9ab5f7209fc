"""SwapEMAWeights: evaluate and predict with the optimizer's moving average of the weights."""

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback


@keras_export("keras.callbacks.SwapEMAWeights")
class SwapEMAWeights(Callback):
    """Swaps the model's weights and the optimizer's EMA weights around evaluation.

    Use it with an optimizer built with `use_ema=True`. Before `evaluate()` (and the
    validation inside `fit()`) and before `predict()`, the model's trainable weights
    are swapped with their exponential moving averages, and swapped back afterwards.
    With `swap_on_epoch=True` the swap also happens around `on_epoch_end`, so other
    callbacks (a `ModelCheckpoint`, say) see the EMA weights; then list this callback
    before them.

    Args:
        swap_on_epoch: Whether to also swap at the end of each epoch, and back at the
            beginning of the next one.

    Example:

    >>> model.compile(optimizer=SGD(use_ema=True), loss="mse")  # doctest: +SKIP
    >>> model.fit(x, y, validation_data=(x_val, y_val),
    ...           callbacks=[SwapEMAWeights()])  # doctest: +SKIP
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner:
            found = [opt for opt in inner if getattr(opt, "use_ema", False)]
            if not found:
                raise ValueError(
                    "SwapEMAWeights must be used when at least one inner optimizer has "
                    "`use_ema=True` set. Received a MultiOptimizer whose inner optimizers all "
                    "have `use_ema=False`."
                )
        else:
            found = [optimizer]
        for opt in found:
            if not hasattr(opt, "_model_variables_moving_average"):
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                    f"Received: use_ema={getattr(opt, 'use_ema', None)}"
                )
        return found

    def _pairs(self):
        for optimizer in self._ema_optimizers():
            yield from zip(optimizer._trainable_variables, optimizer._model_variables_moving_average)

    def _swap_variables(self):
        for variable, average in self._pairs():
            current = variable.value  # JAX arrays are immutable: safe to hold across the assign
            variable.assign(average.value)
            average.assign(current)

    def _finalize_ema_values(self):
        # fit() ends with `finalize_variable_values`, which copies the averages into the
        # model. The model holds the EMA weights now, so make the averages equal them.
        for variable, average in self._pairs():
            average.assign(variable.value)

    def _swap_in(self):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def _swap_out(self):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._swap_out()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_in()
            if self.params and epoch == self.params.get("epochs", 0) - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        self._swap_in()

    def on_test_end(self, logs=None):
        self._swap_out()

    def on_predict_begin(self, logs=None):
        self._swap_in()

    def on_predict_end(self, logs=None):
        self._swap_out()
