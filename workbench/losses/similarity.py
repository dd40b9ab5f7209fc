"""The circle loss, for metric learning on L2-normalized embeddings (Sun et al., 2020)."""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend.tensor_attributes import set_mask
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float


def positive_and_negative_masks(query_labels, key_labels, remove_diagonal=True):
    """Pairs `(i, j)` with equal labels (positives) and with different labels (negatives).

    With `remove_diagonal`, a query is not its own positive (for queries that are the keys).
    """
    query_labels = jnp.reshape(query_labels, (-1, 1))
    key_labels = jnp.reshape(key_labels, (-1, 1))
    positive = query_labels == key_labels.T
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~jnp.eye(query_labels.size, key_labels.size, dtype=bool)
    return positive, negative


@keras_export("keras.losses.circle")
def circle(
    y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4
):
    """The circle loss of each query embedding against the reference embeddings.

    Positive pairs are pulled below cosine distance `margin` and negatives pushed beyond
    `1 - margin`, each pair weighted by how far it is from its optimum. Queries with no loss are
    masked out of the reduction (the result carries that mask).

    Args:
        y_true: integer labels of the queries, `(batch,)`.
        y_pred: L2-normalized query embeddings, `(batch, dim)`.
        ref_labels, ref_embeddings: the references; default to the queries themselves.
        remove_diagonal: whether a query is excluded as its own positive.
        gamma: the scale of the similarities.
        margin: the relaxation margin.
    """
    y_pred = to_float(y_pred)
    y_true = convert_to_tensor(y_true).astype("int32")
    ref_embeddings = y_pred if ref_embeddings is None else convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else convert_to_tensor(ref_labels).astype("int32")

    distances = jnp.maximum(1 - jnp.matmul(y_pred, ref_embeddings.T), 0.0)
    positive, negative = positive_and_negative_masks(y_true, ref_labels, remove_diagonal)
    positive_weights = jnp.maximum((margin + distances) * positive.astype(distances.dtype), 0.0)
    negative_weights = jnp.maximum((1 + margin - distances) * negative.astype(distances.dtype), 0.0)
    positive_terms = -gamma * positive_weights * (margin - distances)
    negative_terms = gamma * negative_weights * (1 - margin - distances)
    positive_loss = jax.scipy.special.logsumexp(
        jnp.where(positive, positive_terms, -jnp.inf), axis=1
    )
    negative_loss = jax.scipy.special.logsumexp(
        jnp.where(negative, negative_terms, -jnp.inf), axis=1
    )
    losses = jax.nn.softplus(positive_loss + negative_loss)
    set_mask(losses, losses > 0)
    return losses


@keras_export("keras.losses.Circle")
class Circle(LossFunctionWrapper):
    """The circle loss: pulls embeddings of one class together and pushes other classes apart.

    `y_true` holds integer labels `(batch,)`, `y_pred` L2-normalized embeddings `(batch, dim)`;
    every other sample of the batch serves as a reference.

    Args:
        gamma: the scale of the similarities.
        margin: the relaxation margin.
        remove_diagonal: whether a sample is excluded as its own positive.
        reduction, name, dtype: as for `workbench.losses.Loss`.
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        return {
            **Loss.get_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }
