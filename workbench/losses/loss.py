"""The `Loss` base class, and the reductions that turn per-sample losses into one value.

A loss call runs in three steps, all pure functions of arrays (they run inside the jitted step):
`call(y_true, y_pred)` gives per-sample losses; the mask on `y_pred` (and any mask `call` puts on
its result) merges into the sample weights; the weighted losses are reduced as `reduction` says.
"""

import jax
import jax.numpy as jnp
import numpy as np

from workbench import dtype_policies, tree
from workbench.api_export import keras_export
from workbench.backend import config as backend_config
from workbench.backend import naming
from workbench.backend.keras_tensor import any_symbolic_tensors
from workbench.backend.tensor_attributes import get_mask
from workbench.ops.core import convert_to_tensor

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


@keras_export("keras.Loss", "keras.losses.Loss")
class Loss:
    """The base class of losses: subclass it and implement `call(y_true, y_pred)`.

    `call` returns the loss of each sample (usually reduced over the last axis); `__call__` then
    applies masks and sample weights and reduces the result.

    Args:
        name: the loss name. Defaults to the snake-case class name, made unique.
        reduction: how per-sample losses become one value. `"sum_over_batch_size"` (the default)
            and `"mean"` sum the weighted losses and divide by their number; `"sum"` sums them;
            `"mean_with_sample_weight"` divides the sum by the sum of the sample weights;
            `"none"` and `None` return the weighted losses unreduced.
        dtype: the dtype of the computation, or a dtype policy (its compute dtype is used).
            Defaults to `workbench.config.floatx()`.

    Example:

    >>> class MeanFourthPower(workbench.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return jnp.mean((y_pred - y_true) ** 4, axis=-1)
    >>> float(MeanFourthPower()(jnp.zeros((2, 3)), jnp.ones((2, 3))))
    1.0
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.auto_name(self.__class__.__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype_policies.get(dtype or backend_config.floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        if any_symbolic_tensors((y_true, y_pred, sample_weight)):
            from workbench.backend.symbolic import compute_output_spec

            return compute_output_spec(self.__call__, y_true, y_pred, sample_weight)
        in_mask = get_mask(y_pred)
        with jax.named_scope(self.name):
            y_pred = tree.map_structure(lambda x: convert_to_tensor(x, dtype=self.dtype), y_pred)
            y_true = tree.map_structure(lambda x: convert_to_tensor(x, dtype=self.dtype), y_true)
            losses = self.call(y_true, y_pred)
            out_mask = get_mask(losses)
            if in_mask is not None and out_mask is not None:
                mask = jnp.logical_and(in_mask, out_mask)
            else:
                mask = in_mask if in_mask is not None else out_mask
            return reduce_weighted_values(
                losses,
                sample_weight=sample_weight,
                mask=mask,
                reduction=self.reduction,
                dtype=self.dtype,
            )

    def call(self, y_true, y_pred):
        raise NotImplementedError(
            f"{self.__class__.__name__} must implement `call(y_true, y_pred)`, returning the "
            "loss of each sample."
        )

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def standardize_reduction(reduction):
    """Returns `reduction` if it is one of `REDUCTIONS`; raises ValueError otherwise."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {list(REDUCTIONS)}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Aligns two tensors whose ranks differ by one in a trailing axis of size 1.

    The higher-rank one loses that axis, except that a rank-1 partner gains one instead (when
    `expand_rank_1`): `(batch,)` against `(batch, 1)` gives two `(batch, 1)` tensors.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, axis=-1)
        else:
            x1 = jnp.squeeze(x1, axis=-1)
    elif rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, axis=-1)
        else:
            x2 = jnp.squeeze(x2, axis=-1)
    return x1, x2


def divide_no_nan(numerator, denominator):
    """`numerator / denominator`, and 0 where the denominator is 0 (with finite gradients)."""
    safe = jnp.where(denominator == 0, jnp.ones_like(denominator), denominator)
    return jnp.where(denominator == 0, jnp.zeros_like(numerator / safe), numerator / safe)


def _size(shape, dtype):
    return jnp.asarray(int(np.prod(shape, dtype=np.int64)), dtype=dtype)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces already-weighted `values`; scalars and empty vectors are returned as they are."""
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = jnp.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = jnp.sum(sample_weight).astype(loss.dtype)
    else:
        divisor = _size(values.shape, loss.dtype)
    return divide_no_nan(loss, divisor)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean `mask` into `sample_weight`.

    For the averaging reductions, kept entries weigh `total / kept`, so that the sum divided by
    the number of all entries is the mean over the kept ones.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        kept = jnp.sum(mask.astype(dtype))
        weight = divide_no_nan(_size(mask.shape, dtype), kept)
        float_mask = jnp.where(mask.astype(bool), weight, jnp.zeros_like(weight))
    else:
        float_mask = mask.astype(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(
        float_mask, sample_weight.astype(dtype)
    )
    return sample_weight * float_mask


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Applies `mask` and `sample_weight` to per-sample `values`, then reduces them."""
    reduction = standardize_reduction(reduction)
    values = convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = convert_to_tensor(mask, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(
            values, sample_weight.astype(values.dtype)
        )
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
