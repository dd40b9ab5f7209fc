"""The built-in activation functions: thin Keras-signature wrappers over `workbench.ops`.

Each is a `keras_op`: on arrays (NumPy, JAX, Variables, tracers) it computes directly; on
KerasTensors it records a graph node, so `workbench.activations.relu(inputs)` works in a Functional
model. Python and NumPy inputs become `floatx()` tensors as in Keras.
"""

import jax
import jax.numpy as jnp

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend import config
from workbench.backend.variables import Variable
from workbench.ops.dtype_rules import to_float
from workbench.ops.operation import keras_op


def _tensor(x):
    """Converts to a JAX array; Python and NumPy floats of any width become `floatx()` as in Keras
    (`ops` keep the width of a NumPy array)."""
    is_array = isinstance(x, (Variable, jax.Array, jax.core.Tracer))
    x = ops.convert_to_tensor(x)
    if not is_array and jnp.issubdtype(x.dtype, jnp.floating) and x.dtype != jnp.dtype(config.floatx()):
        x = x.astype(config.floatx())
    return x


def _float_tensor(x):
    """Like `_tensor`, but integer and boolean inputs become `floatx()`: where the op keeps integer
    dtypes (`ops.relu6`, `ops.threshold`), or before composing ops (`mish`)."""
    return to_float(_tensor(x))


@keras_export("keras.activations.relu")
@keras_op
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with an optional leak, cap and threshold.

    Returns `x` where `x > threshold`, `negative_slope * (x - threshold)` below it, and caps the
    result at `max_value`. With the defaults this is `max(x, 0)`.

    Args:
        x: the input tensor.
        negative_slope: the slope below the threshold.
        max_value: the largest output value, or None for no cap.
        threshold: the value below which outputs are damped.

    Example:

    >>> workbench.activations.relu(np.array([-10.0, -5.0, 0.0, 5.0, 10.0]), max_value=6.0)
    Array([0., 0., 0., 5., 6.], dtype=float32)
    """
    x = _tensor(x)
    # Keras's relu adds a threshold, a cap and a leak that `ops.relu` lacks; like Keras it compares
    # with the threshold and clips with the cap cast to x's dtype (so int inputs stay int).
    if threshold != 0:
        output = ops.threshold(x, jnp.asarray(threshold, x.dtype), 0)
    else:
        output = ops.relu(x)
    if max_value is not None:
        output = ops.clip(output, jnp.asarray(0, x.dtype), jnp.asarray(max_value, x.dtype))
    if negative_slope != 0.0:
        output = output - negative_slope * ops.relu(threshold - x)
    return output


@keras_export("keras.activations.leaky_relu")
@keras_op
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise."""
    return ops.leaky_relu(_tensor(x), negative_slope=negative_slope)


@keras_export("keras.activations.relu6")
@keras_op
def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`."""
    return ops.relu6(_float_tensor(x))


@keras_export("keras.activations.softmax")
@keras_op
def softmax(x, axis=-1):
    """Softmax over `axis` (an int or tuple of ints): `exp(x) / sum(exp(x))`, computed stably.

    Example:

    >>> workbench.activations.softmax(np.array([[1.0, 1.0]]))
    Array([[0.5, 0.5]], dtype=float32)
    """
    return ops.softmax(_tensor(x), axis=axis)


@keras_export("keras.activations.elu")
@keras_op
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise."""
    return ops.elu(_tensor(x), alpha=alpha)


@keras_export("keras.activations.selu")
@keras_op
def selu(x):
    """Scaled ELU with the self-normalizing constants (alpha ~1.6733, scale ~1.0507)."""
    return ops.selu(_tensor(x))


@keras_export("keras.activations.softplus")
@keras_op
def softplus(x):
    """Softplus: `log(exp(x) + 1)`, computed stably."""
    return ops.softplus(_tensor(x))


@keras_export("keras.activations.softsign")
@keras_op
def softsign(x):
    """Softsign: `x / (abs(x) + 1)`."""
    return ops.softsign(_tensor(x))


@keras_export("keras.activations.soft_shrink")
@keras_op
def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: moves `x` towards 0 by `threshold`, and sets `|x| <= threshold` to 0."""
    return ops.soft_shrink(_tensor(x), threshold=threshold)


@keras_export("keras.activations.sparse_plus")
@keras_op
def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`."""
    return ops.sparse_plus(_tensor(x))


@keras_export("keras.activations.silu", "keras.activations.swish")
@keras_op
def silu(x):
    """SiLU (swish): `x * sigmoid(x)`."""
    return ops.silu(_tensor(x))


@keras_export("keras.activations.squareplus")
@keras_op
def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU; `b >= 0` sets the curvature at 0."""
    return ops.squareplus(_tensor(x), b=b)


@keras_export("keras.activations.gelu")
@keras_op
def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Args:
        x: the input tensor.
        approximate: whether to use the tanh approximation instead of the exact `erf` form.
    """
    return ops.gelu(_tensor(x), approximate=approximate)


@keras_export("keras.activations.celu")
@keras_op
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * min(0, exp(x / alpha) - 1)`."""
    return ops.celu(_tensor(x), alpha=alpha)


@keras_export("keras.activations.glu")
@keras_op
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in two halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    The size of `axis` must be even; the output has half of it.
    """
    x = _tensor(x)
    # `ops.glu` does not check the split axis; Keras raises a ValueError for an odd size.
    if x.shape[axis] % 2 != 0:
        raise ValueError(
            f"glu splits axis {axis} in two halves, so its size must be even. "
            f"Received: x.shape={tuple(x.shape)}"
        )
    return ops.glu(x, axis=axis)


@keras_export("keras.activations.tanh")
@keras_op
def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(_tensor(x))


@keras_export("keras.activations.tanh_shrink")
@keras_op
def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`."""
    return ops.tanh_shrink(_tensor(x))


@keras_export("keras.activations.hard_tanh")
@keras_op
def hard_tanh(x):
    """Hard tanh: `x` clipped to `[-1, 1]`."""
    return ops.hard_tanh(_tensor(x))


@keras_export("keras.activations.hard_shrink")
@keras_op
def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `|x| > threshold`, 0 elsewhere."""
    return ops.hard_shrink(_tensor(x), threshold=threshold)


@keras_export("keras.activations.threshold")
@keras_op
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, `default_value` elsewhere."""
    return ops.threshold(_float_tensor(x), threshold, default_value)


@keras_export("keras.activations.sigmoid")
@keras_op
def sigmoid(x):
    """Sigmoid: `1 / (1 + exp(-x))`."""
    return ops.sigmoid(_tensor(x))


@keras_export("keras.activations.exponential")
@keras_op
def exponential(x):
    """Exponential: `exp(x)`."""
    return ops.exp(_tensor(x))


@keras_export("keras.activations.hard_sigmoid")
@keras_op
def hard_sigmoid(x):
    """Hard sigmoid, a piecewise linear sigmoid: `relu6(x + 3) / 6`."""
    return ops.hard_sigmoid(_tensor(x))


@keras_export("keras.activations.log_sigmoid")
@keras_op
def log_sigmoid(x):
    """Log sigmoid: `-softplus(-x)`, computed stably."""
    return ops.log_sigmoid(_tensor(x))


@keras_export("keras.activations.sparse_sigmoid")
@keras_op
def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`."""
    return ops.sparse_sigmoid(_tensor(x))


@keras_export("keras.activations.hard_silu", "keras.activations.hard_swish")
@keras_op
def hard_silu(x):
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`."""
    return ops.hard_silu(_tensor(x))


@keras_export("keras.activations.linear")
def linear(x):
    """The identity: returns `x` unchanged."""
    return x


@keras_export("keras.activations.mish")
@keras_op
def mish(x):
    """Mish: `x * tanh(softplus(x))`."""
    # Keras has no `ops.mish`; it composes the ops the same way.
    x = _float_tensor(x)
    return x * ops.tanh(ops.softplus(x))


@keras_export("keras.activations.log_softmax")
@keras_op
def log_softmax(x, axis=-1):
    """Log of the softmax over `axis`, computed stably."""
    return ops.log_softmax(_tensor(x), axis=axis)


@keras_export("keras.activations.sparsemax")
@keras_op
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax its outputs sum to 1, but small logits get exactly 0. (Keras 3.15's own sparsemax
    sums the cumulative sums over the support, which gives outputs that do not sum to 1 whenever
    more than one logit is in the support; this follows the published algorithm instead.)

    Example:

    >>> workbench.activations.sparsemax(np.array([[2.0, 1.0, -1.0]]))
    Array([[1., 0., 0.]], dtype=float32)
    """
    return ops.sparsemax(_tensor(x), axis=axis)
