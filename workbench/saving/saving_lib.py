"""The `.keras` archive: `config.json`, `metadata.json`, `model.weights.h5` and `assets/`.

Weights are written by walking the model's object tree the way Keras does, so the HDF5 paths come
from attribute names and class-name counters (`layers/dense_1/vars/0`), never from layer names.
Loading never imports a module named in the file, refuses members that would land outside their
folder, and caps how much an archive may expand. Saving is atomic: a temporary file is written
next to the target and renamed over it, so an interrupted save leaves the previous file intact.
"""

import datetime
import json
import os
import shutil
import tempfile
import zipfile
import zlib

from workbench.saving import serialization_lib
from workbench.saving.weights_store import H5IOStore, ShardedH5IOStore

KERAS_VERSION = "3.15.1"
CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
ASSETS_DIRNAME = "assets"
# An archive may expand to at most this many bytes per stored byte, above a floor (zip bombs).
MAX_EXPANSION_RATIO = 100
EXPANSION_FLOOR_BYTES = 4 * 1024 ** 3
MAX_CONFIG_BYTES = 256 * 1024 ** 2
# What a damaged archive raises while it is read: a bad deflate stream is `zlib.error`, an unknown
# compression method `NotImplementedError`, an encrypted member `RuntimeError`.
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error,
                   NotImplementedError, RuntimeError)


# --------------------------------------------------------------------------------------------
# the object tree
# --------------------------------------------------------------------------------------------
_SKIP_CACHE = {}
_ALWAYS_SKIP = frozenset({
    "_functional", "_stack", "_loss_tracker", "_compile_loss", "_compile_metrics", "_pending_state",
    "history", "optimizer", "_layers", "layers", "_operations", "_layers_in_graph", "_inputs_struct",
    "_outputs_struct", "_inbound_nodes", "_outbound_nodes", "_tracked_metrics", "_metrics",
    "_seed_generators", "seed_generator", "_losses_override", "_compile_config", "_functions",
})


def _saveable_types():
    from workbench.layers.layer import Layer
    from workbench.metrics.metric import Metric
    from workbench.optimizers import Optimizer

    return Layer, Metric, Optimizer


def _skipset(obj):
    """Attributes a bare instance of the object's base class has too; those are never children."""
    from workbench.layers.layer import Layer
    from workbench.models.model import Model

    base = Model if isinstance(obj, Model) else Layer if isinstance(obj, Layer) else type(obj)
    if base not in _SKIP_CACHE:
        names = set(dir(base))
        if base is Layer:
            names |= set(Layer().__dict__)
        elif base is Model:
            names |= set(dir(Layer)) | set(Layer().__dict__) | {"compiled", "run_eagerly", "jit_compile",
                                                                 "steps_per_execution", "stop_training"}
        _SKIP_CACHE[base] = names
    return _SKIP_CACHE[base]


def _children(obj):
    """`(attribute_name, child)` pairs in Keras's order: `layers` first, public names, then private."""
    from workbench.layers.input_layer import InputLayer
    from workbench.models.functional import Functional
    from workbench.models.sequential import Sequential

    saveable = _saveable_types()
    if isinstance(obj, Sequential):
        yield "layers", [layer for layer in obj._stack if not isinstance(layer, InputLayer)]
    elif isinstance(obj, Functional):
        yield "layers", obj.layers
    if not isinstance(obj, saveable[0]):
        return
    skip = _skipset(obj) | _ALWAYS_SKIP
    names = sorted(set(dir(obj)) - skip)
    for name in [n for n in names if not n.startswith("_")] + [n for n in names if n.startswith("_")]:
        if name.startswith("__"):
            continue
        attribute = getattr(type(obj), name, None)
        if callable(attribute) and not isinstance(attribute, property):
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # a property that cannot be computed for this object holds no child
            continue
        if isinstance(value, saveable) or (isinstance(value, (list, tuple, dict)) and _holds_saveable(value)):
            yield name, value


def _holds_saveable(container):
    saveable = _saveable_types()
    values = container.values() if isinstance(container, dict) else container
    return any(isinstance(v, saveable) or (isinstance(v, (list, tuple, dict)) and _holds_saveable(v))
               for v in values)


def _to_snake_case(name):
    from workbench.backend.naming import to_snake_case

    return to_snake_case(name)


