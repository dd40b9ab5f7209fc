"""GroupedQueryAttention: multi-head attention whose query heads share fewer key/value heads."""

import math

from workbench import config, constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.tensor_attributes import get_mask, set_mask
from workbench.layers.activations.softmax import Softmax
from workbench.layers.attention.multi_head_attention import (
    causal_mask,
    check_positive_int,
    expand_mask_to_scores,
    merge_attention_masks,
)
from workbench.layers.core.einsum_dense import EinsumDense
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import Dropout, check_rate


@keras_export("keras.layers.GroupQueryAttention")
class GroupedQueryAttention(Layer):
    """Grouped-query attention (Ainslie et al., 2023): query heads in groups share key/value heads.

    With `num_key_value_heads == num_query_heads` this is multi-head attention; with one
    key/value head it is multi-query attention. Fewer key/value heads shrink the key/value
    projections (and a decoder's cache). Query head `i` attends with key/value head
    `i // (num_query_heads // num_key_value_heads)`.

    Args:
        head_dim: the size of each head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key/value heads; must divide `num_query_heads`.
        dropout: dropout rate on the attention probabilities (in training).
        use_bias: whether the projections have biases.
        sliding_window: if set, each query step attends only to key steps within
            `sliding_window - 1` steps of it.
        flash_attention: True requests the fused cuDNN kernel (GPU; no dropout and no returned
            scores); None follows `workbench.config.is_flash_attention_enabled()`.
        kernel_initializer / bias_initializer: initializers of the projections.
        kernel_regularizer / bias_regularizer / activity_regularizer: optional regularizers of the
            projections.
        kernel_constraint / bias_constraint: optional constraints of the projections.
        use_gate: whether to gate the heads' outputs with a sigmoid projection of the query.
        seed: an int seed for the dropout.

    Call arguments:
        query: `(B, T, dim)`; value: `(B, S, dim)`; key: optional `(B, S, dim)`, default `value`.
        query_mask / value_mask / key_mask: optional padding masks; by default the tensors' masks.
        attention_mask: optional booleans `(B, T, S)`; True lets step t attend to step s.
        return_attention_scores: whether to return `(output, scores)`, scores
            `(B, num_query_heads, T, S)`.
        training: whether to apply dropout.
        use_causal_mask: whether step t may only attend to steps up to t.

    Input shape:
        `query (B, T, dim)`, `value (B, S, dim)`, `key (B, S, dim)`.

    Output shape:
        `(B, T, dim)`.

    Example:

    >>> layer = GroupedQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    >>> layer(np.ones((1, 3, 8)), np.ones((1, 5, 8))).shape
    (1, 3, 8)
    """

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True,
                 sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        for name, value in (("head_dim", head_dim), ("num_query_heads", num_query_heads),
                            ("num_key_value_heads", num_key_value_heads)):
            check_positive_int(name, value)
        check_positive_int("sliding_window", sliding_window, allow_none=True)
        check_rate("GroupedQueryAttention", dropout, "dropout")
        if num_query_heads % num_key_value_heads:
            raise ValueError(
                "`num_query_heads` must be a multiple of `num_key_value_heads`. Received: "
                f"num_query_heads={num_query_heads}, num_key_value_heads={num_key_value_heads}"
            )
        # As in Keras, the activity regularizer applies to this layer's outputs and to each
        # projection's.
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._flash_attention = flash_attention or config.is_flash_attention_enabled()
        if self._flash_attention and dropout > 0:
            raise ValueError(
                "Flash attention does not support dropout. Set dropout=0.0 or "
                f"flash_attention=False. Received: dropout={dropout}"
            )
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def build(self, query_shape, value_shape, key_shape=None):
        # b batch, q query steps, k key steps, m model dim, u query heads, v key/value heads,
        # h head dim.
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        self._query_dense = self._sublayer("bqm,muh->bquh", self.num_query_heads, "uh", "query",
                                           query_shape)
        self._key_dense = self._sublayer("bkm,mvh->bkvh", self.num_key_value_heads, "vh", "key",
                                         key_shape)
        if self.use_gate:
            self._gate_dense = self._sublayer("bqm,muh->bquh", self.num_query_heads, "uh", "gate",
                                              query_shape, activation="sigmoid")
        self._value_dense = self._sublayer("bkm,mvh->bkvh", self.num_key_value_heads, "vh",
                                           "value", value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = EinsumDense("bquh,uhm->bqm", output_shape=(None, self.feature_dim),
                                         bias_axes="m" if self.use_bias else None,
                                         name="attention_output", **self._sublayer_kwargs())
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))
        self._output_dense.built = True

    def _sublayer_kwargs(self):
        # Each sublayer gets its own initializer instance, so seeded ones still differ.
        return dict(kernel_initializer=self.kernel_initializer.clone(),
                    bias_initializer=self.bias_initializer.clone(),
                    kernel_regularizer=self.kernel_regularizer,
                    bias_regularizer=self.bias_regularizer,
                    activity_regularizer=self.activity_regularizer,
                    kernel_constraint=self.kernel_constraint, bias_constraint=self.bias_constraint,
                    dtype=self.dtype_policy)

    def _sublayer(self, equation, heads, bias_axes, name, input_shape, activation=None):
        layer = EinsumDense(equation, output_shape=(None, heads, self.head_dim),
                            bias_axes=bias_axes if self.use_bias else None, activation=activation,
                            name=name, **self._sublayer_kwargs())
        layer.build(tuple(input_shape))
        layer.built = True
        return layer

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        query_mask = get_mask(query) if query_mask is None else query_mask
        value_mask = get_mask(value) if value_mask is None else value_mask
        key_mask = get_mask(key) if key_mask is None and key is not None else key_mask
        key = value if key is None else key
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self.sliding_window is None)
        if not causal_only:
            attention_mask = merge_attention_masks(
                query, value, query_mask, value_mask, key_mask, attention_mask,
                use_causal_mask=use_causal_mask, sliding_window=self.sliding_window)
        gate = self._gate_dense(query) if self.use_gate else None
        output, scores = self._compute_attention(
            self._query_dense(query), self._key_dense(key), self._value_dense(value),
            attention_mask=attention_mask, training=training,
            return_attention_scores=return_attention_scores, use_causal_mask=causal_only)
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        if query_mask is not None:
            set_mask(output, query_mask)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """Attends with the projected `(B, T, u, h)` query and `(B, S, v, h)` key and value."""
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                "Flash attention cannot return attention scores. Create the layer with "
                "flash_attention=False to get them."
            )
        if not (self.dropout > 0 or return_attention_scores):
            # The kernel shares each key/value head across its query group without copies.
            if attention_mask is not None:
                attention_mask = ops.cast(expand_mask_to_scores(attention_mask, 4, 1), "bool")
            output = ops.dot_product_attention(query, key, value, mask=attention_mask,
                                               scale=self._inverse_sqrt_head_dim,
                                               is_causal=use_causal_mask,
                                               flash_attention=self._flash_attention)
            return output, None
        key = ops.repeat(key, self.num_repeats, axis=2)
        value = ops.repeat(value, self.num_repeats, axis=2)
        if use_causal_mask:
            attention_mask = causal_mask(query.shape[1], value.shape[1])
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, query, key)
        if attention_mask is not None:
            attention_mask = expand_mask_to_scores(attention_mask, scores.ndim, 1)
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "`query` and `value` must have the same last dimension. Received: "
                f"query_shape={tuple(query_shape)}, value_shape={tuple(value_shape)}"
            )
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "`value` and `key` must have equal shapes except for the last axis. "
                f"Received: value_shape={tuple(value_shape)}, key_shape={tuple(key_shape)}"
            )
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        key = value if key is None else key
        output = KerasTensor(self.compute_output_shape(query.shape, value.shape, key.shape),
                             dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        scores_shape = (query.shape[0], self.num_query_heads, query.shape[1], key.shape[1])
        return output, KerasTensor(scores_shape, dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }
