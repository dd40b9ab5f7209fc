"""Public saving functions: `save_model`, `load_model`, `save_weights`, `load_weights`."""

import os

from workbench.api_export import keras_export
from workbench.saving import saving_lib


@keras_export("keras.saving.save_model", "keras.models.save_model")
def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model as a `.keras` archive: architecture, weights, optimizer state and assets.

    The write is atomic: the file appears complete or not at all.

    Example:

    >>> model.save("model.keras")
    >>> restored = workbench.saving.load_model("model.keras")
    """
    unknown = set(kwargs) - {"include_optimizer", "save_format"}
    if unknown:
        raise ValueError(f"save_model() got unexpected keyword arguments: {sorted(unknown)}")
    filepath = os.fspath(filepath)
    if zipped is None:
        zipped = True
    if zipped and not filepath.endswith(".keras"):
        raise ValueError(
            "The filename must end in `.keras` (the only format `save_model` writes). "
            f"Received: filepath={filepath}. For weights only, use `model.save_weights(...)` with "
            "a `.weights.h5` name."
        )
    if os.path.exists(filepath) and not overwrite:
        raise FileExistsError(f"'{filepath}' exists and overwrite=False.")
    saving_lib.save_model(model, filepath, zipped=zipped)


@keras_export("keras.saving.load_model", "keras.models.load_model")
def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save()` by workbench or by Keras 3.

    Args:
        filepath: a `.keras` file, or a folder saved with `zipped=False`.
        custom_objects: dict of custom classes and functions the file refers to.
        compile: whether to compile the model with the saved compile config and optimizer state.
        safe_mode: refuse to load Python bytecode (Lambda layers holding lambdas). Only set it to
            False for files you trust.
    """
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No file or folder found at '{filepath}'.")
    if filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5"):
        raise ValueError(
            f"'{filepath}' is a legacy Keras 2 HDF5 model file. workbench does not read model "
            "configs from legacy HDF5 files; load it in Keras and re-save it as `.keras`, or rebuild "
            "the model in code and call `model.load_weights(...)`."
        )
    if not (filepath.endswith(".keras") or os.path.isdir(filepath)):
        raise ValueError(
            f"File format not supported: filepath={filepath}. workbench loads `.keras` files (and "
            "folders saved with `zipped=False`)."
        )
    return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                 safe_mode=safe_mode)


@keras_export("keras.saving.save_weights")
def save_weights(model, filepath, overwrite=True, max_shard_size=None, **kwargs):
    """Saves the weights (and optimizer state) to `<name>.weights.h5`, or shards with `max_shard_size` (GB)."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5") and not (max_shard_size and filepath.endswith(".weights.json")):
        raise ValueError(
            "The filename must end in `.weights.h5`. "
            f"Received: filepath={filepath}"
        )
    if os.path.exists(filepath) and not overwrite:
        raise FileExistsError(f"'{filepath}' exists and overwrite=False.")
    if max_shard_size is not None and (not isinstance(max_shard_size, (int, float)) or max_shard_size <= 0):
        raise ValueError(f"`max_shard_size` must be a positive number of GB. Received: {max_shard_size}")
    saving_lib.save_weights_only(model, filepath, max_shard_size=max_shard_size)


@keras_export("keras.saving.load_weights")
def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights from `.weights.h5`, a shard index `.weights.json`, or a `.keras` archive."""
    filepath = os.fspath(filepath)
    if not filepath.endswith((".weights.h5", ".weights.json", ".keras")):
        raise ValueError(
            "File format not supported: load_weights reads `.weights.h5`, `.weights.json` (sharded) "
            f"and `.keras` files. Received: filepath={filepath}"
        )
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No weights file at '{filepath}'.")
    saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
