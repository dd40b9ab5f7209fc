"""The California housing prices: 20,640 districts of the 1990 census, 8 attributes each.

Reads `california_housing.npz` from the Keras cache (`~/.keras/datasets`), downloading it when the
network allows. The target is the median house value in dollars.
"""

from workbench.datasets import cache
from workbench.datasets.boston_housing import shuffle_and_split

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz"
FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
SMALL_SIZE = 600


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Returns `(x_train, y_train), (x_test, y_test)`: float `(n, 8)` and values `(n,)`.

    Args:
        version: "large" for all 20,640 districts, "small" for the first 600.
        path: the file name in the cache folder.
        test_split: the fraction of the data kept for testing.
        seed: the seed of the shuffle.

    Example:

    >>> (x_train, y_train), _ = workbench.datasets.california_housing.load_data(version="small")
    >>> x_train.shape
    (480, 8)
    """
    if version not in ("large", "small"):
        raise ValueError(f'`version` must be "large" or "small". Received: version={version!r}')
    arrays = cache.load_npz(cache.get_file(path, ORIGIN, file_hash=FILE_HASH))
    x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:SMALL_SIZE], y[:SMALL_SIZE]
    return shuffle_and_split(x, y, test_split, seed)
