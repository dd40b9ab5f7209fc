import math
import threading

import numpy as np
import pytest

import workbench as wb
from workbench.utils import (
    PyDataset,
    Sequence,
    image_dataset_from_directory,
    pad_sequences,
    split_dataset,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 2, 5])
def test_pad_sequences_matches_keras(padding, truncating, maxlen):
    keras = pytest.importorskip("keras")
    sequences = [[1, 2, 3], [4], [], [5, 6, 7, 8]]
    expected = keras.utils.pad_sequences(sequences, maxlen=maxlen, padding=padding,
                                         truncating=truncating, value=-1)
    result = pad_sequences(sequences, maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    np.testing.assert_array_equal(result, expected)
    assert result.dtype == expected.dtype


def test_pad_sequences_keeps_item_shape_and_float_dtype():
    keras = pytest.importorskip("keras")
    sequences = [np.ones((2, 3)), np.zeros((4, 3))]
    expected = keras.utils.pad_sequences(sequences, maxlen=3, dtype="float32", value=0.5)
    np.testing.assert_array_equal(pad_sequences(sequences, maxlen=3, dtype="float32", value=0.5),
                                  expected)


def test_pad_sequences_rejects_unknown_padding():
    with pytest.raises(ValueError, match="Padding type"):
        pad_sequences([[1]], padding="middle")


def test_timeseries_docstring_example_1_windows():
    dataset = timeseries_dataset_from_array(np.arange(99), None, sequence_length=10,
                                            sampling_rate=2, sequence_stride=3)
    windows = np.concatenate([dataset[i] for i in range(len(dataset))])
    np.testing.assert_array_equal(windows[0], np.arange(0, 20, 2))
    np.testing.assert_array_equal(windows[1], np.arange(3, 23, 2))
    np.testing.assert_array_equal(windows[2], np.arange(6, 26, 2))
    np.testing.assert_array_equal(windows[-1], np.arange(78, 98, 2))
    assert len(windows) == 27


def test_timeseries_docstring_example_2_targets():
    data = np.arange(50, dtype="float32") * 0.5
    dataset = timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10, batch_size=4)
    inputs, targets = dataset[0]
    np.testing.assert_array_equal(inputs[0], data[:10])
    assert targets[0] == data[10]
    assert inputs.shape == (4, 10) and len(dataset) == math.ceil(31 / 4)


def test_timeseries_docstring_example_3_non_overlapping():
    x = np.arange(100)
    y = x * 2
    inputs = timeseries_dataset_from_array(x, None, sequence_length=20, sequence_stride=20)
    targets = timeseries_dataset_from_array(y, None, sequence_length=20, sequence_stride=20)
    np.testing.assert_array_equal(inputs[0][0], x[:20])
    np.testing.assert_array_equal(targets[0][1], y[20:40])
    assert inputs[0].shape == (5, 20)


def test_timeseries_start_end_index_and_unbatched():
    dataset = timeseries_dataset_from_array(np.arange(20), np.arange(20) * 10, sequence_length=3,
                                            batch_size=None, start_index=5, end_index=15)
    window, target = dataset[0]
    np.testing.assert_array_equal(window, [5, 6, 7])
    assert target == 50
    assert len(dataset) == 8


def test_timeseries_shuffle_with_seed_is_a_permutation():
    dataset = timeseries_dataset_from_array(np.arange(30), None, sequence_length=4, batch_size=100,
                                            shuffle=True, seed=3)
    firsts = sorted(dataset[0][:, 0].tolist())
    assert firsts == list(range(27))


@pytest.mark.parametrize("left, right, sizes", [(0.8, None, (8, 2)), (None, 3, (7, 3)),
                                                (4, 0.5, (4, 5))])
def test_split_dataset_sizes_for_arrays(left, right, sizes):
    x, y = np.arange(10), np.arange(10) * 2
    (left_x, left_y), (right_x, right_y) = split_dataset((x, y), left_size=left, right_size=right)
    assert (len(left_x), len(right_x)) == sizes
    np.testing.assert_array_equal(left_y, left_x * 2)
    np.testing.assert_array_equal(right_x, x[10 - sizes[1]:])


def test_split_dataset_shuffle_keeps_pairs_and_is_disjoint():
    x = np.arange(20)
    (left_x, left_y), (right_x, right_y) = split_dataset((x, x + 100), left_size=0.5, shuffle=True,
                                                         seed=1)
    np.testing.assert_array_equal(left_y, left_x + 100)
    assert sorted(np.concatenate([left_x, right_x]).tolist()) == list(range(20))


def test_split_dataset_of_py_dataset_splits_batches():
    dataset = timeseries_dataset_from_array(np.arange(40), None, sequence_length=1, batch_size=4)
    left, right = split_dataset(dataset, right_size=0.2)
    assert isinstance(left, PyDataset) and (len(left), len(right)) == (8, 2)
    np.testing.assert_array_equal(right[0][:, 0], [32, 33, 34, 35])


