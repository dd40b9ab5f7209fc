"""set_random_seed: one call makes Python, NumPy and workbench randomness reproducible."""

import random

import numpy as np

from workbench.api_export import keras_export


@keras_export("keras.utils.set_random_seed")
def set_random_seed(seed):
    """Seeds Python's `random`, NumPy, and workbench's global seed generator.

    Example:

    >>> workbench.utils.set_random_seed(1337)
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    from workbench.random.seed_generator import set_global_seed

    set_global_seed(seed)