def _walk(obj, path, visit, visited):
    """Calls `visit(obj, path)` for `obj` and every saveable below it, each object once."""
    if id(obj) in visited:
        return
    visited.add(id(obj))
    visit(obj, path)
    for name, value in _children(obj):
        child_path = f"{path}/{name}" if path else name
        if isinstance(value, (list, tuple, dict)):
            _walk_container(value, child_path, visit, visited)
        else:
            _walk(value, child_path, visit, visited)


def _walk_container(container, path, visit, visited):
    saveable = _saveable_types()
    counters = {}
    values = container.values() if isinstance(container, dict) else container
    for value in values:
        if isinstance(value, saveable):
            base = _to_snake_case(type(value).__name__)
        elif isinstance(value, (list, tuple, dict)) and _holds_saveable(value):
            base = "container"
        else:
            continue
        count = counters.get(base, 0)
        counters[base] = count + 1
        name = base if count == 0 else f"{base}_{count}"
        if id(value) in visited:
            continue
        if base == "container":
            _walk_container(value, f"{path}/{name}", visit, visited)
        else:
            _walk(value, f"{path}/{name}", visit, visited)


def own_variables(obj):
    """The variables an object writes in its own `vars` group, in Keras's order."""
    from workbench.layers.layer import Layer

    if isinstance(obj, Layer):
        return list(obj._trainable_variables) + list(obj._non_trainable_variables)
    return list(obj.variables)


def save_state(model, store, include_optimizer=True):
    def visit(obj, path):
        if hasattr(obj, "save_own_variables"):
            obj.save_own_variables(store.make(path, name=getattr(obj, "name", None)))
        else:
            store.write(path, own_variables(obj), name=getattr(obj, "name", None))

    visited = set()
    _walk(model, "", visit, visited)
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and getattr(optimizer, "built", False):
        _walk(optimizer, "optimizer", visit, visited)


def load_state(model, store, skip_mismatch=False, include_optimizer=True, errors=None):
    errors = [] if errors is None else errors

    def visit(obj, path):
        if hasattr(obj, "load_own_variables"):
            obj.load_own_variables(store.get(path))
            return
        variables = own_variables(obj)
        try:
            store.read_into(path, variables, skip_mismatch=skip_mismatch, owner=getattr(obj, "name", path))
        except ValueError as error:
            errors.append(str(error))

    visited = set()
    _walk(model, "", visit, visited)
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and store.has("optimizer/vars"):
        if not optimizer.built:
            optimizer.build(model.trainable_variables)
        before = len(errors)
        _walk(optimizer, "optimizer", visit, visited)
        if len(errors) > before:
            import warnings

            warnings.warn(f"Skipping the optimizer state of the file: {errors[before:]}", stacklevel=3)
            del errors[before:]
    if errors and not skip_mismatch:
        raise ValueError("\n".join(errors))


def walk_assets(model, visit):
    """Calls `visit(obj, path)` for every object in the tree that has assets."""
    def maybe(obj, path):
        if hasattr(obj, "save_assets") or hasattr(obj, "load_assets"):
            visit(obj, path)

    _walk(model, "", maybe, set())


# --------------------------------------------------------------------------------------------
# atomic writes
# --------------------------------------------------------------------------------------------
class AtomicFile:
    """`with AtomicFile(path) as tmp:` write to `tmp`; on success it replaces `path` in one rename."""

    def __init__(self, path, suffix=""):
        self.path = os.fspath(path)
        self.suffix = suffix

    def __enter__(self):
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        handle, self.temporary = tempfile.mkstemp(prefix=".tmp-", suffix=self.suffix, dir=folder)
        os.close(handle)
        return self.temporary

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            os.replace(self.temporary, self.path)
        elif os.path.exists(self.temporary):
            os.remove(self.temporary)
        return False


# --------------------------------------------------------------------------------------------
# save / load the archive
# --------------------------------------------------------------------------------------------
def _metadata():
    from workbench import __version__

    return {"keras_version": KERAS_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
            "workbench_version": __version__}


def _records_default_training(metadata):
    """Keras before 3.16 recorded each layer's `call()` default for `training` in the graph nodes
    (Dropout nodes say `training: false`); with those files the outer call's `training` must win."""
    if not isinstance(metadata, dict) or "workbench_version" in metadata:
        return False
    try:
        major, minor = (int(part) for part in str(metadata.get("keras_version", "")).split(".")[:2])
    except ValueError:
        return False
    return (major, minor) < (3, 16)


