"""The cache checks hashes, downloads atomically, and says where to put a file it cannot get."""

import io
import os
import pickle
import urllib.error

import numpy as np
import pytest

import workbench
from tests.datasets import fixtures
from workbench.datasets import cache


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return str(tmp_path)


def offline(monkeypatch):
    def urlopen(url, timeout=None):
        raise urllib.error.URLError("network unreachable")

    monkeypatch.setattr(cache.urllib.request, "urlopen", urlopen)


def serve(monkeypatch, content):
    requested = []

    def urlopen(url, timeout=None):
        requested.append((url, timeout))
        return io.BytesIO(content)

    monkeypatch.setattr(cache.urllib.request, "urlopen", urlopen)
    return requested


def test_the_cache_is_keras_home_datasets(home, monkeypatch):
    assert cache.cache_path("mnist.npz") == os.path.join(home, "datasets", "mnist.npz")
    monkeypatch.delenv("KERAS_HOME")
    assert cache.cache_path("mnist.npz") == os.path.expanduser("~/.keras/datasets/mnist.npz")


def test_a_wrong_hash_is_an_error_not_a_silent_download(home, monkeypatch):
    path = fixtures.write_mnist(home, np.random.default_rng(0))
    requested = serve(monkeypatch, b"should not be fetched")
    with pytest.raises(ValueError, match="mnist.npz has sha256") as error:
        workbench.datasets.mnist.load_data()
    assert workbench.datasets.mnist.FILE_HASH in str(error.value)
    assert "Delete it" in str(error.value) and workbench.datasets.mnist.ORIGIN in str(error.value)
    assert requested == [] and os.path.exists(path)


def test_missing_file_without_network_names_the_url_and_the_path(home, monkeypatch):
    offline(monkeypatch)
    with pytest.raises(FileNotFoundError) as error:
        workbench.datasets.imdb.load_data()
    message = str(error.value)
    assert "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz" in message
    assert os.path.join(home, "datasets", "imdb.npz") in message
    assert os.listdir(os.path.join(home, "datasets")) == []


def test_missing_cifar_tarball_names_the_keras_cache_name(home, monkeypatch):
    offline(monkeypatch)
    with pytest.raises(FileNotFoundError, match="cifar-10-python.tar.gz") as error:
        workbench.datasets.cifar10.load_data()
    assert os.path.join(home, "datasets", "cifar-10-batches-py-target_archive") in str(error.value)


def test_download_is_verified_then_moved_into_place(home, monkeypatch, tmp_path_factory):
    source = fixtures.write_mnist(str(tmp_path_factory.mktemp("origin")), np.random.default_rng(0))
    with open(source, "rb") as f:
        content = f.read()
    monkeypatch.setattr(workbench.datasets.mnist, "FILE_HASH", fixtures.sha256(source))
    requested = serve(monkeypatch, content)
    (x_train, _), _ = workbench.datasets.mnist.load_data()
    assert requested == [(workbench.datasets.mnist.ORIGIN, cache.TIMEOUT_SECONDS)]
    assert x_train.shape == (12, 28, 28)
    assert os.listdir(os.path.join(home, "datasets")) == ["mnist.npz"]


def test_a_corrupted_download_leaves_nothing_behind(home, monkeypatch):
    serve(monkeypatch, b"truncated")
    with pytest.raises(ValueError, match="expected 731c5ac6"):
        workbench.datasets.mnist.load_data()
    assert os.listdir(os.path.join(home, "datasets")) == []


def test_cifar_reads_the_original_download_name_too(home, monkeypatch):
    path = fixtures.write_cifar100(home, np.random.default_rng(3), name="cifar-100-python.tar.gz")
    monkeypatch.setattr(workbench.datasets.cifar100, "FILE_HASH", fixtures.sha256(path))
    offline(monkeypatch)
    (x_train, y_train), _ = workbench.datasets.cifar100.load_data()
    assert x_train.shape == (4, 32, 32, 3) and y_train.shape == (4, 1)


class Payload:
    def __reduce__(self):
        return (os.system, ("echo owned",))


def test_pickles_may_hold_numpy_arrays_only():
    assert np.array_equal(cache.load_pickle(io.BytesIO(pickle.dumps(np.arange(3)))), np.arange(3))
    with pytest.raises(pickle.UnpicklingError, match="only numpy arrays are allowed"):
        cache.load_pickle(io.BytesIO(pickle.dumps(Payload())))
