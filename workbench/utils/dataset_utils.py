"""`split_dataset` and the `*_dataset_from_directory` loaders, as in `keras.utils`.

Keras returns `tf.data.Dataset`s; without TensorFlow these return `workbench.utils.PyDataset`s of
numpy batches, which `fit`, `evaluate` and `predict` accept and which can be indexed directly.
"""

import math
import os
import random

import numpy as np

from workbench.api_export import keras_export
from workbench.utils.py_dataset import PyDataset

_IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


class _BatchSubset(PyDataset):
    """The batches `indices` of another PyDataset, without loading them."""

    def __init__(self, dataset, indices):
        super().__init__(workers=dataset.workers, max_queue_size=dataset.max_queue_size)
        self.dataset = dataset
        self.indices = list(indices)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]


def _split_sizes(left_size, right_size, total):
    if left_size is None and right_size is None:
        raise ValueError("At least one of `left_size` or `right_size` must be specified. "
                         "Received: left_size=None and right_size=None")
    sizes = []
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"`{name}` must be an int or a float. Received: {name}={size!r}")
        if type(size) is int and not 0 < size < total or type(size) is float and not 0 < size < 1:
            raise ValueError(
                f"`{name}` must be a float in (0, 1) or an int in (0, {total}) for {total} samples. "
                f"Received: {name}={size}"
            )
        sizes.append(round(size * total) if type(size) is float else size)
    left, right = sizes
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left == 0 or right == 0:
        raise ValueError(
            f"left_size={left_size} and right_size={right_size} give splits of {left} and {right} "
            f"samples out of {total}: both must be non-empty and together at most {total}."
        )
    return left, right


