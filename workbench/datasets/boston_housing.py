"""The Boston housing prices: 506 suburbs, 13 attributes, and the median home value in k$.

Reads `boston_housing.npz` from the Keras cache (`~/.keras/datasets`), downloading it when the
network allows. The set has known ethical problems (one attribute encodes race); prefer
`california_housing` for new work.
"""

import numpy as np

from workbench.datasets import cache

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def shuffle_and_split(x, y, test_split, seed):
    """Shuffles `x` and `y` together with `seed`, then keeps the last `test_split` for testing."""
    if not 0.0 <= test_split < 1.0:
        raise ValueError(f"`test_split` must be in [0, 1). Received: test_split={test_split}")
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Returns `(x_train, y_train), (x_test, y_test)`: float64 `(n, 13)` and prices `(n,)`.

    Args:
        path: the file name in the cache folder.
        test_split: the fraction of the data kept for testing.
        seed: the seed of the shuffle.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = workbench.datasets.boston_housing.load_data()
    >>> x_train.shape
    (404, 13)
    """
    arrays = cache.load_npz(cache.get_file(path, ORIGIN, file_hash=FILE_HASH))
    return shuffle_and_split(arrays["x"], arrays["y"], test_split, seed)
