"""Fashion-MNIST: 60,000 training and 10,000 test 28x28 grayscale images of 10 kinds of clothing.

Reads the four gzipped IDX files from `~/.keras/datasets/fashion-mnist/` (the Keras cache),
downloading them when the network allows. Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress,
4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.
"""

import gzip
import os

import numpy as np

from workbench.datasets import cache

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")


def _read(fname, offset):
    path = cache.get_file(fname, ORIGIN_FOLDER + fname,
                          cache_subdir=os.path.join("datasets", "fashion-mnist"))
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data():
    """Returns `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)`, uint8 labels.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = workbench.datasets.fashion_mnist.load_data()
    >>> x_train.shape
    (60000, 28, 28)
    """
    y_train = _read(FILES[0], 8)
    x_train = _read(FILES[1], 16).reshape(len(y_train), 28, 28)
    y_test = _read(FILES[2], 8)
    x_test = _read(FILES[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
