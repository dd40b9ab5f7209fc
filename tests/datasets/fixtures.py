"""Tiny data set files in the real formats, written into a temporary Keras cache."""

import gzip
import hashlib
import io
import os
import pickle
import tarfile

import numpy as np


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def datasets_dir(home, subdir="datasets"):
    folder = os.path.join(home, subdir)
    os.makedirs(folder, exist_ok=True)
    return folder


def write_mnist(home, rng, name="mnist.npz"):
    path = os.path.join(datasets_dir(home), name)
    np.savez(path, x_train=rng.integers(0, 256, (12, 28, 28), dtype="uint8"),
             y_train=rng.integers(0, 10, 12, dtype="uint8"),
             x_test=rng.integers(0, 256, (5, 28, 28), dtype="uint8"),
             y_test=rng.integers(0, 10, 5, dtype="uint8"))
    return path


def write_fashion_mnist(home, rng):
    folder = datasets_dir(home, os.path.join("datasets", "fashion-mnist"))
    for prefix, count in (("train", 7), ("t10k", 3)):
        labels = rng.integers(0, 10, count, dtype="uint8")
        images = rng.integers(0, 256, (count, 28, 28), dtype="uint8")
        with gzip.open(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"), "wb") as f:
            f.write(b"\x00\x00\x08\x01" + count.to_bytes(4, "big") + labels.tobytes())
        with gzip.open(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"), "wb") as f:
            f.write(b"\x00\x00\x08\x03" + count.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
                    + images.tobytes())


def _batch(rng, count, label_keys):
    # The published batches are Python 2 pickles, read back with byte-string keys.
    batch = {b"data": rng.integers(0, 256, (count, 3072), dtype="uint8")}
    for key, classes in label_keys:
        batch[key.encode()] = [int(v) for v in rng.integers(0, classes, count)]
    return pickle.dumps(batch, protocol=3)


def write_cifar_tarball(home, rng, folder, members, label_keys, name):
    path = os.path.join(datasets_dir(home), name)
    with tarfile.open(path, "w:gz") as tar:
        for member in members:
            data = _batch(rng, 4, label_keys)
            info = tarfile.TarInfo(f"{folder}/{member}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def write_cifar10(home, rng, name="cifar-10-batches-py-target_archive"):
    members = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    return write_cifar_tarball(home, rng, "cifar-10-batches-py", members, [("labels", 10)], name)


def write_cifar100(home, rng, name="cifar-100-python-target_archive"):
    return write_cifar_tarball(home, rng, "cifar-100-python", ["train", "test"],
                               [("fine_labels", 100), ("coarse_labels", 20)], name)


def _sequences(rng, count, vocabulary=40, longest=12):
    array = np.empty(count, dtype="object")
    array[:] = [[int(w) for w in rng.integers(1, vocabulary, rng.integers(1, longest))]
                for _ in range(count)]
    return array


def write_imdb(home, rng):
    path = os.path.join(datasets_dir(home), "imdb.npz")
    np.savez(path, x_train=_sequences(rng, 30), y_train=rng.integers(0, 2, 30),
             x_test=_sequences(rng, 20), y_test=rng.integers(0, 2, 20))
    return path


def write_reuters(home, rng):
    path = os.path.join(datasets_dir(home), "reuters.npz")
    np.savez(path, x=_sequences(rng, 40), y=rng.integers(0, 46, 40))
    return path


def write_housing(home, rng, name, features, count):
    path = os.path.join(datasets_dir(home), name)
    np.savez(path, x=rng.normal(size=(count, features)), y=rng.normal(size=count))
    return path
