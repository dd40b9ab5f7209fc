"""The 8x8 handwritten digits, bundled with workbench so examples run with no network.

1,797 grayscale images of the digits 0-9 with values 0-16, from the UCI ML "Optical Recognition
of Handwritten Digits" data set (Alpaydin and Kaynak, 1998; CC BY 4.0), as shipped by scikit-learn.
"""

import importlib.resources

import numpy as np


def load_data(test_split=0.2, seed=113):
    """Returns `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 8, 8)` and uint8 labels.

    Args:
        test_split: the fraction of the 1,797 samples kept for testing.
        seed: the seed of the shuffle before the split.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = workbench.datasets.digits.load_data()
    >>> x_train.shape
    (1438, 8, 8)
    """
    if not 0.0 <= test_split < 1.0:
        raise ValueError(f"`test_split` must be in [0, 1). Received: test_split={test_split}")
    with importlib.resources.files("workbench.datasets").joinpath("data/digits.npz").open("rb") as f:
        with np.load(f) as data:
            images, labels = data["images"], data["labels"]
    order = np.random.default_rng(seed).permutation(len(images))
    images, labels = images[order], labels[order]
    split = len(images) - int(round(len(images) * test_split))
    return (images[:split], labels[:split]), (images[split:], labels[split:])
