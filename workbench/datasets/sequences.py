"""What IMDB and Reuters share: word-index sequences, shifted, length-filtered and capped."""

import numpy as np

from workbench.datasets import cache

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def check_arguments(num_words, skip_top, maxlen, index_from):
    for name, value, smallest in (("num_words", num_words, 1), ("maxlen", maxlen, 1)):
        if value is not None and (not isinstance(value, (int, np.integer)) or value < smallest):
            raise ValueError(f"`{name}` must be a positive int or None. Received: {name}={value!r}")
    for name, value in (("skip_top", skip_top), ("index_from", index_from)):
        if not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"`{name}` must be an int >= 0. Received: {name}={value!r}")


def shuffled(rng, *arrays):
    order = np.arange(len(arrays[0]))
    rng.shuffle(order)
    return [array[order] for array in arrays]


def shift(sequences, start_char, index_from):
    """Moves word indexes up by `index_from` and puts `start_char` in front of each sequence."""
    head = [] if start_char is None else [start_char]
    return [head + [int(word) + index_from for word in sequence] for sequence in sequences]


def drop_long(maxlen, sequences, labels):
    """Keeps the sequences shorter than `maxlen` (as Keras: strictly shorter)."""
    kept = [i for i, sequence in enumerate(sequences) if len(sequence) < maxlen]
    return [sequences[i] for i in kept], [labels[i] for i in kept]


def cap_vocabulary(sequences, num_words, skip_top, oov_char):
    """Words outside `[skip_top, num_words)` become `oov_char`, or are dropped when it is None."""
    if not num_words:
        num_words = max(max(sequence) for sequence in sequences if sequence)
    if oov_char is None:
        return [[w for w in sequence if skip_top <= w < num_words] for sequence in sequences]
    return [[w if skip_top <= w < num_words else oov_char for w in sequence]
            for sequence in sequences]


def object_array(sequences):
    array = np.empty(len(sequences), dtype="object")
    array[:] = sequences
    return array


def load_word_index(path, fname, file_hash):
    import json

    with open(cache.get_file(path, ORIGIN_FOLDER + fname, file_hash=file_hash)) as f:
        return json.load(f)
