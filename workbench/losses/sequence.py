"""The CTC loss, for sequence labelling without alignments (speech, handwriting)."""

import jax.numpy as jnp
import optax

from workbench.api_export import keras_export
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper
from workbench.ops.core import convert_to_tensor

BLANK = 0


@keras_export("keras.losses.ctc")
def ctc(y_true, y_pred):
    """The connectionist temporal classification loss of each sequence.

    Class 0 is the blank, and also pads the labels: a label sequence's length is its number of
    nonzero entries. Every time step of `y_pred` counts.

    Args:
        y_true: integer labels, `(batch, max_label_length)`, padded with 0.
        y_pred: logits, `(batch, time, num_classes)`.

    Returns:
        The negative log-likelihood of each label sequence, `(batch,)`.
    """
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    if y_true.ndim != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in "
            f"integer format. Received: y_true.shape={y_true.shape}"
        )
    if y_pred.ndim != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            f"`(batch_size, max_length, num_classes)`. Received: y_pred.shape={y_pred.shape}"
        )
    # optax's recursion is the one Keras uses on JAX, so values agree even for padded labels
    # with a blank inside.
    y_pred = y_pred.astype(jnp.promote_types(y_pred.dtype, jnp.float32))
    labels = y_true.astype("int32")
    label_lengths = jnp.sum(labels != BLANK, axis=-1)
    positions = jnp.arange(labels.shape[1])[None, :]
    label_paddings = (positions >= label_lengths[:, None]).astype(y_pred.dtype)
    logit_paddings = jnp.zeros(y_pred.shape[:2], y_pred.dtype)
    return optax.ctc_loss(y_pred, logit_paddings, labels, label_paddings, blank_id=BLANK)


@keras_export("keras.losses.CTC")
class CTC(LossFunctionWrapper):
    """The CTC loss: `y_true` integer labels padded with 0 (the blank), `y_pred` logits
    `(batch, time, num_classes)`.

    Args:
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    get_config = Loss.get_config