def save_model(model, filepath, weights_format="h5", zipped=True):
    """Writes `model` to a `.keras` archive (or a folder with `zipped=False`), atomically."""
    config_json = json.dumps(serialization_lib.serialize_keras_object(model))
    metadata_json = json.dumps(_metadata())
    if not zipped:
        staging = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(filepath)) or ".")
        try:
            _write_contents(model, staging, config_json, metadata_json)
            if os.path.exists(filepath):
                shutil.rmtree(filepath)
            os.replace(staging, filepath)
        finally:
            if os.path.exists(staging):
                shutil.rmtree(staging)
        return
    with tempfile.TemporaryDirectory() as workdir, AtomicFile(filepath, suffix=".keras") as temporary:
        _write_contents(model, workdir, config_json, metadata_json)
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.write(os.path.join(workdir, METADATA_FILENAME), METADATA_FILENAME)
            archive.write(os.path.join(workdir, CONFIG_FILENAME), CONFIG_FILENAME)
            archive.write(os.path.join(workdir, WEIGHTS_FILENAME), WEIGHTS_FILENAME)
            assets = os.path.join(workdir, ASSETS_DIRNAME)
            for root, _, files in os.walk(assets):
                for name in sorted(files):
                    full = os.path.join(root, name)
                    archive.write(full, os.path.relpath(full, workdir).replace(os.sep, "/"))


def _write_contents(model, folder, config_json, metadata_json):
    with open(os.path.join(folder, METADATA_FILENAME), "w") as f:
        f.write(metadata_json)
    with open(os.path.join(folder, CONFIG_FILENAME), "w") as f:
        f.write(config_json)
    with H5IOStore(os.path.join(folder, WEIGHTS_FILENAME), mode="w") as store:
        save_state(model, store)

    def save_assets(obj, path):
        if hasattr(obj, "save_assets"):
            target = os.path.join(folder, ASSETS_DIRNAME, *[p for p in path.split("/") if p])
            os.makedirs(target, exist_ok=True)
            obj.save_assets(target)

    walk_assets(model, save_assets)


def _safe_member_path(root, member):
    """The extraction path of `member` under `root`, or ValueError if it would escape `root`."""
    name = member.replace("\\", "/")
    if name.startswith("/") or ":" in name.split("/")[0] or any(part == ".." for part in name.split("/")):
        raise ValueError(
            f"Refusing to load the archive: its member {member!r} would be written outside the "
            "extraction folder. The file is corrupted or hostile."
        )
    target = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([target, os.path.realpath(root)]) != os.path.realpath(root):
        raise ValueError(f"Refusing to load the archive: member {member!r} escapes its folder.")
    return target


def _check_archive(archive, filepath):
    infos = archive.infolist()
    names = [info.filename for info in infos]
    for required in (CONFIG_FILENAME,):
        if required not in names:
            raise ValueError(
                f"'{filepath}' is not a valid .keras file: it has no {required}. Members: {names[:20]}"
            )
    stored = max(os.path.getsize(filepath), 1)
    expanded = sum(info.file_size for info in infos)
    if expanded > max(EXPANSION_FLOOR_BYTES, MAX_EXPANSION_RATIO * stored):
        raise ValueError(
            f"Refusing to load '{filepath}': it would expand to {expanded:,} bytes from {stored:,} "
            "stored bytes, which looks like a zip bomb."
        )
    for info in infos:
        if info.filename.endswith("/"):
            continue
        if info.file_size > MAX_EXPANSION_RATIO * max(info.compress_size, 1) and info.file_size > EXPANSION_FLOOR_BYTES:
            raise ValueError(f"Refusing to load '{filepath}': member {info.filename!r} is a zip bomb.")


