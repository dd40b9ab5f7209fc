"""LambdaCallback: a callback made of plain functions."""

from workbench.api_export import keras_export
from workbench.callbacks.callback import Callback


@keras_export("keras.callbacks.LambdaCallback")
class LambdaCallback(Callback):
    """Builds a callback from functions, one per hook.

    `on_epoch_begin` and `on_epoch_end` take `(epoch, logs)`, the batch hooks take
    `(batch, logs)`, and `on_train_begin` and `on_train_end` take `(logs)`. Any other
    hook (`on_test_begin=...`, `on_predict_batch_end=...`) can be given by keyword.
    Giving a batch hook makes the trainer call it for every batch.

    Args:
        on_epoch_begin: called at the beginning of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_train_begin: called at the beginning of training.
        on_train_end: called at the end of training.
        on_train_batch_begin: called at the beginning of every training batch.
        on_train_batch_end: called at the end of every training batch.
        **kwargs: Any other hook of `Callback`, as a function.

    Example:

    >>> losses = []
    >>> record = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    >>> model.fit(x, y, callbacks=[record])  # doctest: +SKIP
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