def test_split_dataset_rejects_empty_split():
    with pytest.raises(ValueError):
        split_dataset(np.arange(10), left_size=10)


def _write_text_tree(root):
    for name, count in (("neg", 4), ("pos", 6)):
        (root / name).mkdir()
        for i in range(count):
            (root / name / f"{i}.txt").write_text(f"{name} text {i}")
    (root / "pos" / "ignored.csv").write_text("not a text file")


def test_text_dataset_infers_labels_in_class_name_order(tmp_path):
    _write_text_tree(tmp_path)
    dataset = text_dataset_from_directory(tmp_path, batch_size=100, shuffle=False, verbose=False)
    texts, labels = dataset[0]
    assert dataset.class_names == ["neg", "pos"]
    assert len(texts) == 10
    assert all(text.startswith(["neg", "pos"][label]) for text, label in zip(texts, labels))
    reordered = text_dataset_from_directory(tmp_path, class_names=["pos", "neg"], shuffle=False,
                                            verbose=False, label_mode="categorical", max_length=3)
    texts, labels = reordered[0]
    assert texts[0] == "pos" and labels[0].tolist() == [1.0, 0.0]


def test_text_dataset_validation_subsets_are_disjoint(tmp_path):
    _write_text_tree(tmp_path)
    training, validation = text_dataset_from_directory(tmp_path, batch_size=3, seed=7,
                                                       validation_split=0.3, subset="both",
                                                       verbose=False)
    assert (len(training.file_paths), len(validation.file_paths)) == (7, 3)
    assert not set(training.file_paths) & set(validation.file_paths)
    alone = text_dataset_from_directory(tmp_path, seed=7, validation_split=0.3,
                                        subset="validation", verbose=False)
    assert alone.file_paths == validation.file_paths
    with pytest.raises(ValueError, match="seed"):
        text_dataset_from_directory(tmp_path, validation_split=0.3, subset="training")


def test_image_dataset_from_directory(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    for index, name in enumerate(["cats", "dogs"]):
        (tmp_path / name).mkdir()
        for i in range(3):
            pixels = np.full((10, 14, 3), 100 * index + i, dtype="uint8")
            image_module.fromarray(pixels).save(tmp_path / name / f"{i}.png")
    training, validation = image_dataset_from_directory(
        tmp_path, image_size=(8, 6), batch_size=2, seed=1, validation_split=0.5, subset="both",
        verbose=False)
    images, labels = training[0]
    assert images.shape == (2, 8, 6, 3) and images.dtype == np.float32
    assert training.class_names == ["cats", "dogs"]
    assert not set(training.file_paths) & set(validation.file_paths)
    np.testing.assert_array_equal(images[:, 0, 0, 0] // 100, labels)


def test_image_dataset_without_pillow_names_the_install(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pillow(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pillow)
    with pytest.raises(ImportError, match="pip install pillow"):
        image_dataset_from_directory(tmp_path)


class _Batches(PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.threads = set()
        self.epochs_begun = 0
        self.epochs_ended = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        self.threads.add(threading.get_ident())
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part], self.y[part]

    def on_epoch_begin(self):
        self.epochs_begun += 1

    def on_epoch_end(self):
        self.epochs_ended += 1


def _model():
    model = wb.Sequential([wb.Input((3,)), wb.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_sequence_is_py_dataset_and_num_batches_is_len():
    assert Sequence is PyDataset
    assert _Batches(np.zeros((10, 3)), np.zeros((10, 1)), 4).num_batches == 3
    assert PyDataset().num_batches is None


def test_fit_on_py_dataset_with_two_workers_loads_in_threads():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    dataset = _Batches(x, y, 8, workers=2, max_queue_size=3)
    history = _model().fit(dataset, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert dataset.epochs_ended == 2
    assert dataset.epochs_begun >= 2  # The trainer also peeks at the first batch to build the model.
    assert threading.get_ident() not in dataset.threads


class _Frame:
    """A pandas-like object: only `to_numpy`, which the array adapter must use."""

    def __init__(self, array):
        self.array = array
        self.shape = array.shape

    def __len__(self):
        return len(self.array)

    def to_numpy(self):
        return self.array


def test_fit_on_objects_with_to_numpy():
    x = np.random.default_rng(1).normal(size=(16, 3))
    history = _model().fit(_Frame(x), _Frame(x.sum(axis=1)), batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_fit_on_pandas_dataframe():
    pandas = pytest.importorskip("pandas")
    x = np.random.default_rng(2).normal(size=(16, 3))
    frame = pandas.DataFrame(x, columns=["a", "b", "c"])
    target = pandas.Series(x.sum(axis=1))
    weights = pandas.Series(np.ones(16))
    history = _model().fit(frame, target, sample_weight=weights, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"][0])
