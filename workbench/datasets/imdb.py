"""The IMDB movie review sentiment set: 25,000 training and 25,000 test reviews as word indexes.

Reads `imdb.npz` from the Keras cache (`~/.keras/datasets`), downloading it when the network
allows. Words are indexed by overall frequency, so `num_words` keeps the most frequent ones.
"""

import numpy as np

from workbench.datasets import cache, sequences

FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1,
              oov_char=2, index_from=3, **kwargs):
    """Returns `(x_train, y_train), (x_test, y_test)`.

    Args:
        path: the file name in the cache folder.
        num_words: keep only the `num_words` most frequent words; others become `oov_char`.
            None keeps all.
        skip_top: the most frequent words to replace by `oov_char` too.
        maxlen: drop the reviews with `maxlen` words or more. None keeps all.
        seed: the seed of the shuffle.
        start_char: the index that starts every sequence (0 is padding), or None for none.
        oov_char: the index of the words cut by `num_words` or `skip_top`; None drops them.
        index_from: the actual words are indexed from this number on.

    Returns:
        `x_train`, `x_test`: object arrays of lists of ints. `y_train`, `y_test`: 0 or 1 labels.

    Example:

    >>> (x_train, y_train), _ = workbench.datasets.imdb.load_data(num_words=10000)
    >>> max(max(review) for review in x_train) < 10000
    True
    """
    if kwargs:
        raise TypeError(f"imdb.load_data() got unexpected arguments {sorted(kwargs)}. It accepts "
                        "path, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from.")
    sequences.check_arguments(num_words, skip_top, maxlen, index_from)
    arrays = cache.load_npz(cache.get_file(
        path, sequences.ORIGIN_FOLDER + "imdb.npz", file_hash=FILE_HASH))
    rng = np.random.RandomState(seed)
    x_train, y_train = sequences.shuffled(rng, arrays["x_train"], arrays["y_train"])
    x_test, y_test = sequences.shuffled(rng, arrays["x_test"], arrays["y_test"])
    x_train = sequences.shift(x_train, start_char, index_from)
    x_test = sequences.shift(x_test, start_char, index_from)
    if maxlen:
        x_train, y_train = sequences.drop_long(maxlen, x_train, y_train)
        x_test, y_test = sequences.drop_long(maxlen, x_test, y_test)
        if not x_train or not x_test:
            raise ValueError(f"No review is shorter than maxlen={maxlen}, so none was kept. "
                             "Pass a larger `maxlen`, or None to keep all.")
    everything = sequences.cap_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    split = len(x_train)
    return ((sequences.object_array(everything[:split]), labels[:split]),
            (sequences.object_array(everything[split:]), labels[split:]))


def get_word_index(path="imdb_word_index.json"):
    """Returns the dict from word to its index (before `index_from` shifts it).

    Example:

    >>> index = workbench.datasets.imdb.get_word_index()
    >>> words = {i + 3: word for word, i in index.items()}  # with the default index_from=3
    """
    return sequences.load_word_index(path, "imdb_word_index.json", WORD_INDEX_HASH)
