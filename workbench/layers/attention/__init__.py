"""Attention layers: multi-head, grouped-query, dot-product and additive attention."""

from workbench.layers.attention.additive_attention import AdditiveAttention
from workbench.layers.attention.attention import Attention
from workbench.layers.attention.grouped_query_attention import GroupedQueryAttention
from workbench.layers.attention.multi_head_attention import MultiHeadAttention

# As in Keras, the class `GroupedQueryAttention` is public as `GroupQueryAttention` only.
GroupQueryAttention = GroupedQueryAttention

__all__ = ["AdditiveAttention", "Attention", "GroupQueryAttention", "MultiHeadAttention"]
