"""Activation functions, on `jax.nn`: relu, gelu, silu, softmax, sparsemax and the rest."""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


@_nn_export("relu")
@keras_op
def relu(x):
    """Rectified linear unit: `max(x, 0)`."""
    return jax.nn.relu(convert_to_tensor(x))


@_nn_export("relu6")
@keras_op
def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`."""
    return jax.nn.relu6(convert_to_tensor(x))


@_nn_export("leaky_relu")
@keras_op
def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, else `negative_slope * x`."""
    return jax.nn.leaky_relu(to_float(x), negative_slope=negative_slope)


@_nn_export("sigmoid")
@keras_op
def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`."""
    return jax.nn.sigmoid(to_float(x))


@_nn_export("log_sigmoid")
@keras_op
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return jax.nn.log_sigmoid(to_float(x))


@_nn_export("hard_sigmoid")
@keras_op
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `relu6(x + 3) / 6`."""
    return jax.nn.hard_sigmoid(to_float(x))


@_nn_export("sparse_sigmoid")
@keras_op
def sparse_sigmoid(x):
    """0 below -1, 1 above 1, and `(x + 1) / 2` in between."""
    return jax.nn.sparse_sigmoid(to_float(x))


@_nn_export("silu")
@keras_op
def silu(x):
    """Sigmoid linear unit: `x * sigmoid(x)`."""
    return jax.nn.silu(to_float(x))


@_nn_export("swish")
@keras_op
def swish(x):
    """Alias of `silu`: `x * sigmoid(x)`."""
    return jax.nn.silu(to_float(x))


@_nn_export("hard_silu")
@keras_op
def hard_silu(x):
    """`x * hard_sigmoid(x)`."""
    return jax.nn.hard_silu(to_float(x))


@_nn_export("hard_swish")
@keras_op
def hard_swish(x):
    """Alias of `hard_silu`."""
    return jax.nn.hard_silu(to_float(x))


@_nn_export("softplus")
@keras_op
def softplus(x):
    """`log(1 + exp(x))`, computed stably."""
    return jax.nn.softplus(to_float(x))


@_nn_export("sparse_plus")
@keras_op
def sparse_plus(x):
    """0 below -1, `x` above 1, and `(x + 1)**2 / 4` in between."""
    return jax.nn.sparse_plus(to_float(x))


@_nn_export("squareplus")
@keras_op
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU."""
    return jax.nn.squareplus(to_float(x), b=b)


@_nn_export("softsign")
@keras_op
def softsign(x):
    """`x / (|x| + 1)`."""
    return jax.nn.soft_sign(to_float(x))


@_nn_export("elu")
@keras_op
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, else `alpha * (exp(x) - 1)`."""
    return jax.nn.elu(to_float(x), alpha=alpha)


@_nn_export("selu")
@keras_op
def selu(x):
    """Scaled ELU, with the constants that make deep nets self-normalizing."""
    return jax.nn.selu(to_float(x))


@_nn_export("celu")
@keras_op
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)`."""
    return jax.nn.celu(to_float(x), alpha=alpha)


@_nn_export("gelu")
@keras_op
def gelu(x, approximate=True):
    """Gaussian error linear unit, `x * Phi(x)`; the tanh approximation when `approximate`."""
    return jax.nn.gelu(to_float(x), approximate=approximate)


@_nn_export("glu")
@keras_op
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in two halves `a, b` along `axis` and returns `a * sigmoid(b)`."""
    return jax.nn.glu(to_float(x), axis=axis)


@_nn_export("hard_tanh")
@keras_op
def hard_tanh(x):
    """`x` clipped to `[-1, 1]`."""
    return jax.nn.hard_tanh(to_float(x))


@_nn_export("tanh_shrink")
@keras_op
def tanh_shrink(x):
    """`x - tanh(x)`."""
    x = to_float(x)
    return x - jnp.tanh(x)


@_nn_export("soft_shrink")
@keras_op
def soft_shrink(x, threshold=0.5):
    """Shrinks `x` towards 0 by `threshold`; values within `threshold` of 0 become 0."""
    x = to_float(x)
    return jnp.where(
        x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0)
    ).astype(x.dtype)


@_nn_export("hard_shrink")
@keras_op
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    x = to_float(x)
    return jnp.where(jnp.abs(x) > threshold, x, jnp.zeros_like(x))


@_nn_export("threshold")
@keras_op
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    x = convert_to_tensor(x)
    return jnp.where(x > threshold, x, jnp.asarray(default_value, dtype=x.dtype))


@_nn_export("softmax")
@keras_op
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` over `axis` (an int or a tuple of ints)."""
    return jax.nn.softmax(to_float(x), axis=axis)


@_nn_export("log_softmax")
@keras_op
def log_softmax(x, axis=-1):
    """`log(softmax(x))` over `axis`, computed stably."""
    return jax.nn.log_softmax(to_float(x), axis=axis)


@_nn_export("sparsemax")
@keras_op
def sparsemax(x, axis=-1):
    """Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax, the result sums to 1, but small values become exactly 0.
    """
    x = to_float(x)
    descending = -jnp.sort(-x, axis=axis)
    cumulative = jnp.cumsum(descending, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    rank = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    in_support = descending - (cumulative - 1) / rank > 0
    support_size = jnp.sum(in_support, axis=axis, keepdims=True)
    support_sum = jnp.sum(jnp.where(in_support, descending, 0.0), axis=axis, keepdims=True)
    tau = (support_sum - 1) / support_size
    return jnp.maximum(x - tau, 0.0)
