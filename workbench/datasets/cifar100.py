"""CIFAR-100: 50,000 training and 10,000 test 32x32 color images in 100 classes (20 coarse ones).

Reads the CIFAR-100 python files from the Keras cache (`~/.keras/datasets`), downloading the
tarball when the network allows.
"""

import numpy as np

from workbench.datasets import cifar

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine"):
    """Returns `(x_train, y_train), (x_test, y_test)`: uint8 images, int64 labels `(n, 1)`.

    Args:
        label_mode: "fine" for the 100 classes, "coarse" for the 20 superclasses.

    Example:

    >>> (x_train, y_train), _ = workbench.datasets.cifar100.load_data(label_mode="coarse")
    >>> int(y_train.max())
    19
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError('`label_mode` must be "fine" or "coarse". '
                         f"Received: label_mode={label_mode!r}")
    (x_train, y_train), (x_test, y_test) = cifar.read_batches(
        "cifar-100-python", ORIGIN, FILE_HASH, ("train", "test"), f"{label_mode}_labels")
    return ((cifar.to_image_format(x_train), np.reshape(y_train, (-1, 1))),
            (cifar.to_image_format(x_test), np.reshape(y_test, (-1, 1))))
