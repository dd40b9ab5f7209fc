"""MultiHeadAttention: scaled dot-product attention over learned projections of its inputs."""

import math
import string

from workbench import config, constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.backend.tensor_attributes import get_mask, set_mask
from workbench.layers.activations.softmax import Softmax
from workbench.layers.core.einsum_dense import EinsumDense
from workbench.layers.layer import Layer
from workbench.layers.regularization.dropout import Dropout, check_rate


def check_positive_int(name, value, allow_none=False):
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer{' or None' if allow_none else ''}. "
            f"Received: {name}={value!r}"
        )


def causal_mask(query_length, value_length):
    """`(1, T, S)` booleans, True where target step t may attend to source step s (s <= t)."""
    return ops.expand_dims(ops.tril(ops.ones((query_length, value_length), dtype="bool")), 0)


def sliding_window_mask(query_length, value_length, window):
    """`(1, T, S)` booleans, True where `|t - s| < window`."""
    distance = ops.abs(ops.arange(query_length)[:, None] - ops.arange(value_length)[None, :])
    return ops.expand_dims(ops.less(distance, window), 0)


def merge_attention_masks(query, value, query_mask=None, value_mask=None, key_mask=None,
                          attention_mask=None, use_causal_mask=False, sliding_window=None):
    """ANDs the padding masks (`(B, T)` query, `(B, S)` value/key), the causal and window masks,
    and `attention_mask` into one boolean `(B, T, S)` mask; None when there is none."""
    masks = [] if attention_mask is None else [ops.cast(attention_mask, "bool")]
    if query_mask is not None:
        masks.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
    for padding in (value_mask, key_mask):
        if padding is not None:
            masks.append(ops.expand_dims(ops.cast(padding, "bool"), -2))
    if use_causal_mask:
        masks.append(causal_mask(query.shape[1], value.shape[1]))
    if sliding_window is not None:
        masks.append(sliding_window_mask(query.shape[1], value.shape[1], sliding_window))
    if not masks:
        return None
    merged = masks[0]
    for mask in masks[1:]:
        merged = ops.logical_and(merged, mask)
    return merged


def expand_mask_to_scores(mask, scores_rank, num_attention_axes):
    """Inserts the head axis (and any missing batch axes) so `mask` broadcasts against scores."""
    while mask.ndim < scores_rank:
        mask = ops.expand_dims(mask, -2 * num_attention_axes - 1)
    return mask


def projection_equation(free_dims, bound_dims, output_dims):
    """An einsum projection that keeps `free_dims` axes, contracts `bound_dims`, and adds
    `output_dims`. Returns `(equation, bias_axes, output_rank)`."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims:free_dims + bound_dims]
    new = letters[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def attention_equations(rank, attention_axes):
    """The einsum equations for projected inputs of `rank`, `(batch..., heads, channels)`:
    `(key, query) -> scores (batch..., heads, query attention axes, key attention axes)` and
    `(scores, value) -> output`. Returns `(dot_product, combine, scores_rank)`."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_axes = [i for i in range(rank - 1) if i not in attention_axes]
    source = list(target)
    for offset, axis in enumerate(attention_axes):
        source[axis] = letters[rank + offset]
    source = "".join(source)
    product = ("".join(target[i] for i in batch_axes) + "".join(target[i] for i in attention_axes)
               + "".join(source[i] for i in attention_axes))
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


