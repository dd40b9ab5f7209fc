"""MNIST: 60,000 training and 10,000 test 28x28 grayscale images of handwritten digits.

Reads `mnist.npz` from the Keras cache (`~/.keras/datasets`), downloading it when the network
allows. For a set that ships with workbench and needs no network, see `datasets.digits`.
"""

from workbench.datasets import cache

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz"):
    """Returns `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)`, uint8 labels.

    Args:
        path: the file name in the cache folder.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = workbench.datasets.mnist.load_data()
    >>> x_train.shape, y_test.shape
    ((60000, 28, 28), (10000,))
    """
    arrays = cache.load_npz(cache.get_file(path, ORIGIN, file_hash=FILE_HASH))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
