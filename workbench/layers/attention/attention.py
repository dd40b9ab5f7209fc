"""Attention: dot-product (Luong-style) attention over `[query, value(, key)]`."""

from workbench import ops, random
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.attention.multi_head_attention import causal_mask
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import check_rate

_SCORE_MODES = ("dot", "concat")


@keras_export("keras.layers.Attention")
class Attention(Layer):
    """Dot-product attention: each query step takes a softmax-weighted average of the values.

    The scores are `query . key` (`score_mode="dot"`), or
    `concat_score_weight * sum(tanh(query + key))` (`score_mode="concat"`); a softmax over the
    value steps turns them into weights, and the output is the weighted sum of the values.

    Args:
        use_scale: whether to learn a scalar `scale` that multiplies the scores.
        score_mode: `"dot"` or `"concat"`.
        dropout: dropout rate on the attention weights (in training).
        seed: an int seed for the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`; `key` defaults to `value`.
        mask: optional `[query_mask, value_mask]`, `(B, Tq)` and `(B, Tv)` booleans; by default
            the masks the inputs carry. Masked value steps get no weight; masked query steps
            output zeros.
        training: whether to apply dropout.
        return_attention_scores: whether to return `(output, scores)`.
        use_causal_mask: whether query step i may only attend to value steps up to i.

    Input shape:
        `query (B, Tq, dim)`, `value (B, Tv, dim_v)`, `key (B, Tv, dim)`.

    Output shape:
        `(B, Tq, dim_v)`; scores are `(B, Tq, Tv)`.

    Example:

    >>> query, value = np.ones((2, 3, 4)), np.ones((2, 5, 4))
    >>> Attention()([query, value]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in _SCORE_MODES:
            raise ValueError(
                f"`score_mode` must be one of {_SCORE_MODES}. Received: score_mode={score_mode!r}"
            )
        check_rate(self.__class__.__name__, dropout, "dropout")
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")

    def _calculate_scores(self, query, key):
        """The `(B, Tq, Tv)` scores of each query step against each key step."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        pairs = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * ops.sum(ops.tanh(pairs), axis=-1)

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """Softmax over the unmasked value steps, optional dropout, then the weighted values."""
        if scores_mask is not None:
            if scores_mask.ndim == 2:
                scores_mask = ops.expand_dims(scores_mask, -2)
            # A large finite penalty (the largest float16 for float16) keeps gradients finite.
            penalty = 65504.0 if scores.dtype == "float16" else 1.0e9
            scores = ops.where(scores_mask, scores, scores - penalty)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = None if value_mask is None else ops.cast(value_mask, "bool")
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            scores_mask = causal if scores_mask is None else ops.logical_and(
                ops.expand_dims(scores_mask, -2), causal)
        output, weights = self._apply_scores(scores, value, scores_mask, training=training)
        if query_mask is not None:
            output = ops.where(ops.expand_dims(ops.cast(query_mask, "bool"), -1), output, 0)
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False, **kwargs):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(self.compute_output_shape([query.shape, value.shape]),
                             dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        return output, KerasTensor((*query.shape[:-1], key.shape[-2]), dtype=self.compute_dtype)

    def _validate_inputs(self, inputs, mask=None):
        name = self.__class__.__name__
        if not isinstance(inputs, (list, tuple)) or not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} must be called on a list [query, value] or [query, value, key]. "
                f"Received: inputs={inputs!r}"
            )
        if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
            raise ValueError(
                f"{name} takes a mask list [query_mask, value_mask] matching the inputs. "
                f"Received: mask={mask!r}"
            )

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