@keras_export("keras.layers.MultiHeadAttention")
class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017): `num_heads` attentions over projected inputs.

    `query`, `key` and `value` are projected per head (sublayers `query`, `key`, `value`), each
    query step attends to the key steps with `softmax(query . key / sqrt(key_dim))`, the heads'
    weighted values are concatenated and projected back (sublayer `attention_output`). With
    `query is value` this is self-attention.

    Padding masks come from the inputs: a `query` or `value` produced by
    `Embedding(mask_zero=True)` carries a mask, and masked steps are not attended to (and a masked
    query step keeps its mask on the output). They combine with `attention_mask` and the causal
    mask by logical AND.

    Args:
        num_heads: the number of attention heads.
        key_dim: the size of each head of the query and key projections.
        value_dim: the size of each head of the value projection; defaults to `key_dim`.
        dropout: dropout rate on the attention probabilities (in training).
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (an int or a tuple); defaults to the query's
            last dimension.
        attention_axes: the axes attended over; None means all axes but batch, heads and features.
        sliding_window: if set, each query step attends only to key steps within
            `sliding_window - 1` steps of it (a symmetric band; AND it with the causal mask for
            the causal sliding window of Mistral-style models).
        flash_attention: True requests the fused cuDNN kernel (GPU; no dropout and no returned
            scores); None follows `workbench.config.is_flash_attention_enabled()`.
        kernel_initializer / bias_initializer: initializers of the projections.
        kernel_regularizer / bias_regularizer / activity_regularizer: optional regularizers of the
            projections.
        kernel_constraint / bias_constraint: optional constraints of the projections.
        use_gate: whether to gate the heads' outputs with a sigmoid projection of the query
            (sublayer `gate`).
        seed: an int seed for the dropout.

    Call arguments:
        query: `(B, T, dim)`, the target sequence.
        value: `(B, S, dim)`, the source sequence.
        key: optional `(B, S, dim)`; defaults to `value`.
        query_mask / value_mask / key_mask: optional `(B, T)` / `(B, S)` padding masks; they
            default to the masks the tensors carry.
        attention_mask: optional booleans `(B, T, S)`; True lets query step t attend to key step s.
        return_attention_scores: whether to return `(output, scores)`, scores of shape
            `(B, num_heads, T, S)`.
        training: whether to apply dropout.
        use_causal_mask: whether step t may only attend to steps up to t (decoders).

    Input shape:
        `query (B, T, dim)`, `value (B, S, dim_v)`, `key (B, S, dim_k)`, or more axes with
        `attention_axes`.

    Output shape:
        `(B, T, dim)`, or `(B, T, *output_shape)`.

    Example:

    >>> layer = MultiHeadAttention(num_heads=2, key_dim=4)
    >>> output, scores = layer(np.ones((1, 3, 8)), np.ones((1, 5, 8)), return_attention_scores=True)
    >>> output.shape, scores.shape
    ((1, 3, 8), (1, 2, 3, 5))
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        check_positive_int("num_heads", num_heads)
        check_positive_int("key_dim", key_dim)
        check_positive_int("value_dim", value_dim, allow_none=True)
        check_positive_int("sliding_window", sliding_window, allow_none=True)
        check_rate("MultiHeadAttention", dropout, "dropout")
        super().__init__(**kwargs)
        if output_shape:
            output_shape = (output_shape,) if isinstance(output_shape, int) else output_shape
            if not isinstance(output_shape, (list, tuple)):
                raise ValueError(
                    "`output_shape` must be an int, a tuple or a list. "
                    f"Received: output_shape={output_shape!r}"
                )
            output_shape = tuple(output_shape)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                "`attention_axes` must be an int, a list or a tuple. "
                f"Received: attention_axes={attention_axes!r}"
            )
        self._flash_attention = flash_attention or config.is_flash_attention_enabled()
        if self._flash_attention and dropout > 0:
            raise ValueError(
                "Flash attention does not support dropout. Set dropout=0.0 or "
                f"flash_attention=False. Received: dropout={dropout}"
            )
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim or key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._output_shape = output_shape
        self._attention_axes = attention_axes
        self._sliding_window = sliding_window
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "`value` and `key` must have equal shapes except for the last axis. "
                f"Received: value_shape={tuple(value_shape)}, key_shape={tuple(key_shape)}"
            )
        rank = len(query_shape) + 1  # of the projected tensors: (batch, ..., heads, channels)
        self._query_dense = self._projection(query_shape, "query", self._key_dim)
        self._key_dense = self._projection(key_shape, "key", self._key_dim)
        if self._use_gate:
            self._gate_dense = self._projection(query_shape, "gate", self._value_dim,
                                                activation="sigmoid")
        self._value_dense = self._projection(value_shape, "value", self._value_dim)
        self._build_attention(rank)
        output_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, output_rank = projection_equation(len(query_shape) - 1, 2,
                                                               len(output_shape))
        self._output_dense = self._sublayer(equation, output_shape, output_rank, bias_axes,
                                            "attention_output")
        self._build_sublayer(self._output_dense,
                             (*query_shape[:-1], self._num_heads, self._value_dim))

    def _projection(self, input_shape, name, head_size, activation=None):
        equation, bias_axes, output_rank = projection_equation(len(input_shape) - 1, 1, 2)
        layer = self._sublayer(equation, (self._num_heads, head_size), output_rank, bias_axes,
                               name, activation=activation)
        self._build_sublayer(layer, input_shape)
        return layer

    def _sublayer(self, equation, trailing_shape, output_rank, bias_axes, name, activation=None):
        # Each sublayer gets its own initializer instance, so seeded ones still differ.
        output_shape = [None] * (output_rank - 1 - len(trailing_shape)) + list(trailing_shape)
        return EinsumDense(equation, output_shape=output_shape, activation=activation,
                           bias_axes=bias_axes if self._use_bias else None, name=name,
                           kernel_initializer=self._kernel_initializer.clone(),
                           bias_initializer=self._bias_initializer.clone(),
                           kernel_regularizer=self._kernel_regularizer,
                           bias_regularizer=self._bias_regularizer,
                           activity_regularizer=self._activity_regularizer,
                           kernel_constraint=self._kernel_constraint,
                           bias_constraint=self._bias_constraint, dtype=self.dtype_policy)

    @staticmethod
    def _build_sublayer(layer, input_shape):
        layer.build(tuple(input_shape))
        layer.built = True

    def _build_attention(self, rank):
        """Resolves the attention axes and creates the einsum equations, softmax and dropout."""
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else rank - 1 + a
                                         for a in self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = attention_equations(
            rank, self._attention_axes)
        normalized_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._softmax = Softmax(axis=normalized_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        query_mask = get_mask(query) if query_mask is None else query_mask
        value_mask = get_mask(value) if value_mask is None else value_mask
        key_mask = get_mask(key) if key_mask is None and key is not None else key_mask
        key = value if key is None else key
        # With the causal mask alone, the attention kernel masks by itself (no (T, S) tensor).
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self._sliding_window is None)
        if not causal_only:
            attention_mask = merge_attention_masks(
                query, value, query_mask, value_mask, key_mask, attention_mask,
                use_causal_mask=use_causal_mask, sliding_window=self._sliding_window)
        gate = self._gate_dense(query) if self._use_gate else None
        projected_query = self._query_dense(query)
        projected_key = self._key_dense(key)
        projected_value = self._value_dense(value)
        attention_output, scores = self._compute_attention(
            projected_query, projected_key, projected_value, attention_mask, training,
            return_attention_scores, use_causal_mask=causal_only)
        if gate is not None:
            attention_output = ops.multiply(attention_output, gate)
        output = self._output_dense(attention_output)
        if query_mask is not None:
            set_mask(output, query_mask)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """Attends with the projected `(B, T, N, key_dim)` query, `(B, S, N, key_dim)` key and
        `(B, S, N, value_dim)` value. Returns `(output, scores)`; scores are None when the fused
        kernel ran (no dropout, no returned scores, one attention axis)."""
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                "Flash attention cannot return attention scores. Create the layer with "
                "flash_attention=False to get them."
            )
        fused = not (self._dropout > 0 or return_attention_scores or query.ndim != 4)
        if fused:
            if attention_mask is not None:
                attention_mask = ops.cast(expand_mask_to_scores(attention_mask, 4, 1), "bool")
            output = ops.dot_product_attention(query, key, value, mask=attention_mask,
                                               scale=self._inverse_sqrt_key_dim,
                                               is_causal=use_causal_mask,
                                               flash_attention=self._flash_attention)
            return output, None
        if use_causal_mask:
            attention_mask = causal_mask(query.shape[1], value.shape[1])
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def _masked_softmax(self, scores, attention_mask=None):
        if attention_mask is not None:
            attention_mask = expand_mask_to_scores(attention_mask, scores.ndim,
                                                   len(self._attention_axes))
        return self._softmax(scores, mask=attention_mask)

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "`value` and `key` must have equal shapes except for the last axis. "
                f"Received: value_shape={tuple(value_shape)}, key_shape={tuple(key_shape)}"
            )
        if self._output_shape:
            return (*query_shape[:-1], *self._output_shape)
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        key = value if key is None else key
        output = KerasTensor(self.compute_output_shape(query.shape, value.shape, key.shape),
                             dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        axes = self._attention_axes or tuple(range(1, len(query.shape) - 1))
        batch = [query.shape[i] for i in range(len(query.shape) - 1) if i not in axes]
        scores_shape = (*batch, self._num_heads, *(query.shape[a] for a in axes),
                        *(key.shape[a] for a in axes))
        return output, KerasTensor(scores_shape, dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }
