"""`keras.ops.nn`: neural-network ops. This module is the namespace; the ops live in `nn_*.py`.

Here: one-hot encodings, PSNR and `polar`.
"""

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.backend import config, dtypes
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.nn_activations import (  # noqa: F401
    celu,
    elu,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    swish,
    tanh_shrink,
    threshold,
)
from workbench.ops.nn_attention import dot_product_attention  # noqa: F401
from workbench.ops.nn_conv import (  # noqa: F401
    conv,
    conv_transpose,
    depth_to_space,
    depthwise_conv,
    fold,
    separable_conv,
    space_to_depth,
    unfold,
)
from workbench.ops.nn_ctc import ctc_decode, ctc_loss  # noqa: F401
from workbench.ops.nn_losses import (  # noqa: F401
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from workbench.ops.nn_normalization import (  # noqa: F401
    batch_normalization,
    layer_normalization,
    moments,
    normalize,
    rms_normalization,
)
from workbench.ops.nn_pooling import (  # noqa: F401
    adaptive_average_pool,
    adaptive_max_pool,
    average_pool,
    max_pool,
)
from workbench.ops.operation import keras_op


def _nn_export(name):
    return keras_export(f"keras.ops.{name}", f"keras.ops.nn.{name}")


@_nn_export("one_hot")
@keras_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes the integer tensor `x` along a new `axis` of size `num_classes`.

    Out-of-range (e.g. negative) values give all zeros.

    Args:
        dtype: the output dtype; defaults to `floatx()`.
        sparse: accepted for Keras compatibility; the result is always dense.

    Example:

    >>> one_hot(np.array([1, 3]), 4).tolist()
    [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    """
    dtype = dtypes.to_jax_dtype(dtype or config.floatx())
    return jax.nn.one_hot(convert_to_tensor(x), num_classes, axis=axis, dtype=dtype)


@_nn_export("multi_hot")
@keras_op
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer `inputs`: 1 at each class id present (per row for 2D inputs).

    Args:
        num_classes: the number of classes (`num_tokens` is accepted as an alias).
        dtype: the output dtype; defaults to `floatx()`.
        sparse: accepted for Keras compatibility; the result is always dense.
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`. Received: num_classes=None")
    inputs = convert_to_tensor(inputs, dtype="int32")
    encoded = one_hot(inputs, num_classes, axis=axis, dtype=dtype)
    return jnp.max(encoded, axis=1 if inputs.ndim > 1 else 0)


@_nn_export("psnr")
@keras_op
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio in dB: `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`."""
    x1, x2 = to_float(x1), to_float(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            f"psnr needs equal shapes. Received: x1.shape={x1.shape}, x2.shape={x2.shape}"
        )
    max_val = convert_to_tensor(max_val, dtype=x2.dtype)
    return 20 * jnp.log10(max_val) - 10 * jnp.log10(jnp.mean(jnp.square(x1 - x2)))


@_nn_export("polar")
@keras_op
def polar(abs_, angle):
    """The complex tensor `abs_ * (cos(angle) + 1j * sin(angle))`."""
    abs_, angle = to_float(abs_), to_float(angle)
    return jax.lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))
