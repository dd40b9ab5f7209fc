"""Scaled dot-product attention, with grouped-query heads, masks, bias and causal masking."""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.operation import keras_op


def _grouped(t, batch, key_heads, groups, name):
    """Broadcasts a bias or mask to `(batch, heads, T, S)` and splits heads into (key_heads, groups)."""
    t = convert_to_tensor(t)
    if t.ndim != 4:
        t = t.reshape((1,) * (4 - t.ndim) + t.shape)
    heads = key_heads * groups
    if t.shape[1] not in (1, heads):
        raise ValueError(
            f"`{name}` must broadcast to (batch, {heads}, target, source). Received: shape={t.shape}"
        )
    t = jnp.broadcast_to(t, (t.shape[0], heads) + t.shape[2:])
    return t.reshape(t.shape[0], key_heads, groups, *t.shape[2:])


@keras_export("keras.ops.dot_product_attention", "keras.ops.nn.dot_product_attention")
@keras_op
def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """`softmax(query @ key^T * scale + bias) @ value`, per head.

    Args:
        query: `(batch, target, heads, depth)`.
        key: `(batch, source, key_heads, depth)`; `heads` must be a multiple of `key_heads`
            (grouped-query attention).
        value: `(batch, source, key_heads, value_depth)`.
        bias: added to the logits; broadcastable to `(batch, heads, target, source)`.
        mask: booleans broadcastable to `(batch, heads, target, source)`; False masks out.
        scale: the logit scale; defaults to `1 / sqrt(depth)`.
        is_causal: mask out keys after each query (aligned at the top-left).
        flash_attention: True requests the fused cuDNN kernel of `jax.nn.dot_product_attention`
            (GPU only); None or False use the XLA computation below.
        attn_logits_soft_cap: if set, logits become `cap * tanh(logits / cap)` before masking.

    Returns:
        `(batch, target, heads, value_depth)`. Softmax runs in float32.
    """
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "dot_product_attention expects 4D inputs (batch, time, heads, depth). Received: "
            f"query.shape={query.shape}, key.shape={key.shape}, value.shape={value.shape}"
        )
    dtype = jnp.result_type(query.dtype, key.dtype, value.dtype)
    query, key, value = query.astype(dtype), key.astype(dtype), value.astype(dtype)
    if flash_attention and attn_logits_soft_cap is None:
        bias = None if bias is None else convert_to_tensor(bias, dtype=dtype)
        mask = None if mask is None else convert_to_tensor(mask, dtype="bool")
        return jax.nn.dot_product_attention(
            query,
            key,
            value,
            bias=bias,
            mask=mask,
            scale=scale,
            is_causal=is_causal,
            implementation="cudnn",
        )
    batch, target, heads, depth = query.shape
    key_heads = key.shape[2]
    if heads % key_heads:
        raise ValueError(
            f"The query heads ({heads}) must be a multiple of the key heads ({key_heads})."
        )
    groups = heads // key_heads
    scale = 1.0 / jnp.sqrt(depth) if scale is None else scale
    logits_dtype = jnp.promote_types(dtype, jnp.float32)
    grouped_query = query.reshape(batch, target, key_heads, groups, depth)
    logits = jnp.einsum(
        "btkgd,bskd->bkgts", grouped_query, key, preferred_element_type=logits_dtype
    ) * jnp.asarray(scale, logits_dtype)
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * jnp.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + _grouped(bias, batch, key_heads, groups, "bias").astype(logits_dtype)
    allowed = None
    if mask is not None:
        allowed = _grouped(mask, batch, key_heads, groups, "mask").astype(bool)
    if is_causal:
        causal = jnp.tril(jnp.ones((target, key.shape[1]), bool))
        allowed = causal if allowed is None else allowed & causal
    if allowed is not None:
        # A large finite negative keeps fully masked rows finite (they become uniform).
        logits = jnp.where(allowed, logits, -0.7 * jnp.finfo(logits_dtype).max)
    probabilities = jax.nn.softmax(logits.astype("float32"), axis=-1).astype(dtype)
    outputs = jnp.einsum("bkgts,bskd->btkgd", probabilities, value)
    return outputs.reshape(batch, target, heads, value.shape[-1])
