"""HDF5 weight stores: one `.weights.h5` file, or shards listed in a `.weights.json` index.

Each object writes its variables as datasets "0", "1", ... under `<path>/vars`. Reading checks the
count and every shape against the model before any data is read, so a hostile file declaring an
absurd shape fails with an error instead of allocating memory. Links (soft or to other files),
external and virtual datasets are refused: they would read data from elsewhere on the disk.
"""

import json
import os

import h5py
import numpy as np

MAX_DATASET_BYTES = 16 * 1024 ** 3
# A dataset that declares more than this many bytes must store at least 1/1000 of them (Keras's
# rule): a fill-value-only dataset would otherwise allocate its declared size when read.
BOMB_FLOOR_BYTES = 4 * 1024 ** 3
MAX_DATASET_EXPANSION = 1000


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


def _child(group, name):
    """`group[name]`, or None if absent; refuses a link that leads out of the plain tree."""
    link = group.get(name, getlink=True)
    if link is None:
        return None
    if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
        target = f"{link.filename}:{link.path}" if isinstance(link, h5py.ExternalLink) else link.path
        raise ValueError(
            f"Refusing to read the weights file: {group.name.rstrip('/')}/{name} is an HDF5 "
            f"{type(link).__name__} to {target!r}. Weights files hold plain groups and datasets only."
        )
    return group[name]


def _get(root, path):
    """The object at `path` (e.g. `layers/dense/vars`), or None; no link is ever followed."""
    node = root
    for part in [p for p in path.split("/") if p]:
        if not isinstance(node, h5py.Group):
            return None
        node = _child(node, part)
        if node is None:
            return None
    return node


def _to_numpy(variable_or_value):
    value = variable_or_value.value if hasattr(variable_or_value, "value") else variable_or_value
    array = np.asarray(value)
    if array.dtype.name == "bfloat16":
        return array.astype("float32"), "bfloat16"
    return array, None


class _GroupWriter(dict):
    """What `save_own_variables(store)` writes into: `store["0"] = value`."""

    def __init__(self, store, path, name):
        super().__init__()
        self._store, self._path, self._name = store, path, name

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._store._write_dataset(self._path, key, value, self._name)


class _GroupReader:
    """What `load_own_variables(store)` reads from: `store["0"]`, `len(store)`, `store.keys()`.

    It may span several groups: a sharded file can split one object's variables across shards.
    """

    def __init__(self, *groups):
        self._groups = [g for g in groups if isinstance(g, h5py.Group)]

    def dataset(self, key):
        for group in self._groups:
            found = _child(group, key)
            if found is not None:
                return found
        return None

    def __getitem__(self, key):
        dataset = self.dataset(key)
        if dataset is None:
            raise KeyError(key)
        return _read_dataset(dataset)

    def __len__(self):
        return len(self.keys())

    def keys(self):
        names = {name for group in self._groups for name in group.keys()}
        return sorted(names, key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))

    def __contains__(self, key):
        return self.dataset(key) is not None


def _read_into(reader, path, variables, skip_mismatch, owner):
    """Checks count and every shape before reading any data, then assigns the values."""
    keys = reader.keys()
    if len(keys) != len(variables):
        if skip_mismatch or (not variables and not keys):
            return
        raise ValueError(
            f"Layer '{owner}' expects {len(variables)} weights, but the saved file has "
            f"{len(keys)} at '{_vars_path(path)}'. The file was saved from a different "
            "architecture; pass `skip_mismatch=True` to skip such layers."
        )
    datasets = [reader.dataset(str(i)) for i in range(len(variables))]
    for index, (variable, dataset) in enumerate(zip(variables, datasets)):
        if dataset is None:
            raise ValueError(f"The saved weights of '{owner}' lack dataset {index}.")
        _check_dataset(dataset)
        if tuple(dataset.shape) != tuple(variable.shape):
            if skip_mismatch:
                return
            raise ValueError(
                f"Weight {index} of layer '{owner}' ({variable.path}) has shape {tuple(variable.shape)}, "
                f"but the saved value has shape {tuple(dataset.shape)}. Pass `skip_mismatch=True` "
                "to skip it."
            )
    for variable, dataset in zip(variables, datasets):
        variable.assign(_read_dataset(dataset).astype(variable.dtype if hasattr(variable, "dtype") else None))


def _check_dataset(dataset):
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"Expected a dataset at {dataset.name}, found a group.")
    if dataset.dtype.kind not in "biufc":
        raise ValueError(f"The dataset {dataset.name} has a non-numeric dtype {dataset.dtype}.")
    if dataset.external:
        raise ValueError(f"Refusing to read the dataset {dataset.name}: its data lives in external files "
                         f"{[entry[0] for entry in dataset.external]}.")
    if dataset.is_virtual:
        raise ValueError(f"Refusing to read the dataset {dataset.name}: it is a virtual dataset that "
                         "maps data from other files.")
    size = int(np.prod(dataset.shape, dtype=np.float64)) * dataset.dtype.itemsize
    if size > MAX_DATASET_BYTES:
        raise ValueError(f"The dataset {dataset.name} declares {size:,} bytes; refusing to read it.")
    stored = dataset.id.get_storage_size()
    if size > BOMB_FLOOR_BYTES and size > MAX_DATASET_EXPANSION * stored:
        raise ValueError(
            f"The dataset {dataset.name} declares {size:,} bytes but stores {stored:,}; refusing to "
            "read a likely shape bomb."
        )


def _read_dataset(dataset):
    _check_dataset(dataset)
    value = dataset[()]
    if dataset.attrs.get("dtype") == "bfloat16":
        import ml_dtypes

        value = np.asarray(value).astype(ml_dtypes.bfloat16)
    return np.asarray(value)


