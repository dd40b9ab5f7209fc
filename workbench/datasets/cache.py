"""The local data set cache Keras uses, with checksums and a polite, atomic download.

Files live in `$KERAS_HOME/datasets` (default `~/.keras/datasets`), under the names Keras gives
them, so a cache filled by Keras serves workbench and the other way round. A file that is present
is checked against its known hash; a wrong hash is an error, never a silent re-download over the
user's file. A missing file is downloaded when the network allows; otherwise the error names the
URL to fetch and the exact path to put it at.
"""

import hashlib
import io
import os
import pickle
import tempfile
import urllib.error
import urllib.request
import zipfile

import numpy as np

TIMEOUT_SECONDS = 10


def keras_home():
    """The folder Keras keeps its cache in: `$KERAS_HOME`, else `~/.keras`."""
    return os.path.expanduser(os.environ.get("KERAS_HOME") or os.path.join("~", ".keras"))


def cache_path(fname, cache_subdir="datasets"):
    """Where the file `fname` lives in the cache (it need not exist)."""
    return os.path.join(keras_home(), cache_subdir, fname)


def file_digest(path, algorithm):
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _algorithm(file_hash):
    # Keras publishes sha256 hashes (64 hex digits) and, for the word indexes, md5 (32).
    return "sha256" if len(file_hash) == 64 else "md5"


def verify(path, file_hash, origin):
    """Raises when the file at `path` does not have the hash `file_hash`."""
    if file_hash is None:
        return
    algorithm = _algorithm(file_hash)
    actual = file_digest(path, algorithm)
    if actual != file_hash:
        raise ValueError(
            f"The cached file {path} has {algorithm} {actual}, expected {file_hash}: it is "
            f"incomplete, corrupted or a different file. Delete it to download it again from "
            f"{origin}, or put the right file at that path.")


def _download(origin, target, file_hash):
    """Writes `origin` to `target` through a temporary file, so a failed download leaves nothing."""
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".download-")
    try:
        with os.fdopen(descriptor, "wb") as out, urllib.request.urlopen(
                origin, timeout=TIMEOUT_SECONDS) as response:
            for chunk in iter(lambda: response.read(1 << 20), b""):
                out.write(chunk)
        verify(temporary, file_hash, origin)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def get_file(fname, origin, file_hash=None, cache_subdir="datasets", alternatives=()):
    """Returns the path of `fname` in the cache, downloading it from `origin` when missing.

    Args:
        fname: the file's name in the cache folder.
        origin: the URL it comes from.
        file_hash: its sha256 (64 hex digits) or md5 (32), or None when none is published.
        cache_subdir: the folder under `keras_home()`.
        alternatives: other names under which the same file may already be in the cache (for
            example the name of the original download), tried before downloading.
    """
    target = cache_path(fname, cache_subdir)
    for name in (fname, *alternatives):
        path = cache_path(name, cache_subdir)
        if os.path.isfile(path):
            verify(path, file_hash, origin)
            return path
    try:
        _download(origin, target, file_hash)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FileNotFoundError(
            f"The data set file {fname!r} is not in the cache and could not be downloaded from "
            f"{origin} ({reason}). Download it on a machine with network access and put it at "
            f"{target}") from None
    return target


# Ragged sequences (IMDB, Reuters) and the CIFAR batches are numpy pickles. Rebuilding a numpy
# array needs only these globals; anything else in a file is refused rather than executed.
_NUMPY_GLOBALS = {
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
}


class NumpyUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _NUMPY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"The data set file refers to {module}.{name}; only numpy arrays are allowed. "
            "The file is corrupted or not the published one.")


def load_pickle(stream, encoding="ASCII"):
    return NumpyUnpickler(stream, encoding=encoding).load()


def load_npz(path):
    """Reads every array of an `.npz`, object arrays through `NumpyUnpickler`."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            with archive.open(member) as f:
                stream = io.BytesIO(f.read())
            key = member[:-4] if member.endswith(".npy") else member
            arrays[key] = _read_npy(stream)
    return arrays


def _read_npy(stream):
    version = np.lib.format.read_magic(stream)
    reader = (np.lib.format.read_array_header_1_0 if version[0] == 1
              else np.lib.format.read_array_header_2_0)
    shape, fortran_order, dtype = reader(stream)
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    return load_pickle(stream, encoding="latin1")