def _read_member(archive, name, limit):
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"The archive member {name} is {info.file_size:,} bytes; the limit is {limit:,}.")
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"The archive member {name} expands past its declared size; refusing it.")
    return data


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a `.keras` archive (or an unzipped folder) written by workbench or by Keras 3."""
    filepath = os.fspath(filepath)
    if os.path.isdir(filepath):
        return _load_from_folder(filepath, custom_objects, compile, safe_mode)
    archive = _open_archive(filepath)
    with archive, tempfile.TemporaryDirectory() as workdir:
        _check_archive(archive, filepath)
        try:
            config_json = _read_member(archive, CONFIG_FILENAME, MAX_CONFIG_BYTES)
            for info in archive.infolist():
                if info.filename in (WEIGHTS_FILENAME, METADATA_FILENAME) or info.filename.startswith(ASSETS_DIRNAME + "/"):
                    target = _safe_member_path(workdir, info.filename)
                    if info.filename.endswith("/"):
                        os.makedirs(target, exist_ok=True)
                        continue
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with archive.open(info) as source, open(target, "wb") as destination:
                        _copy_limited(source, destination, info.file_size, info.filename)
                else:
                    _safe_member_path(workdir, info.filename)
        except _ARCHIVE_ERRORS as error:
            raise ValueError(f"'{filepath}' is corrupted or truncated: {error}") from error
        with open(os.path.join(workdir, CONFIG_FILENAME), "wb") as f:
            f.write(config_json)
        return _load_from_folder(workdir, custom_objects, compile, safe_mode, source=filepath)


def _open_archive(filepath):
    try:
        return zipfile.ZipFile(filepath, "r")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise ValueError(
            f"'{filepath}' is not a valid .keras file (not a zip archive, or truncated): {error}"
        ) from error


def _copy_limited(source, destination, declared, name):
    remaining = declared
    while True:
        chunk = source.read(1 << 20)
        if not chunk:
            return
        remaining -= len(chunk)
        if remaining < 0:
            raise ValueError(f"The archive member {name} expands past its declared size; refusing it.")
        destination.write(chunk)


def _load_from_folder(folder, custom_objects, compile, safe_mode, source=None):
    source = source or folder
    try:
        with open(os.path.join(folder, CONFIG_FILENAME), "rb") as f:
            config = json.loads(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"'{source}' has an unreadable config.json: {error}") from error
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"'{source}': config.json does not describe a model.")
    weights = os.path.join(folder, WEIGHTS_FILENAME)
    if not os.path.isfile(weights):
        raise ValueError(f"'{source}' is not a valid .keras file: it has no {WEIGHTS_FILENAME}.")
    if not compile:
        config = dict(config)
        config.pop("compile_config", None)
    metadata = None
    metadata_path = os.path.join(folder, METADATA_FILENAME)
    if os.path.exists(metadata_path):
        try:
            with open(metadata_path, "rb") as f:
                metadata = json.loads(f.read(1 << 20).decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            metadata = None
    with serialization_lib.SafeModeScope(safe_mode), serialization_lib.LoadingScope(
            drop_default_training=_records_default_training(metadata)):
        model = serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects,
                                                           safe_mode=safe_mode)
    from workbench.layers.layer import Layer

    if not isinstance(model, Layer):
        raise ValueError(f"'{source}' does not contain a model or layer; it holds {type(model).__name__}.")
    with H5IOStore(weights, mode="r") as store:
        load_state(model, store, include_optimizer=compile)
    assets = os.path.join(folder, ASSETS_DIRNAME)

    def load_assets(obj, path):
        target = os.path.join(assets, *[p for p in path.split("/") if p])
        if hasattr(obj, "load_assets") and os.path.isdir(target):
            obj.load_assets(target)

    if os.path.isdir(assets):
        walk_assets(model, load_assets)
    return model


def save_weights_only(model, filepath, max_shard_size=None):
    filepath = os.fspath(filepath)
    if max_shard_size is not None:
        with ShardedH5IOStore(filepath, mode="w", max_shard_size=max_shard_size) as store:
            save_state(model, store)
        return
    with AtomicFile(filepath, suffix=".weights.h5") as temporary:
        with H5IOStore(temporary, mode="w") as store:
            save_state(model, store)


def load_weights_only(model, filepath, skip_mismatch=False, objects_to_skip=None):
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        with _open_archive(filepath) as archive, tempfile.TemporaryDirectory() as workdir:
            _check_archive(archive, filepath)
            if WEIGHTS_FILENAME not in archive.namelist():
                raise ValueError(f"'{filepath}' is not a valid .keras file: it has no {WEIGHTS_FILENAME}.")
            target = _safe_member_path(workdir, WEIGHTS_FILENAME)
            info = archive.getinfo(WEIGHTS_FILENAME)
            try:
                with archive.open(info) as source, open(target, "wb") as destination:
                    _copy_limited(source, destination, info.file_size, WEIGHTS_FILENAME)
            except _ARCHIVE_ERRORS as error:
                raise ValueError(f"'{filepath}' is corrupted or truncated: {error}") from error
            with H5IOStore(target, mode="r") as store:
                load_state(model, store, skip_mismatch=skip_mismatch)
        return
    store_class = ShardedH5IOStore if filepath.endswith(".weights.json") else H5IOStore
    with store_class(filepath, mode="r") as store:
        load_state(model, store, skip_mismatch=skip_mismatch)
