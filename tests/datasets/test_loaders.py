"""Each Keras loader returns what Keras's own loader returns from the same cached file."""

import importlib
import os
import tarfile

import numpy as np
import pytest

import workbench
from tests.datasets import fixtures


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return str(tmp_path)


def keras_loader(monkeypatch, home, name):
    """Keras's module `name`, reading the files of `home` without checking hashes or downloading."""
    module = importlib.import_module(f"keras.src.datasets.{name}")

    def get_file(fname=None, origin=None, file_hash=None, cache_subdir="datasets", extract=False,
                 **_):
        path = os.path.join(home, cache_subdir, fname)
        if extract:
            target = os.path.join(home, "keras-extracted", fname)
            with tarfile.open(f"{path}_archive") as tar:
                tar.extractall(target, filter="data")
            return target
        return path

    monkeypatch.setattr(module, "get_file", get_file)
    return module


def trust(monkeypatch, module, path):
    """Our loader accepts the fixture file as the published one."""
    monkeypatch.setattr(module, "FILE_HASH", fixtures.sha256(path))


def assert_same(ours, theirs):
    for our_split, their_split in zip(ours, theirs):
        for our_array, their_array in zip(our_split, their_split):
            assert our_array.shape == their_array.shape
            assert our_array.dtype == their_array.dtype
            if our_array.dtype == object:
                assert [list(s) for s in our_array] == [list(s) for s in their_array]
            else:
                np.testing.assert_array_equal(our_array, their_array)


def test_mnist_matches_keras(home, monkeypatch):
    path = fixtures.write_mnist(home, np.random.default_rng(0))
    trust(monkeypatch, workbench.datasets.mnist, path)
    ours = workbench.datasets.mnist.load_data()
    assert ours[0][0].shape == (12, 28, 28) and ours[0][0].dtype == np.uint8
    assert_same(ours, keras_loader(monkeypatch, home, "mnist").load_data())


def test_fashion_mnist_matches_keras(home, monkeypatch):
    fixtures.write_fashion_mnist(home, np.random.default_rng(1))
    ours = workbench.datasets.fashion_mnist.load_data()
    assert ours[0][0].shape == (7, 28, 28) and ours[1][1].shape == (3,)
    assert_same(ours, keras_loader(monkeypatch, home, "fashion_mnist").load_data())


def keras_cifar10(monkeypatch, home):
    """Keras's cifar10 assumes 10,000 images a batch; assemble its per-batch reader's output."""
    from keras.src.datasets.cifar import load_batch

    folder = os.path.join(keras_loader(monkeypatch, home, "cifar10").get_file(
        "cifar-10-batches-py-target", extract=True), "cifar-10-batches-py")
    train = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    x_train = np.concatenate([x for x, _ in train]).transpose(0, 2, 3, 1)
    y_train = np.concatenate([y for _, y in train]).astype("uint8").reshape(-1, 1)
    return ((x_train, y_train),
            (x_test.transpose(0, 2, 3, 1), np.reshape(y_test, (-1, 1)).astype("uint8")))


def test_cifar10_matches_keras(home, monkeypatch):
    path = fixtures.write_cifar10(home, np.random.default_rng(2))
    trust(monkeypatch, workbench.datasets.cifar10, path)
    ours = workbench.datasets.cifar10.load_data()
    assert ours[0][0].shape == (20, 32, 32, 3) and ours[0][1].shape == (20, 1)
    assert ours[1][1].dtype == np.uint8
    assert_same(ours, keras_cifar10(monkeypatch, home))


def test_cifar10_reads_a_folder_keras_extracted_without_the_tarball(home, monkeypatch):
    path = fixtures.write_cifar10(home, np.random.default_rng(2))
    expected = keras_cifar10(monkeypatch, home)
    extracted = os.path.join(home, "datasets", "cifar-10-batches-py-target")
    with tarfile.open(path) as tar:
        tar.extractall(extracted, filter="data")
    os.remove(path)
    assert_same(workbench.datasets.cifar10.load_data(), expected)


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_matches_keras(home, monkeypatch, label_mode):
    path = fixtures.write_cifar100(home, np.random.default_rng(3))
    trust(monkeypatch, workbench.datasets.cifar100, path)
    ours = workbench.datasets.cifar100.load_data(label_mode=label_mode)
    assert ours[1][0].shape == (4, 32, 32, 3)
    assert_same(ours, keras_loader(monkeypatch, home, "cifar100").load_data(label_mode))


def test_cifar100_rejects_an_unknown_label_mode():
    with pytest.raises(ValueError, match="label_mode='medium'"):
        workbench.datasets.cifar100.load_data(label_mode="medium")


SEQUENCE_OPTIONS = [
    {},
    {"num_words": 20},
    {"num_words": 25, "skip_top": 5},
    {"maxlen": 8},
    {"num_words": 20, "oov_char": None},
    {"start_char": None, "index_from": 0},
    {"start_char": None, "index_from": 2, "seed": 7},
    {"index_from": 0, "oov_char": 3, "num_words": 15},
]


