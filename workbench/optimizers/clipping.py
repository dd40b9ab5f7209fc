"""Gradient clipping as optax transformations: Keras's `clipnorm`, `clipvalue`, `global_clipnorm`."""

import jax
import jax.numpy as jnp
import optax


def clip_by_norm(max_norm):
    """Rescales each gradient whose L2 norm exceeds `max_norm` to exactly that norm.

    optax clips by global norm or by block RMS; Keras's `clipnorm` clips each tensor by its own
    L2 norm: `g * max_norm / max(norm(g), max_norm)`.
    """

    def update_fn(updates, state, params=None):
        del params

        def clip(g):
            squared = jnp.sum(jnp.square(g), keepdims=True)
            # Two-sided `where` so an all-zero gradient does not differentiate through sqrt(0).
            nonzero = squared > 0
            norm = jnp.where(nonzero, jnp.sqrt(jnp.where(nonzero, squared, 1.0)), squared)
            return g * max_norm / jnp.maximum(norm, max_norm)

        return jax.tree.map(clip, updates), state

    return optax.GradientTransformation(optax.init_empty_state, update_fn)


def gradient_clipping(clipnorm=None, clipvalue=None, global_clipnorm=None):
    """The clipping transformation for an optimizer's clipping arguments (identity when unset).

    Keras ignores values that are zero or negative, and allows at most one of the three.
    """
    if clipnorm is not None and clipnorm > 0:
        return clip_by_norm(clipnorm)
    if global_clipnorm is not None and global_clipnorm > 0:
        return optax.clip_by_global_norm(global_clipnorm)
    if clipvalue is not None and clipvalue > 0:
        return optax.clip(clipvalue)
    return optax.identity()
