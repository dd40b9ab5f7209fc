"""to_categorical and normalize, on NumPy arrays as in Keras."""

import numpy as np

from workbench.api_export import keras_export


@keras_export("keras.utils.to_categorical")
def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels: `(n,)` -> `(n, num_classes)`.

    Example:

    >>> to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must lie in [0, {num_classes}). Received labels from "
            f"{int(x.min())} to {int(x.max())}."
        )
    result = np.zeros((x.shape[0], num_classes), dtype="float32")
    result[np.arange(x.shape[0]), x] = 1.0
    return result.reshape(shape + (num_classes,))


@keras_export("keras.utils.normalize")
def normalize(x, axis=-1, order=2):
    """Scales `x` to unit `order`-norm along `axis` (zero vectors stay zero)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