@pytest.mark.parametrize("options", SEQUENCE_OPTIONS, ids=lambda o: "-".join(
    f"{k}={v}" for k, v in o.items()) or "defaults")
def test_imdb_filtering_matches_keras(home, monkeypatch, options):
    path = fixtures.write_imdb(home, np.random.default_rng(4))
    trust(monkeypatch, workbench.datasets.imdb, path)
    ours = workbench.datasets.imdb.load_data(**options)
    assert ours[0][0].dtype == object
    assert_same(ours, keras_loader(monkeypatch, home, "imdb").load_data(**options))


@pytest.mark.parametrize("options", SEQUENCE_OPTIONS + [{"test_split": 0.5}], ids=lambda o: "-".join(
    f"{k}={v}" for k, v in o.items()) or "defaults")
def test_reuters_filtering_matches_keras(home, monkeypatch, options):
    path = fixtures.write_reuters(home, np.random.default_rng(5))
    trust(monkeypatch, workbench.datasets.reuters, path)
    ours = workbench.datasets.reuters.load_data(**options)
    assert_same(ours, keras_loader(monkeypatch, home, "reuters").load_data(**options))


def test_num_words_caps_the_indexes_and_oov_char_marks_the_cut(home, monkeypatch):
    trust(monkeypatch, workbench.datasets.imdb, fixtures.write_imdb(home, np.random.default_rng(4)))
    (x_train, _), (x_test, _) = workbench.datasets.imdb.load_data(num_words=10, skip_top=4)
    words = {w for s in list(x_train) + list(x_test) for w in s[1:]}
    assert words <= {2, 4, 5, 6, 7, 8, 9} and 2 in words
    # As in Keras, skip_top also covers the reserved indexes: start_char=1 became oov_char=2.
    assert all(s[0] == 2 for s in x_train)


def test_imdb_maxlen_too_small_says_so(home, monkeypatch):
    trust(monkeypatch, workbench.datasets.imdb, fixtures.write_imdb(home, np.random.default_rng(4)))
    with pytest.raises(ValueError, match="maxlen=1"):
        workbench.datasets.imdb.load_data(maxlen=1)


def test_imdb_rejects_unknown_arguments_and_bad_values():
    with pytest.raises(TypeError, match="nb_words"):
        workbench.datasets.imdb.load_data(nb_words=100)
    with pytest.raises(ValueError, match="num_words=0"):
        workbench.datasets.imdb.load_data(num_words=0)


@pytest.mark.parametrize("name, features, count, options", [
    ("boston_housing", 13, 30, {}),
    ("boston_housing", 13, 30, {"test_split": 0.3, "seed": 1}),
    ("california_housing", 8, 40, {}),
    ("california_housing", 8, 700, {"version": "small", "test_split": 0.1}),
])
def test_housing_matches_keras(home, monkeypatch, name, features, count, options):
    path = fixtures.write_housing(home, np.random.default_rng(6), f"{name}.npz", features, count)
    module = getattr(workbench.datasets, name)
    trust(monkeypatch, module, path)
    ours = module.load_data(**options)
    assert ours[0][0].shape[1] == features
    assert_same(ours, keras_loader(monkeypatch, home, name).load_data(**options))


def test_california_small_keeps_600_rows(home, monkeypatch):
    path = fixtures.write_housing(home, np.random.default_rng(6), "california_housing.npz", 8, 700)
    trust(monkeypatch, workbench.datasets.california_housing, path)
    (x_train, _), (x_test, _) = workbench.datasets.california_housing.load_data(version="small")
    assert len(x_train) + len(x_test) == 600
    with pytest.raises(ValueError, match="version='tiny'"):
        workbench.datasets.california_housing.load_data(version="tiny")


def test_word_index_and_label_names(home, monkeypatch):
    import json

    path = os.path.join(fixtures.datasets_dir(home), "reuters_word_index.json")
    with open(path, "w") as f:
        json.dump({"the": 1, "oil": 2}, f)
    import hashlib

    with open(path, "rb") as f:
        monkeypatch.setattr(workbench.datasets.reuters, "WORD_INDEX_HASH",
                            hashlib.md5(f.read()).hexdigest())
    assert workbench.datasets.reuters.get_word_index() == {"the": 1, "oil": 2}
    names = workbench.datasets.reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn"
    assert names == keras_loader(monkeypatch, home, "reuters").get_label_names()


def test_bundled_reviews_are_balanced_and_split():
    (x_train, y_train), (x_test, y_test) = workbench.datasets.reviews.load_data()
    assert x_train.shape == (192,) and x_test.shape == (48,)
    assert y_train.dtype == np.int32
    assert int(y_train.sum() + y_test.sum()) == 120
    assert all(isinstance(text, str) and text for text in x_train)
