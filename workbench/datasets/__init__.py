"""Datasets: Keras's loaders, reading the Keras cache (`~/.keras/datasets`), and two small sets
bundled with workbench that need no network (`digits`, `reviews`)."""

from workbench.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    digits,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
    reviews,
)

__all__ = [
    "boston_housing", "california_housing", "cifar10", "cifar100", "digits", "fashion_mnist",
    "imdb", "mnist", "reuters", "reviews",
]
