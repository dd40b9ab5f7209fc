"""Short reviews: 240 one-sentence reviews of food, films, books, hotels and gadgets, labelled
1 (positive) or 0 (negative), bundled with workbench so text examples run with no network.

Written for workbench (public domain); 120 positive and 120 negative, most in matching pairs
("The soup was hot and full of flavor." / "The soup was cold and bland.").
"""

import csv
import importlib.resources
import io

import numpy as np


def load_data(test_split=0.2, seed=113):
    """Returns `(x_train, y_train), (x_test, y_test)`: string arrays and int32 labels (1 positive).

    Args:
        test_split: the fraction of the 240 reviews kept for testing.
        seed: the seed of the shuffle before the split.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = workbench.datasets.reviews.load_data()
    >>> x_train.shape, y_test.shape
    ((192,), (48,))
    """
    if not 0.0 <= test_split < 1.0:
        raise ValueError(f"`test_split` must be in [0, 1). Received: test_split={test_split}")
    text = importlib.resources.files("workbench.datasets").joinpath("data/reviews.tsv").read_text(
        encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    texts = np.array([row["text"] for row in rows])
    labels = np.array([int(row["label"]) for row in rows], dtype="int32")
    order = np.random.default_rng(seed).permutation(len(rows))
    texts, labels = texts[order], labels[order]
    split = len(rows) - int(round(len(rows) * test_split))
    return (texts[:split], labels[:split]), (texts[split:], labels[split:])
