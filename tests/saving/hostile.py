"""Builders of hostile model files, crafted by hand from a legitimate `.keras` archive.

Every payload here tries to create a marker file; a test passes only if the marker never appears.
"""

import base64
import io
import json
import marshal
import os
import resource
import struct
import threading
import zipfile

import h5py
import numpy as np

MARKER_NAME = "pwned"


# --------------------------------------------------------------------------------------------
# payloads
# --------------------------------------------------------------------------------------------
def marker_code(marker):
    """Python source that creates `marker` when it runs."""
    return f"open({os.fspath(marker)!r}, 'w').close()"


def lambda_bytecode(marker):
    """Base64 of marshalled bytecode for `lambda x: <create marker>; x`, as Keras writes lambdas."""
    function = eval(compile(f"lambda x: ({marker_code(marker)}, x)[1]", "<payload>", "eval"))
    return base64.encodebytes(marshal.dumps(function.__code__)).decode("ascii")


def lambda_layer_config(marker, name="lambda"):
    """A `Lambda` layer whose function is a marshalled payload (Keras's `__lambda__` record)."""
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {
            "name": name,
            "trainable": True,
            "function": {"class_name": "__lambda__",
                         "config": {"code": lambda_bytecode(marker), "defaults": None, "closure": None}},
            "arguments": {},
        },
        "registered_name": None,
    }


def generic_lambda_entry(marker):
    """The generic `__lambda__` record of `serialize_keras_object`, usable as an activation."""
    code = base64.b64encode(marshal.dumps(
        eval(compile(f"lambda x: ({marker_code(marker)}, x)[1]", "<payload>", "eval")).__code__
    )).decode("ascii")
    return {"class_name": "__lambda__", "config": {"value": [code, None, None]}}


def attacker_module(folder, name, marker):
    """Writes `<folder>/<name>.py` that creates `marker` at import time, with an `Evil` class."""
    source = (
        f"{marker_code(marker)}\n"
        "class Evil:\n"
        "    @classmethod\n"
        "    def from_config(cls, config):\n"
        f"        {marker_code(marker)}\n"
        "        return cls()\n"
        "def evil(*args, **kwargs):\n"
        f"    {marker_code(marker)}\n"
    )
    with open(os.path.join(folder, f"{name}.py"), "w") as f:
        f.write(source)


# --------------------------------------------------------------------------------------------
# legitimate starting points
# --------------------------------------------------------------------------------------------
def legit_model():
    import workbench

    return workbench.Sequential([workbench.Input((3,)), workbench.layers.Dense(2, activation="relu")])


def save_legit(path, model=None):
    (model or legit_model()).save(os.fspath(path))
    return os.fspath(path)


# --------------------------------------------------------------------------------------------
# archive surgery
# --------------------------------------------------------------------------------------------
def read_members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_members(path, members, compression=zipfile.ZIP_STORED):
    """Writes `{name: bytes}` as a zip, names taken verbatim (no sanitizing, unlike `ZipFile.write`)."""
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data)
    return os.fspath(path)


def read_config(path):
    return json.loads(read_members(path)["config.json"])


def with_config(source, target, config):
    """Copies archive `source` to `target` with `config.json` replaced (a dict, or raw bytes/str)."""
    members = read_members(source)
    if isinstance(config, (dict, list)):
        config = json.dumps(config)
    members["config.json"] = config.encode("utf-8") if isinstance(config, str) else config
    return write_members(target, members)


def with_members(source, target, extra=(), drop=(), compression=zipfile.ZIP_STORED):
    """Copies `source` to `target` adding `extra` (`{name: bytes}`) and dropping names in `drop`."""
    members = {k: v for k, v in read_members(source).items() if k not in drop}
    members.update(dict(extra))
    return write_members(target, members, compression=compression)


def with_weights(source, target, build):
    """Copies `source` with `model.weights.h5` rewritten by `build(h5py.File)` on a fresh file."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        build(f)
    return with_members(source, target, extra={"model.weights.h5": buffer.getvalue()})


def patch_declared_size(path, member, size):
    """Rewrites the uncompressed size of `member` in both its local and central headers."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    name = member.encode("utf-8")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46: central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    with open(path, "wb") as f:
        f.write(bytes(data))


def zeros_member(megabytes):
    return bytes(megabytes * 1024 * 1024)


