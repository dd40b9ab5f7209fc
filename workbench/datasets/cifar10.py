"""CIFAR-10: 50,000 training and 10,000 test 32x32 color images in 10 classes.

Reads the CIFAR-10 python batches from the Keras cache (`~/.keras/datasets`), downloading the
tarball when the network allows. Classes: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog,
6 frog, 7 horse, 8 ship, 9 truck.
"""

import numpy as np

from workbench.datasets import cifar

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))


def load_data():
    """Returns `(x_train, y_train), (x_test, y_test)`: uint8 images, uint8 labels `(n, 1)`.

    The images are `(n, 32, 32, 3)`, or `(n, 3, 32, 32)` under `image_data_format()`
    "channels_first".

    Example:

    >>> (x_train, y_train), (x_test, y_test) = workbench.datasets.cifar10.load_data()
    >>> x_train.shape, y_train.shape
    ((50000, 32, 32, 3), (50000, 1))
    """
    batches = cifar.read_batches("cifar-10-batches-py", ORIGIN, FILE_HASH,
                                 TRAIN_BATCHES + ("test_batch",), "labels")
    x_train = np.concatenate([data for data, _ in batches[:-1]])
    y_train = np.concatenate([np.asarray(labels, "uint8") for _, labels in batches[:-1]])
    x_test, y_test = batches[-1]
    return ((cifar.to_image_format(x_train), y_train.reshape(-1, 1)),
            (cifar.to_image_format(x_test), np.asarray(y_test, "uint8").reshape(-1, 1)))
