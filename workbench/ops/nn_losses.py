"""Cross-entropies: binary, categorical and sparse categorical, from probabilities or logits."""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


def _log_probabilities(output, from_logits, axis):
    if from_logits:
        return jax.nn.log_softmax(output, axis=axis)
    epsilon = config.epsilon()
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    return jnp.log(jnp.clip(output, epsilon, 1.0 - epsilon))


@_nn_export("binary_crossentropy")
@keras_op
def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy between `target` and `output` of the same shape.

    Args:
        target: the true values, in [0, 1].
        output: predicted probabilities, or logits when `from_logits=True`. Probabilities are
            clipped to `[epsilon, 1 - epsilon]`.
    """
    target, output = to_float(target), to_float(output)
    if target.shape != output.shape:
        raise ValueError(
            "`target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if from_logits:
        return -target * jax.nn.log_sigmoid(output) - (1.0 - target) * jax.nn.log_sigmoid(-output)
    epsilon = config.epsilon()
    output = jnp.clip(output, epsilon, 1.0 - epsilon)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log(1.0 - output))


@_nn_export("categorical_crossentropy")
@keras_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) `target` and `output` over the class `axis`.

    Args:
        output: probabilities (renormalized to sum to 1, then clipped), or logits with
            `from_logits=True`.
    """
    target, output = to_float(target), to_float(output)
    if target.shape != output.shape or target.ndim < 1:
        raise ValueError(
            "`target` and `output` must have the same shape, of rank >= 1. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    return -jnp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)


@_nn_export("sparse_categorical_crossentropy")
@keras_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class `target` and `output` scores over the class `axis`.

    Args:
        target: class ids, with the shape of `output` minus its class axis (a trailing axis of
            size 1 is accepted too).
    """
    target, output = convert_to_tensor(target, dtype="int32"), to_float(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    if output.ndim < 1 or target.shape != output.shape[:-1]:
        raise ValueError(
            "`target` must have the shape of `output` without its last dimension. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    log_probabilities = _log_probabilities(output, from_logits, axis)
    one_hot = jax.nn.one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -jnp.sum(one_hot * log_probabilities, axis=axis)