# --------------------------------------------------------------------------------------------
# hostile HDF5 weights
# --------------------------------------------------------------------------------------------
DENSE_VARS = "layers/dense/vars"


def weights_with_dense(kernel=None, bias=None, extra=()):
    """A builder for `with_weights`: the Dense layer's `vars` group with the given datasets."""
    def build(f):
        group = f.require_group(DENSE_VARS)
        for key, value in (("0", kernel), ("1", bias), *extra):
            if value is None:
                continue
            if callable(value):
                value(group, key)
            else:
                group.create_dataset(key, data=np.asarray(value))
    return build


def absurd_dataset(shape, dtype="float32"):
    """A dataset declared with `shape` and no data written (a shape bomb)."""
    def make(group, key):
        group.create_dataset(key, shape=shape, dtype=dtype, chunks=(1024,) * len(shape))
    return make


# --------------------------------------------------------------------------------------------
# running hostile loads
# --------------------------------------------------------------------------------------------
def call_with_timeout(function, seconds=60):
    """Runs `function()` in a thread; returns its exception (or None). Fails if it hangs."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as error:  # report any exception, including non-Exception ones
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise AssertionError(f"Loading did not finish within {seconds} s (a hang).")
    return outcome.get("error")


# --------------------------------------------------------------------------------------------
# hostile configs
# --------------------------------------------------------------------------------------------
def sequential_config_with(legit_path, layer):
    config = read_config(legit_path)
    config["config"]["layers"].append(layer)
    return config


def dense_config_with(legit_path, **fields):
    config = read_config(legit_path)
    config["config"]["layers"][-1]["config"].update(fields)
    return config


def function_entry(module, name):
    """How Keras writes a reference to a function: `{"class_name": "function", ...}`."""
    return {"class_name": "function", "module": module, "config": name, "registered_name": "function"}


def functional_calling(function, args, arguments):
    """A Functional model whose Lambda calls `function(*args, **arguments)` while rebuilding.

    `function` is a `function_entry`; `args` are revived from the config, so they can hold a model.
    """
    return {
        "module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
        "config": {
            "name": "f", "trainable": True,
            "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "name": "inp", "inbound_nodes": [],
                 "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "inp"}},
                {"module": "keras.layers", "class_name": "Lambda", "name": "lam",
                 "config": {"name": "lam", "function": function, "arguments": arguments,
                            "output_shape": [3]},
                 "inbound_nodes": [{"args": args, "kwargs": {}}]},
            ],
            "input_layers": ["inp", 0, 0], "output_layers": ["inp", 0, 0],
        },
    }


def legacy_h5_model(path, marker):
    """A Keras 2 HDF5 model file whose config holds a marshalled-lambda payload."""
    code = lambda_bytecode(marker)
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "name": "in"}},
        {"class_name": "Lambda", "config": {"name": "lam", "function": [code, None, None],
                                            "function_type": "lambda", "arguments": {}}},
    ]}}
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.create_group("model_weights")
    return os.fspath(path)


# --------------------------------------------------------------------------------------------
# files a hostile weights file points at
# --------------------------------------------------------------------------------------------
def secret_file(tmp_path):
    """A local file a hostile weights file tries to read (24 bytes: a (3, 2) float32 kernel)."""
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(6, dtype="float32").tobytes())
    return secret


def outside_weights(tmp_path):
    """A valid weights file outside the loader's folder, which a hostile file tries to read."""
    path = os.fspath(tmp_path / "outside.weights.h5")
    legit_model().save_weights(path)
    return path


def virtual_layout(source_file):
    """A virtual dataset layout mapping the Dense kernel of another file."""
    layout = h5py.VirtualLayout(shape=(3, 2), dtype="float32")
    layout[:] = h5py.VirtualSource(source_file, "/layers/dense/vars/0", shape=(3, 2))
    return layout


# --------------------------------------------------------------------------------------------
# memory cap
# --------------------------------------------------------------------------------------------
def _limited_memory(extra_bytes=2 * 1024 ** 3):
    """Caps this process's address space a little above its current size, so a huge read fails fast."""
    with open("/proc/self/status") as f:
        size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra_bytes if hard == resource.RLIM_INFINITY else min(hard, size + extra_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return soft, hard


def call_with_memory_cap(function):
    """`call_with_timeout` with the address space capped, so a huge allocation fails instead of swapping."""
    soft, hard = _limited_memory()
    try:
        return call_with_timeout(function, 60)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
