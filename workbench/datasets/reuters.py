"""The Reuters newswire topics set: 11,228 newswires in 46 topics, as word indexes.

Reads `reuters.npz` from the Keras cache (`~/.keras/datasets`), downloading it when the network
allows. Words are indexed by overall frequency, so `num_words` keeps the most frequent ones.
"""

import numpy as np

from workbench.datasets import cache, sequences

FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"

LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi",
    "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei",
    "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Returns `(x_train, y_train), (x_test, y_test)`.

    Args:
        path: the file name in the cache folder.
        num_words: keep only the `num_words` most frequent words; others become `oov_char`.
            None keeps all.
        skip_top: the most frequent words to replace by `oov_char` too.
        maxlen: drop the newswires with `maxlen` words or more. None keeps all.
        test_split: the fraction of the data kept for testing.
        seed: the seed of the shuffle.
        start_char: the index that starts every sequence (0 is padding), or None for none.
        oov_char: the index of the words cut by `num_words` or `skip_top`; None drops them.
        index_from: the actual words are indexed from this number on.

    Returns:
        `x_train`, `x_test`: object arrays of lists of ints. `y_train`, `y_test`: topic indexes
        into `get_label_names()`.

    Example:

    >>> (x_train, y_train), _ = workbench.datasets.reuters.load_data(num_words=10000)
    >>> workbench.datasets.reuters.get_label_names()[y_train[0]]
    'earn'
    """
    sequences.check_arguments(num_words, skip_top, maxlen, index_from)
    if not 0.0 <= test_split <= 1.0:
        raise ValueError(f"`test_split` must be in [0, 1]. Received: test_split={test_split}")
    arrays = cache.load_npz(cache.get_file(
        path, sequences.ORIGIN_FOLDER + "reuters.npz", file_hash=FILE_HASH))
    xs, labels = sequences.shuffled(np.random.RandomState(seed), arrays["x"], arrays["y"])
    xs = sequences.shift(xs, start_char, index_from)
    if maxlen:
        xs, labels = sequences.drop_long(maxlen, xs, labels)
    xs = sequences.cap_vocabulary(xs, num_words, skip_top, oov_char)
    split = int(len(xs) * (1 - test_split))
    return ((sequences.object_array(xs[:split]), np.array(labels[:split])),
            (sequences.object_array(xs[split:]), np.array(labels[split:])))


def get_word_index(path="reuters_word_index.json"):
    """Returns the dict from word to its index (before `index_from` shifts it)."""
    return sequences.load_word_index(path, "reuters_word_index.json", WORD_INDEX_HASH)


def get_label_names():
    """Returns the 46 topic names, in the order of the labels."""
    return LABEL_NAMES