@keras_export("keras.utils.split_dataset")
def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left half and a right half (e.g. train / test).

    Sizes follow Keras: a float is a fraction of the samples, an int a count, and `None` the
    complement of the other size. The left split takes the first samples and the right split the
    last ones, after an optional shuffle.

    Unlike Keras, which returns two `tf.data.Dataset`s:
    - an array, or a tuple/list/dict of arrays with the same first dimension, gives two
      structures of the same kind, sliced along axis 0;
    - a `PyDataset` gives two `PyDataset`s that index its batches: the sizes count batches, and no
      batch is loaded until it is used.

    Args:
        dataset: Array, tuple/list/dict of arrays, or `PyDataset`.
        left_size: Size of the left split (float fraction, int count, or None).
        right_size: Size of the right split (float fraction, int count, or None).
        shuffle: Whether to shuffle the samples (or batches) before splitting.
        seed: Optional random seed for shuffling.

    Returns:
        A tuple `(left, right)`.

    Example:

    >>> left, right = keras.utils.split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), len(right)
    (8, 2)
    """
    if isinstance(dataset, PyDataset):
        total = len(dataset)
    else:
        from workbench import tree

        leaves = [np.asarray(leaf) for leaf in tree.flatten(dataset)]
        lengths = {len(leaf) for leaf in leaves}
        if len(lengths) != 1:
            raise ValueError("`dataset` must be an array, a `PyDataset`, or a structure of arrays "
                             f"with the same first dimension. Received lengths {sorted(lengths)}.")
        total = lengths.pop()
    left, right = _split_sizes(left_size, right_size, total)
    order = np.arange(total)
    if shuffle:
        np.random.RandomState(random.randint(0, int(1e6)) if seed is None else seed).shuffle(order)
    left_indices, right_indices = order[:left], order[total - right:]
    if isinstance(dataset, PyDataset):
        return _BatchSubset(dataset, left_indices), _BatchSubset(dataset, right_indices)
    from workbench import tree

    return (tree.map_structure(lambda a: np.asarray(a)[left_indices], dataset),
            tree.map_structure(lambda a: np.asarray(a)[right_indices], dataset))


class FileDataset(PyDataset):
    """Batches of files read by `load(path)`, with labels; `class_names` and `file_paths` as Keras."""

    def __init__(self, file_paths, labels, load, batch_size, class_names, label_mode):
        super().__init__()
        self.file_paths = file_paths
        self.labels = labels
        self.load = load
        self.batch_size = batch_size
        self.class_names = class_names
        self.label_mode = label_mode

    def __len__(self):
        return len(self.file_paths) if self.batch_size is None else math.ceil(
            len(self.file_paths) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for {len(self)} batches.")
        if self.batch_size is None:
            part = slice(index, index + 1)
        else:
            part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        inputs = self.load(self.file_paths[part])
        if self.label_mode is None:
            return inputs[0] if self.batch_size is None else inputs
        labels = self.labels[part]
        if self.label_mode == "binary":
            labels = labels.astype("float32")[:, None]
        elif self.label_mode == "categorical":
            labels = np.eye(len(self.class_names), dtype="float32")[labels]
        if self.batch_size is None:
            return inputs[0], labels[0]
        return inputs, labels


def index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links):
    """Files under `directory` and their labels, ordered and shuffled exactly as Keras does."""
    if labels == "inferred":
        subdirs = [name for name in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    "The `class_names` passed did not match the names of the subdirectories of "
                    f"the target directory. Expected: {subdirs} (or a subset of it), but "
                    f"received: class_names={class_names}"
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("`class_names` can only be given with `labels='inferred'`.")
        subdirs = [""]
    file_paths, inferred = [], []
    for class_index, subdir in enumerate(subdirs):
        walk = os.walk(os.path.join(directory, subdir), followlinks=follow_links)
        for root, _, files in sorted(walk, key=lambda entry: entry[0]):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    file_paths.append(os.path.join(root, name))
                    inferred.append(class_index)
    if labels == "inferred":
        labels = np.asarray(inferred, dtype="int32")
        found_class_names = subdirs
    elif labels is None:
        found_class_names = None
    else:
        if len(labels) != len(file_paths):
            raise ValueError(
                f"Expected the lengths of `labels` to match the number of files in the target "
                f"directory. len(labels) is {len(labels)} while we found {len(file_paths)} files "
                f"in directory {directory}."
            )
        found_class_names = [str(label) for label in sorted(set(labels))]
        labels = np.asarray(labels, dtype="int32")
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, found_class_names


def _check_arguments(labels, label_mode, validation_split, subset, shuffle, seed):
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError("`labels` must be 'inferred', None, or a list/tuple of integer labels. "
                         f"Received: labels={labels}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError("`label_mode` must be 'int', 'categorical', 'binary' or None. "
                         f"Received: label_mode={label_mode}")
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if bool(validation_split) != bool(subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a "
                         "`seed` argument, to make sure that there is no overlap between the "
                         "training and validation subset.")


def _from_directory(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                    validation_split, subset, follow_links, formats, load, verbose):
    _check_arguments(labels, label_mode, validation_split, subset, shuffle, seed)
    if labels is None:
        label_mode = None
    file_paths, label_array, found_class_names = index_directory(
        directory, labels, formats, class_names, shuffle, seed, follow_links)
    if label_mode == "binary" and len(found_class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 classes. '
                         f"Found the following classes: {found_class_names}")
    if verbose:
        classes = "" if found_class_names is None else f" belonging to {len(found_class_names)} classes"
        print(f"Found {len(file_paths)} files{classes}.")
    if not file_paths:
        raise ValueError(f"No files found in directory {directory}. Allowed formats: {formats}")

    def make(part):
        part_labels = None if label_array is None else label_array[part]
        return FileDataset(file_paths[part], part_labels, load, batch_size, found_class_names,
                           label_mode)

    num_validation = int(validation_split * len(file_paths)) if validation_split else 0
    training, validation = slice(0, len(file_paths) - num_validation), slice(
        len(file_paths) - num_validation, None)
    if subset == "both":
        return [make(training), make(validation)]
    return make(validation if subset == "validation" else training)


def _image_loader(color_mode, image_size, interpolation, crop_to_aspect_ratio, data_format):
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError("image_dataset_from_directory reads images with Pillow. Install it with "
                          "`pip install pillow`.") from error
    modes = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
    if color_mode not in modes:
        raise ValueError(f"`color_mode` must be 'grayscale', 'rgb' or 'rgba'. Received: {color_mode}")
    resamples = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
                 "lanczos": Image.LANCZOS, "box": Image.BOX, "hamming": Image.HAMMING}
    if interpolation not in resamples:
        raise ValueError(f"`interpolation` must be one of {sorted(resamples)}. "
                         f"Received: interpolation={interpolation}")
    height, width = image_size

    def load_one(path):
        with Image.open(path) as image:
            image = image.convert(modes[color_mode])
            if crop_to_aspect_ratio:
                # Centre crop to the target aspect ratio, as Keras does, before resizing.
                scale = min(image.width / width, image.height / height)
                crop_width, crop_height = round(width * scale), round(height * scale)
                left, top = (image.width - crop_width) // 2, (image.height - crop_height) // 2
                image = image.crop((left, top, left + crop_width, top + crop_height))
            image = image.resize((width, height), resample=resamples[interpolation])
            array = np.asarray(image, dtype="float32")
        return array[..., None] if array.ndim == 2 else array

    def load(paths):
        batch = np.stack([load_one(path) for path in paths])
        return np.moveaxis(batch, -1, 1) if data_format == "channels_first" else batch

    return load


@keras_export("keras.utils.image_dataset_from_directory",
              "keras.preprocessing.image_dataset_from_directory")
def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True,
                                 seed=None, validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False, data_format=None,
                                 verbose=True):
    """Generates a dataset of images from the files in a directory, one subdirectory per class.

    With `labels="inferred"`, `directory/class_a/*.png` gets label 0 and `directory/class_b/*.png`
    label 1, classes in alphanumeric order (or in the order of `class_names`). Supported formats:
    `.bmp`, `.gif`, `.jpeg`, `.jpg`, `.png`. Images are read with Pillow.

    Unlike Keras, which returns a `tf.data.Dataset`, this returns a `PyDataset` of numpy batches:
    `images` are float32 of shape `(batch, height, width, channels)` (channels first with
    `data_format="channels_first"`), labels follow `label_mode`. Files are shuffled once, before
    the split, as in Keras; `fit(shuffle=True)` then shuffles the order of batches every epoch.
    `pad_to_aspect_ratio` and `format` are not supported.

    Args:
        directory: Directory of the data.
        labels: `"inferred"`, None (no labels), or a list of integer labels in the sorted order of
            the image file paths.
        label_mode: `"int"`, `"categorical"` (one-hot float32), `"binary"` (float32 of shape
            `(batch, 1)`, two classes) or None (images only).
        class_names: With inferred labels, the subdirectories to use, in label order.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        batch_size: Images per batch, or None for single images.
        image_size: `(height, width)` to resize to.
        shuffle: Whether to shuffle the files (once, with `seed`).
        seed: Random seed; required with `validation_split` and `shuffle`.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns a list of two datasets).
        interpolation: Pillow resampling: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos"`,
            `"box"` or `"hamming"`.
        follow_links: Whether to follow symbolic links to subdirectories.
        crop_to_aspect_ratio: Centre-crop to the target aspect ratio before resizing.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        verbose: Whether to print how many files and classes were found.

    Returns:
        A `PyDataset` (or a list of two) with attributes `class_names` and `file_paths`.
    """
    load = _image_loader(color_mode, image_size, interpolation, crop_to_aspect_ratio,
                         data_format or "channels_last")
    return _from_directory(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                           validation_split, subset, follow_links, _IMAGE_FORMATS, load, verbose)


@keras_export("keras.utils.text_dataset_from_directory",
              "keras.preprocessing.text_dataset_from_directory")
def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False, verbose=True):
    """Generates a dataset of texts from the `.txt` files in a directory, one subdirectory per class.

    Labels, classes, shuffling and splitting work as in `image_dataset_from_directory`. Unlike
    Keras, which yields `tf.string` tensors, the texts of a batch are a numpy array of Python `str`
    (dtype object), read as UTF-8.

    Args:
        directory: Directory of the data.
        labels: `"inferred"`, None (no labels), or a list of integer labels in the sorted order of
            the file paths.
        label_mode: `"int"`, `"categorical"`, `"binary"` or None (texts only).
        class_names: With inferred labels, the subdirectories to use, in label order.
        batch_size: Texts per batch, or None for single texts.
        max_length: Maximum number of characters kept from each text.
        shuffle: Whether to shuffle the files (once, with `seed`).
        seed: Random seed; required with `validation_split` and `shuffle`.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns a list of two datasets).
        follow_links: Whether to follow symbolic links to subdirectories.
        verbose: Whether to print how many files and classes were found.

    Returns:
        A `PyDataset` (or a list of two) with attributes `class_names` and `file_paths`.
    """

    def load(paths):
        texts = []
        for path in paths:
            with open(path, encoding="utf-8") as file:
                texts.append(file.read()[:max_length] if max_length is not None else file.read())
        return np.asarray(texts, dtype=object)

    return _from_directory(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                           validation_split, subset, follow_links, (".txt",), load, verbose)
