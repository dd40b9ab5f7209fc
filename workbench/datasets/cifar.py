"""What CIFAR-10 and CIFAR-100 share: finding the batches and reading them.

The batches are read from a folder that Keras (or the user) extracted, or straight out of the
downloaded tarball, whose sha256 is checked first. Nothing is extracted to disk.
"""

import os
import tarfile

import numpy as np

from workbench.backend import config
from workbench.datasets import cache


def read_batches(folder, origin, file_hash, members, label_key):
    """Returns `(data, labels)` per member of the data set folder `folder` (`cifar-10-batches-py`).

    Looks in the Keras cache for the extracted folder (Keras's `<folder>-target/<folder>`, or
    `<folder>` itself), then for the tarball (Keras's `<folder>-target_archive`, or the name of
    the original download), and downloads the tarball when none is there.
    """
    for extracted in (os.path.join(f"{folder}-target", folder), folder):
        directory = cache.cache_path(extracted)
        if all(os.path.isfile(os.path.join(directory, member)) for member in members):
            batches = []
            for member in members:
                with open(os.path.join(directory, member), "rb") as f:
                    batches.append(_parse(f, label_key))
            return batches
    archive = cache.get_file(f"{folder}-target_archive", origin, file_hash=file_hash,
                             alternatives=(os.path.basename(origin),))
    with tarfile.open(archive, "r:gz") as tar:
        return [_parse(tar.extractfile(f"{folder}/{member}"), label_key) for member in members]


def _parse(stream, label_key):
    batch = cache.load_pickle(stream, encoding="bytes")
    batch = {key.decode("utf8") if isinstance(key, bytes) else key: value
             for key, value in batch.items()}
    data = np.asarray(batch["data"], dtype="uint8").reshape(-1, 3, 32, 32)
    return data, batch[label_key]


def to_image_format(images):
    """Keras's CIFAR arrays are channels-first on disk; follow `image_data_format()`."""
    if config.image_data_format() == "channels_last":
        return images.transpose(0, 2, 3, 1)
    return images
