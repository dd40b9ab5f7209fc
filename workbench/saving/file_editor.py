"""KerasFileEditor: inspect (and lightly edit) the weights tree of a `.keras` or `.weights.h5` file."""

import json
import os
import tempfile
import zipfile

import h5py
import numpy as np

from workbench.api_export import keras_export
from workbench.saving import saving_lib
from workbench.saving.weights_store import _check_dataset, _child, _read_dataset


def _read_tree(group):
    tree = {}
    for key in group.keys():
        item = _child(group, key)  # never follows soft or external links
        if isinstance(item, h5py.Dataset):
            _check_dataset(item)
            tree[key] = _read_dataset(item)
        else:
            tree[key] = _read_tree(item)
    return tree


def _write_tree(group, tree):
    for key, value in tree.items():
        if isinstance(value, dict):
            _write_tree(group.require_group(key), value)
        else:
            group.create_dataset(key, data=np.asarray(value))


@keras_export("keras.saving.KerasFileEditor")
class KerasFileEditor:
    """Reads a saved file's weights tree without building the model.

    Example:

    >>> editor = workbench.saving.KerasFileEditor("model.keras")
    >>> editor.summary()                     # the tree of groups and weight shapes
    >>> editor.weights_dict["layers"]["dense"]["vars"]["0"].shape
    (8, 16)
    """

    def __init__(self, filepath):
        self.filepath = os.fspath(filepath)
        self.config = None
        self.metadata = None
        if self.filepath.endswith(".keras"):
            try:
                archive = zipfile.ZipFile(self.filepath)
            except (zipfile.BadZipFile, OSError) as error:
                raise ValueError(f"'{self.filepath}' is not a readable .keras archive: {error}") from error
            with archive, tempfile.TemporaryDirectory() as workdir:
                saving_lib._check_archive(archive, self.filepath)
                self.config = json.loads(saving_lib._read_member(archive, saving_lib.CONFIG_FILENAME,
                                                                 saving_lib.MAX_CONFIG_BYTES))
                if saving_lib.METADATA_FILENAME in archive.namelist():
                    self.metadata = json.loads(saving_lib._read_member(archive, saving_lib.METADATA_FILENAME, 1 << 20))
                target = saving_lib._safe_member_path(workdir, saving_lib.WEIGHTS_FILENAME)
                info = archive.getinfo(saving_lib.WEIGHTS_FILENAME)
                with archive.open(info) as source, open(target, "wb") as destination:
                    saving_lib._copy_limited(source, destination, info.file_size, info.filename)
                self.weights_dict = self._load(target)
        elif self.filepath.endswith(".weights.h5"):
            self.weights_dict = self._load(self.filepath)
        else:
            raise ValueError(
                f"KerasFileEditor reads `.keras` and `.weights.h5` files. Received: filepath={self.filepath}"
            )

    @staticmethod
    def _load(path):
        try:
            with h5py.File(path, "r") as f:
                return _read_tree(f)
        except OSError as error:
            raise ValueError(f"Cannot read the weights in '{path}': {error}") from error

    def _lines(self, tree=None, prefix=""):
        tree = self.weights_dict if tree is None else tree
        for key in sorted(tree, key=lambda k: (not isinstance(tree[k], dict), int(k) if k.isdigit() else 0, k)):
            value = tree[key]
            if isinstance(value, dict):
                yield f"{prefix}{key}/"
                yield from self._lines(value, prefix + "    ")
            else:
                yield f"{prefix}{key}: shape={value.shape}, dtype={value.dtype}"

    def summary(self, print_fn=print):
        """Prints the weights tree: groups, then each weight's shape and dtype."""
        print_fn(f"Weights of {self.filepath}:")
        for line in self._lines():
            print_fn(line)

    def weight_paths(self):
        """`{"layers/dense/vars/0": shape, ...}` for every weight in the file."""
        paths = {}

        def walk(tree, prefix):
            for key, value in tree.items():
                path = f"{prefix}/{key}" if prefix else key
                if isinstance(value, dict):
                    walk(value, path)
                else:
                    paths[path] = tuple(value.shape)

        walk(self.weights_dict, "")
        return paths

    def compare(self, reference_model):
        """Compares the file's weights with a model's; returns `{"status", "differences"}`."""
        with tempfile.TemporaryDirectory() as workdir:
            path = os.path.join(workdir, "reference.weights.h5")
            reference_model.save_weights(path)
            reference = KerasFileEditor(path).weight_paths()
        ours = self.weight_paths()
        differences = []
        for key in sorted(set(ours) | set(reference)):
            if key.startswith("optimizer/"):
                continue
            if key not in reference:
                differences.append(f"{key}: only in the file")
            elif key not in ours:
                differences.append(f"{key}: only in the model")
            elif ours[key] != reference[key]:
                differences.append(f"{key}: shape {ours[key]} in the file, {reference[key]} in the model")
        return {"status": "success" if not differences else "error", "differences": differences}

    def delete_weight(self, path):
        """Removes one weight (e.g. `"layers/dense/vars/1"`) from the in-memory tree."""
        parts = path.strip("/").split("/")
        tree = self.weights_dict
        for part in parts[:-1]:
            tree = tree[part]
        del tree[parts[-1]]

    def save(self, filepath):
        """Writes the (edited) weights tree to a `.weights.h5` file, atomically."""
        if not os.fspath(filepath).endswith(".weights.h5"):
            raise ValueError(f"KerasFileEditor.save writes `.weights.h5` files. Received: {filepath}")
        with saving_lib.AtomicFile(filepath, suffix=".weights.h5") as temporary:
            with h5py.File(temporary, "w") as f:
                _write_tree(f, self.weights_dict)
