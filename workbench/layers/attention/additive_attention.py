"""AdditiveAttention: Bahdanau-style attention, scores `sum(scale * tanh(query + key))`."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.attention.attention import Attention


@keras_export("keras.layers.AdditiveAttention")
class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention over `[query, value(, key)]`.

    The scores are `sum(scale * tanh(query + key))` over the features, with a learned per-feature
    `scale` (`use_scale=True`); a softmax over the value steps turns them into weights, and the
    output is the weighted sum of the values. Masks, causal masking and dropout work as in
    `Attention`.

    Args:
        use_scale: whether to learn the per-feature `scale` (of shape `(dim,)`).
        dropout: dropout rate on the attention weights (in training).
        seed: an int seed for the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`; `key` defaults to `value`.
        mask: optional `[query_mask, value_mask]`; by default the masks the inputs carry.
        training: whether to apply dropout.
        return_attention_scores: whether to return `(output, scores)`.
        use_causal_mask: whether query step i may only attend to value steps up to i.

    Input shape:
        `query (B, Tq, dim)`, `value (B, Tv, dim_v)`, `key (B, Tv, dim)`.

    Output shape:
        `(B, Tq, dim_v)`; scores are `(B, Tq, Tv)`.

    Example:

    >>> query, value = np.ones((2, 3, 4)), np.ones((2, 5, 4))
    >>> AdditiveAttention()([query, value]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],),
                                         initializer="glorot_uniform")

    def _calculate_scores(self, query, key):
        pairs = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)  # (B, Tq, Tv, dim)
        scale = self.scale if self.use_scale else 1.0
        return ops.sum(scale * ops.tanh(pairs), axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