class H5IOStore:
    """One HDF5 file. Use as a context manager; mode "w" writes, "r" reads."""

    def __init__(self, path, mode="r"):
        self.path = os.fspath(path)
        self.mode = mode
        try:
            self.file = h5py.File(self.path, mode)
        except OSError as error:
            raise ValueError(
                f"Cannot open the weights file '{self.path}': it is missing, truncated or not HDF5 ({error})."
            ) from error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    # -- writing -------------------------------------------------------------------------------
    def _group(self, path, name=None):
        group = self.file.require_group(_vars_path(path))
        if name is not None:
            group.attrs["name"] = name
        return group

    def _write_dataset(self, path, key, value, name=None):
        group = self._group(path, name)
        array, special = _to_numpy(value)
        dataset = group.create_dataset(str(key), data=array)
        if special:
            dataset.attrs["dtype"] = special

    def make(self, path, name=None):
        self._group(path, name)
        return _GroupWriter(self, path, name)

    def write(self, path, variables, name=None):
        self._group(path, name)
        for index, variable in enumerate(variables):
            self._write_dataset(path, str(index), variable, name)

    # -- reading -------------------------------------------------------------------------------
    def has(self, path):
        return _get(self.file, path) is not None

    def get(self, path):
        key = _vars_path(path)
        group = _get(self.file, key)
        return _GroupReader(group)

    def read_into(self, path, variables, skip_mismatch=False, owner=None):
        _read_into(self.get(path), path, variables, skip_mismatch, owner)


class ShardedH5IOStore:
    """Weights split across `<base>_00000.weights.h5`, ... with a `<base>.weights.json` index."""

    def __init__(self, path, mode="r", max_shard_size=None):
        path = os.fspath(path)
        base = path
        for suffix in (".weights.json", ".weights.h5"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
        self.folder = os.path.dirname(os.path.abspath(base))
        self.base = os.path.basename(base)
        self.index_path = os.path.join(self.folder, self.base + ".weights.json")
        self.mode = mode
        self.max_bytes = None if max_shard_size is None else float(max_shard_size) * 1024 ** 3
        self.weight_map = {}
        self.total = 0.0
        self.shards = []
        self.current_bytes = 0
        if mode == "r":
            try:
                with open(self.index_path) as f:
                    index = json.load(f)
                self.weight_map = dict(index["weight_map"])
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise ValueError(f"Cannot read the shard index '{self.index_path}': {error}") from error
            if not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in self.weight_map.values()):
                raise ValueError(f"The shard index '{self.index_path}' must map paths to lists of file names.")
            self._open = {}
        else:
            self._new_shard()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if self.mode == "r":
            for store in self._open.values():
                store.file.close()
            return
        for store in self.shards:
            store.file.close()
        if exc_type is None:
            from workbench.saving.saving_lib import AtomicFile

            with AtomicFile(self.index_path) as temporary, open(temporary, "w") as f:
                json.dump({"metadata": {"total_size": self.total}, "weight_map": self.weight_map}, f, indent=4)

    def _shard_name(self, index):
        return f"{self.base}_{index:05d}.weights.h5"

    def _new_shard(self):
        store = H5IOStore(os.path.join(self.folder, self._shard_name(len(self.shards))), mode="w")
        self.shards.append(store)
        self.current_bytes = 0

    def _register(self, path):
        key = "/" + _vars_path(path)
        name = os.path.basename(self.shards[-1].path)
        files = self.weight_map.setdefault(key, [])
        if name not in files:
            files.append(name)

    def _write_dataset(self, path, key, value, name=None):
        array, _ = _to_numpy(value)
        if self.max_bytes is not None and array.nbytes > self.max_bytes:
            raise ValueError(
                f"The weight {_vars_path(path)}/{key} is {array.nbytes / 1024:.2f} KB, more than "
                f"max_shard_size ({self.max_bytes / 1024:.2f} KB). Increase `max_shard_size`."
            )
        if self.max_bytes is not None and self.current_bytes + array.nbytes > self.max_bytes:
            self._new_shard()
            self.shards[-1]._group(path, name)
        self.shards[-1]._write_dataset(path, key, value, name)
        self.current_bytes += array.nbytes
        self.total += array.nbytes
        self._register(path)

    def make(self, path, name=None):
        self.shards[-1]._group(path, name)
        self._register(path)
        return _GroupWriter(self, path, name)

    def write(self, path, variables, name=None):
        self.shards[-1]._group(path, name)
        self._register(path)
        for index, variable in enumerate(variables):
            self._write_dataset(path, str(index), variable, name)

    def _groups_for(self, path):
        groups = []
        for name in self.weight_map.get("/" + _vars_path(path), []):
            if os.path.basename(name) != name or name in ("", ".", ".."):
                raise ValueError(f"The shard index names a file outside its folder: {name!r}.")
            if name not in self._open:
                self._open[name] = H5IOStore(os.path.join(self.folder, name), mode="r")
            groups.append(_get(self._open[name].file, _vars_path(path)))
        return groups

    def has(self, path):
        return any(key.startswith("/" + path) for key in self.weight_map)

    def get(self, path):
        return _GroupReader(*self._groups_for(path))

    def read_into(self, path, variables, skip_mismatch=False, owner=None):
        if "/" + _vars_path(path) not in self.weight_map:
            if variables and not skip_mismatch:
                raise ValueError(f"The sharded weights have no entry for '{owner}' ({_vars_path(path)}).")
            return
        _read_into(self.get(path), path, variables, skip_mismatch, owner)
