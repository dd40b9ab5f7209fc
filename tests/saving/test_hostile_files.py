"""Loading a hostile file never runs its payload: it raises a clear error, or loads harmlessly.

Each test starts from a legitimate `.keras` archive and tampers with it by hand (see `hostile.py`).
A payload that ran would create the `pwned` marker file, which the `marker` fixture checks for.
"""

import io
import json
import os
import sys
import tempfile
import uuid
import zipfile

import h5py
import numpy as np
import pytest

import workbench
from tests.saving import hostile
from workbench.backend import config as backend_config
from workbench.saving import saving_lib


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / hostile.MARKER_NAME
    yield path
    assert not path.exists(), "the hostile payload ran"


@pytest.fixture
def legit(tmp_path):
    return hostile.save_legit(tmp_path / "legit.keras")


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Extraction happens three levels below `tmp_path`, so `../` escapes stay observable."""
    folder = tmp_path / "scratch" / "a" / "b"
    folder.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def refused(function, errors=(ValueError, TypeError), match=None, seconds=60):
    error = hostile.call_with_timeout(function, seconds)
    assert isinstance(error, errors), f"expected {errors}, got {error!r}"
    if match is not None:
        assert match.lower() in str(error).lower(), f"{match!r} not in the message: {error}"
    assert not backend_config.unsafe_deserialization_enabled()
    return error


def load(path, **kwargs):
    return workbench.saving.load_model(os.fspath(path), **kwargs)


# --------------------------------------------------------------------------------------------
# 1. marshalled bytecode
# --------------------------------------------------------------------------------------------
def test_lambda_bytecode_is_refused_in_safe_mode(tmp_path, legit, marker):
    path = hostile.with_config(legit, tmp_path / "lambda.keras",
                               hostile.sequential_config_with(legit, hostile.lambda_layer_config(marker)))
    refused(lambda: load(path), ValueError, match="safe_mode=False")
    refused(lambda: load(path, safe_mode=True), ValueError, match="safe_mode=False")
    assert not backend_config.unsafe_deserialization_enabled()


def test_lambda_bytecode_loads_and_runs_with_safe_mode_false(tmp_path, legit):
    marker = tmp_path / "ran"
    path = hostile.with_config(legit, tmp_path / "lambda.keras",
                               hostile.sequential_config_with(legit, hostile.lambda_layer_config(marker)))
    model = load(path, safe_mode=False)
    model(np.ones((1, 3), "float32"))
    assert marker.exists(), "safe_mode=False must revive and run the lambda, as Keras does"


def test_generic_lambda_record_as_activation_is_refused_in_safe_mode(tmp_path, legit, marker):
    config = hostile.dense_config_with(legit, activation=hostile.generic_lambda_entry(marker))
    path = hostile.with_config(legit, tmp_path / "activation.keras", config)
    refused(lambda: load(path), ValueError, match="safe_mode=False")


def test_lambda_refusal_holds_inside_a_nested_model(tmp_path, legit, marker):
    inner = hostile.sequential_config_with(legit, hostile.lambda_layer_config(marker))
    outer = hostile.read_config(legit)
    outer["config"]["layers"].append(inner)
    path = hostile.with_config(legit, tmp_path / "nested.keras", outer)
    refused(lambda: load(path), ValueError, match="safe_mode=False")


# --------------------------------------------------------------------------------------------
# 2. references to dangerous callables
# --------------------------------------------------------------------------------------------
NOT_IMPORTABLE = [("os", "system"), ("posix", "system"), ("subprocess", "Popen"), ("subprocess", "call"),
                  ("builtins", "exec"), ("builtins", "eval"), ("builtins", "__import__"),
                  ("builtins", "open"), ("importlib", "import_module"), ("shutil", "rmtree")]
NON_MODELING = [("keras.config", "enable_unsafe_deserialization"), ("keras.saving", "load_model"),
                ("keras.models", "load_model"), ("keras.utils", "get_file"),
                ("keras.models", "save_model"), ("keras.saving", "save_model"),
                ("keras.saving", "save_weights"), ("keras.saving", "load_weights"),
                ("keras.saving", "deserialize_keras_object"), ("keras.utils", "deserialize_keras_object"),
                ("keras.models", "model_from_json"), ("keras.backend", "clear_session"),
                ("keras.utils", "clear_session"), ("keras.saving", "register_keras_serializable")]
DANGEROUS = NOT_IMPORTABLE + NON_MODELING


def _payload_arguments(name, marker):
    if name in ("exec", "eval"):
        return {"source": hostile.marker_code(marker)}
    return {"command": f"touch {marker}", "args": ["touch", os.fspath(marker)], "filepath": os.fspath(marker)}


def _places(module, name, marker, legit):
    """The same reference as the model, an activation, an initializer, and a Lambda's function."""
    as_class = {"module": module, "class_name": name, "config": _payload_arguments(name, marker),
                "registered_name": None}
    lambda_layer = {"module": "keras.layers", "class_name": "Lambda",
                    "config": {"name": "lam", "function": hostile.function_entry(module, name),
                               "arguments": {}, "output_shape": [2]}}
    return {
        "top_level_class": as_class,
        "top_level_function": hostile.function_entry(module, name),
        "activation": hostile.dense_config_with(legit, activation=hostile.function_entry(module, name)),
        "initializer": hostile.dense_config_with(legit, kernel_initializer=as_class),
        "regularizer": hostile.dense_config_with(legit, kernel_regularizer=as_class),
        "lambda_function": hostile.sequential_config_with(legit, lambda_layer),
        "layer": hostile.sequential_config_with(legit, as_class),
    }


@pytest.mark.parametrize("module,name", DANGEROUS, ids=lambda v: str(v))
def test_dangerous_reference_is_refused_wherever_it_appears(tmp_path, legit, marker, module, name):
    for place, config in _places(module, name, marker, legit).items():
        path = hostile.with_config(legit, tmp_path / f"{place}.keras", config)
        error = refused(lambda: load(path))
        assert name in str(error), f"{place}: the error does not name `{name}`: {error}"
        assert not backend_config.unsafe_deserialization_enabled()


@pytest.mark.parametrize("module", ["keras.models", "keras.saving"])
def test_config_cannot_call_save_model_to_replace_a_folder(tmp_path, legit, module):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "data.txt").write_text("precious")
    model_to_write = workbench.saving.serialize_keras_object(hostile.legit_model())
    config = hostile.functional_calling(hostile.function_entry(module, "save_model"), [model_to_write],
                                 {"filepath": os.fspath(victim), "zipped": False})
    path = hostile.with_config(legit, tmp_path / "writer.keras", config)
    refused(lambda: load(path), ValueError, match="save_model")
    assert (victim / "data.txt").read_text() == "precious"
    assert not (victim / "config.json").exists()


def test_config_cannot_chain_into_an_unsafe_nested_load(tmp_path, legit, marker):
    inner = hostile.with_config(legit, tmp_path / "inner.keras",
                                hostile.sequential_config_with(legit, hostile.lambda_layer_config(marker)))
    for module in ("keras.saving", "keras.models"):
        config = hostile.functional_calling(hostile.function_entry(module, "load_model"), [os.fspath(inner)],
                                     {"safe_mode": False})
        path = hostile.with_config(legit, tmp_path / "outer.keras", config)
        refused(lambda: load(path), ValueError, match="load_model")


def test_config_cannot_switch_off_safe_mode_before_a_lambda(tmp_path, legit, marker):
    config = hostile.read_config(legit)
    config["config"]["layers"][1:1] = [
        hostile.functional_calling(
            hostile.function_entry("keras.config", "enable_unsafe_deserialization"), [], {}),
        hostile.lambda_layer_config(marker),
    ]
    path = hostile.with_config(legit, tmp_path / "switch.keras", config)
    refused(lambda: load(path))
    assert not backend_config.unsafe_deserialization_enabled()


# --------------------------------------------------------------------------------------------
# 3. modules named in the file are never imported
# --------------------------------------------------------------------------------------------
def test_module_named_in_the_file_is_never_imported(tmp_path, legit, marker, monkeypatch):
    name = f"wb_attacker_{uuid.uuid4().hex[:8]}"
    hostile.attacker_module(tmp_path, name, marker)
    monkeypatch.syspath_prepend(os.fspath(tmp_path))
    class_entry = {"module": name, "class_name": "Evil", "config": {}, "registered_name": f"{name}>Evil"}
    configs = {
        "top_level": class_entry,
        "submodule": {**class_entry, "module": f"{name}.sub"},
        "layer": hostile.sequential_config_with(legit, class_entry),
        "activation": hostile.dense_config_with(legit, activation=hostile.function_entry(name, "evil")),
        "initializer": hostile.dense_config_with(legit, kernel_initializer=class_entry),
        "keras_prefixed": {**class_entry, "module": f"keras.{name}"},
    }
    for place, config in configs.items():
        path = hostile.with_config(legit, tmp_path / f"{place}.keras", config)
        error = refused(lambda: load(path), TypeError)
        assert "could not locate" in str(error).lower(), f"{place}: {error}"
        assert name not in sys.modules, f"{place}: the attacker module was imported"


def test_keras_family_package_named_in_the_file_is_never_imported(tmp_path, legit, marker, monkeypatch):
    # Keras itself imports `keras_hub.*` modules named in a file; a planted package must not run.
    import importlib.util

    if importlib.util.find_spec("keras_hub") is not None:
        pytest.skip("a real keras_hub is installed")
    package = tmp_path / "planted" / "keras_hub"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(hostile.marker_code(marker) + "\n")
    hostile.attacker_module(package, "models", marker)
    monkeypatch.syspath_prepend(os.fspath(tmp_path / "planted"))
    config = {"module": "keras_hub.models", "class_name": "Evil", "config": {}, "registered_name": None}
    path = hostile.with_config(legit, tmp_path / "hub.keras", config)
    refused(lambda: load(path), TypeError, match="could not locate")
    assert "keras_hub" not in sys.modules


# --------------------------------------------------------------------------------------------
# 4. legacy HDF5 model files
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".h5", ".hdf5"])
def test_legacy_h5_model_is_refused_with_the_legacy_format_error(tmp_path, marker, suffix):
    path = hostile.legacy_h5_model(tmp_path / f"old{suffix}", marker)
    refused(lambda: load(path), ValueError, match="legacy")
    refused(lambda: workbench.models.load_model(path, safe_mode=False), ValueError, match="legacy")


def test_legacy_h5_renamed_to_keras_is_not_a_zip(tmp_path, marker):
    path = hostile.legacy_h5_model(tmp_path / "old.keras", marker)
    refused(lambda: load(path, safe_mode=False), ValueError, match="not a valid .keras file")


def test_load_weights_ignores_a_legacy_model_config(tmp_path, marker):
    path = hostile.legacy_h5_model(tmp_path / "old.weights.h5", marker)
    refused(lambda: hostile.legit_model().load_weights(path), ValueError, match="expects 2 weights")


# --------------------------------------------------------------------------------------------
# 5. members that escape the extraction folder
# --------------------------------------------------------------------------------------------
# A fixed token: test ids must be identical in every xdist worker (random ids break collection).
TOKEN = "wbescape7f3a"
ESCAPES = [f"../evil-{TOKEN}.txt", f"../../../evil-{TOKEN}.txt", f"assets/../../evil-{TOKEN}.txt",
           f"assets/../../../../../../../../../../tmp/evil-{TOKEN}.txt", f"..\\..\\evil-{TOKEN}.txt",
           f"assets\\..\\..\\evil-{TOKEN}.txt", f"C:/evil-{TOKEN}.txt", f"C:evil-{TOKEN}.txt",
           f"model.weights.h5/../../evil-{TOKEN}.txt", "ABSOLUTE"]


def _written_anywhere(tmp_path, archive):
    found = [os.path.join(root, f) for root, _, files in os.walk(tmp_path) for f in files if TOKEN in f]
    found += [p for p in (f"/tmp/evil-{TOKEN}.txt", os.path.join(os.getcwd(), f"evil-{TOKEN}.txt"),
                          os.path.join(os.path.dirname(os.getcwd()), f"evil-{TOKEN}.txt"))
              if os.path.exists(p)]
    return [p for p in found if p != os.fspath(archive)]


@pytest.mark.parametrize("member", ESCAPES)
def test_member_escaping_the_folder_is_refused_and_never_written(tmp_path, legit, scratch, member):
    if member == "ABSOLUTE":
        member = os.fspath(tmp_path / "absolute" / f"evil-{TOKEN}.txt")
    archive = tmp_path / "escape.keras"
    hostile.with_members(legit, archive, extra={member: b"owned"})
    error = hostile.call_with_timeout(lambda: load(archive))
    assert error is None or isinstance(error, ValueError), repr(error)
    if error is not None:
        assert "outside" in str(error) or "escapes" in str(error), str(error)
    assert _written_anywhere(tmp_path, archive) == []
    assert os.listdir(scratch) == [], "the extraction folder was left behind"


def test_symlink_member_cannot_redirect_a_later_member(tmp_path, legit, scratch):
    outside = tmp_path / "outside"
    outside.mkdir()
    archive = tmp_path / "link.keras"
    members = hostile.read_members(legit)
    with zipfile.ZipFile(archive, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
        link = zipfile.ZipInfo("assets/link")
        link.external_attr = (0o120777 << 16)
        out.writestr(link, os.fspath(outside))
        out.writestr(f"assets/link/evil-{TOKEN}.txt", b"owned")
    error = hostile.call_with_timeout(lambda: load(archive))
    assert error is None or isinstance(error, ValueError), repr(error)
    assert os.listdir(outside) == []
    assert not os.path.islink(tmp_path / "assets")


def test_harmless_extra_asset_loads(tmp_path, legit, scratch):
    archive = hostile.with_members(legit, tmp_path / "asset.keras", extra={"assets/readme.txt": b"hi"})
    model = load(archive)
    assert model.layers[-1].kernel.shape == (3, 2)


# --------------------------------------------------------------------------------------------
# 6. zip bombs
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("member", ["assets/bomb.bin", "model.weights.h5", "config.json", "metadata.json",
                                    "unrelated.bin"])
def test_zip_bomb_is_refused_before_extraction(tmp_path, legit, scratch, monkeypatch, member):
    monkeypatch.setattr(saving_lib, "EXPANSION_FLOOR_BYTES", 1024 ** 2)
    extracted = []
    original = saving_lib._copy_limited

    def spy(source, destination, declared, name):
        extracted.append(name)
        return original(source, destination, declared, name)

    monkeypatch.setattr(saving_lib, "_copy_limited", spy)
    archive = hostile.with_members(legit, tmp_path / "bomb.keras", extra={member: hostile.zeros_member(64)},
                                   compression=zipfile.ZIP_DEFLATED)
    assert os.path.getsize(archive) < 1024 ** 2
    refused(lambda: load(archive), ValueError, match="zip bomb")
    refused(lambda: hostile.legit_model().load_weights(os.fspath(archive)), ValueError, match="zip bomb")
    assert extracted == []
    assert os.listdir(scratch) == []


@pytest.mark.parametrize("member", ["model.weights.h5", "config.json", "assets/data.bin"])
@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_member_larger_than_its_declared_size_is_refused(tmp_path, legit, scratch, member, compression):
    archive = hostile.with_members(legit, tmp_path / "liar.keras", extra={member: hostile.zeros_member(2)},
                                   compression=compression)
    hostile.patch_declared_size(archive, member, 100)
    refused(lambda: load(archive), ValueError)


@pytest.mark.parametrize("member", ["model.weights.h5", "config.json", "assets/data.bin"])
def test_member_declaring_a_huge_size_it_does_not_hold_is_refused(tmp_path, legit, scratch, member):
    archive = hostile.with_members(legit, tmp_path / "liar.keras", extra={member: b"{}" * 100},
                                   compression=zipfile.ZIP_DEFLATED)
    hostile.patch_declared_size(archive, member, 0xFFFFFFF0)
    refused(lambda: load(archive), ValueError, seconds=30)


# --------------------------------------------------------------------------------------------
# 7. absurd shapes in the weights
# --------------------------------------------------------------------------------------------
GOOD_KERNEL = np.zeros((3, 2), "float32")
GOOD_BIAS = np.zeros((2,), "float32")
BAD_WEIGHTS = {
    "shape_bomb_1d": (hostile.absurd_dataset((10 ** 12,)), GOOD_BIAS, (), "refusing to read"),
    "shape_bomb_contiguous": (lambda g, k: g.create_dataset(k, shape=(10 ** 12,), dtype="float32"),
                              GOOD_BIAS, (), "refusing to read"),
    "shape_bomb_2d": (hostile.absurd_dataset((10 ** 6, 10 ** 6)), GOOD_BIAS, (), "refusing to read"),
    "shape_bomb_bias": (GOOD_KERNEL, hostile.absurd_dataset((2 ** 31,)), (), "shape bomb"),
    "transposed_kernel": (np.zeros((2, 3), "float32"), GOOD_BIAS, (), "shape (3, 2)"),
    "wrong_bias_size": (GOOD_KERNEL, np.zeros((7,), "float32"), (), "shape (2,)"),
    "extra_weight": (GOOD_KERNEL, GOOD_BIAS, (("2", np.zeros(3)),), "expects 2 weights"),
    "missing_weight": (GOOD_KERNEL, None, (), "expects 2 weights"),
    "renumbered": (None, GOOD_BIAS, (("7", GOOD_KERNEL),), "lack dataset 0"),
    "group_not_dataset": (lambda g, k: g.create_group(k), GOOD_BIAS, (), "found a group"),
    "string_dtype": (lambda g, k: g.create_dataset(k, data=np.array([b"ab"] * 6).reshape(3, 2)),
                     GOOD_BIAS, (), "non-numeric"),
}


@pytest.mark.parametrize("case", list(BAD_WEIGHTS))
def test_bad_weights_raise_a_clear_error_without_allocating(tmp_path, legit, case):
    kernel, bias, extra, message = BAD_WEIGHTS[case]
    build = hostile.weights_with_dense(kernel, bias, extra)
    archive = hostile.with_weights(legit, tmp_path / "weights.keras", build)
    assert os.path.getsize(archive) < 1024 ** 2
    error = hostile.call_with_memory_cap(lambda: load(archive))
    assert isinstance(error, ValueError), repr(error)
    assert message in str(error), str(error)


def test_optimizer_state_shape_bomb_is_refused(tmp_path):
    model = hostile.legit_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), epochs=1, verbose=0)
    legit = hostile.save_legit(tmp_path / "trained.keras", model)

    def build(f):
        with h5py.File(io.BytesIO(hostile.read_members(legit)["model.weights.h5"]), "r") as source:
            for key in source:
                source.copy(source[key], f, name=key)
        del f["optimizer/vars/0"]
        hostile.absurd_dataset((2 ** 31,))(f["optimizer/vars"], "0")

    archive = hostile.with_weights(legit, tmp_path / "bomb.keras", build)
    error = hostile.call_with_memory_cap(lambda: load(archive))
    assert isinstance(error, ValueError) and "bomb" in str(error), repr(error)


HDF5_REDIRECTS = {
    "external_dataset": lambda tmp_path: hostile.weights_with_dense(
        lambda g, k: g.create_dataset(k, shape=(3, 2), dtype="float32",
                                      external=[(os.fspath(hostile.secret_file(tmp_path)), 0, 24)]), GOOD_BIAS),
    "external_link_group": lambda tmp_path: lambda f: f.__setitem__(
        "layers", h5py.ExternalLink(hostile.outside_weights(tmp_path), "/layers")),
    "external_link_dataset": lambda tmp_path: hostile.weights_with_dense(
        lambda g, k: g.__setitem__(
            k, h5py.ExternalLink(hostile.outside_weights(tmp_path), "/layers/dense/vars/0")),
        GOOD_BIAS),
    "soft_link": lambda tmp_path: hostile.weights_with_dense(
        lambda g, k: (g.file.create_dataset("elsewhere", data=GOOD_KERNEL),
                      g.__setitem__(k, h5py.SoftLink("/elsewhere"))),
        GOOD_BIAS),
    "virtual_dataset": lambda tmp_path: hostile.weights_with_dense(
        lambda g, k: g.create_virtual_dataset(
            k, hostile.virtual_layout(hostile.outside_weights(tmp_path))), GOOD_BIAS),
}


@pytest.mark.parametrize("case", list(HDF5_REDIRECTS))
def test_weights_that_read_other_files_are_refused(tmp_path, legit, case):
    build = HDF5_REDIRECTS[case](tmp_path)
    archive = hostile.with_weights(legit, tmp_path / "redirect.keras", build)
    refused(lambda: load(archive), ValueError, match="refus")
    standalone = tmp_path / "redirect.weights.h5"
    with h5py.File(standalone, "w") as f:
        build(f)
    refused(lambda: hostile.legit_model().load_weights(os.fspath(standalone)), ValueError, match="refus")


# --------------------------------------------------------------------------------------------
# 8. truncated and corrupted files
# --------------------------------------------------------------------------------------------
def test_truncated_archive_raises_value_error(tmp_path, legit, scratch):
    data = open(legit, "rb").read()
    for cut in sorted({0, 1, 4, 30, 100, 1000, len(data) // 4, len(data) // 2, len(data) - 200,
                       len(data) - 60, len(data) - 22, len(data) - 1}):
        path = tmp_path / f"cut{cut}.keras"
        path.write_bytes(data[:cut])
        refused(lambda: load(path), ValueError, seconds=30)
        refused(lambda: hostile.legit_model().load_weights(os.fspath(path)), ValueError, seconds=30)
    assert os.listdir(scratch) == []


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_flipped_bytes_in_a_member_raise_value_error(tmp_path, legit, compression):
    archive = hostile.with_members(legit, tmp_path / "z.keras", compression=compression)
    data = bytearray(open(archive, "rb").read())
    with zipfile.ZipFile(archive) as z:
        infos = z.infolist()
    for info in infos:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for offset in (0, info.compress_size // 2, info.compress_size - 1):
            corrupt = bytearray(data)
            corrupt[start + offset] ^= 0xFF
            path = tmp_path / f"flip-{info.filename}-{offset}.keras"
            path.write_bytes(bytes(corrupt))
            error = hostile.call_with_timeout(lambda: load(path), 30)
            # The last byte of a deflate stream may be padding: flipping it can leave the content,
            # and so its checksum, intact.
            if compression == zipfile.ZIP_DEFLATED and offset == info.compress_size - 1:
                assert error is None or isinstance(error, ValueError), repr(error)
            else:
                assert isinstance(error, ValueError), f"{info.filename}@{offset}: {error!r}"


def test_random_byte_flips_raise_value_error_or_load(tmp_path, legit):
    data = open(legit, "rb").read()
    rng = np.random.default_rng(0)
    for trial in range(60):
        corrupt = bytearray(data)
        for position in rng.integers(0, len(data), size=rng.integers(1, 4)):
            corrupt[position] = int(rng.integers(0, 256))
        path = tmp_path / f"flip{trial}.keras"
        path.write_bytes(bytes(corrupt))
        error = hostile.call_with_timeout(lambda: load(path), 30)
        assert error is None or isinstance(error, ValueError), f"trial {trial}: {error!r}"


CORRUPT_CONFIGS = {
    "not_json": (b"{'class_name': 'Sequential'", "unreadable config.json"),
    "not_utf8": (b"\xff\xfe{}", "unreadable config.json"),
    "empty": (b"", "unreadable config.json"),
    "json_list": (b"[1, 2, 3]", "does not describe a model"),
    "json_null": (b"null", "does not describe a model"),
    "json_string": (b'"Sequential"', "does not describe a model"),
    "no_class_name": (b'{"config": {}}', "does not describe a model"),
    "not_a_layer": (json.dumps({"module": "keras.initializers", "class_name": "Zeros",
                                "config": {}}).encode(), "does not contain a model"),
    "deeply_nested_list": (b"[" * 100_000 + b"]" * 100_000, "config.json"),
    "deeply_nested_config": (("{\"class_name\": \"Sequential\", \"config\": " + "{\"a\": " * 5000 + "1"
                              + "}" * 5000 + "}").encode(), "config.json"),
}


@pytest.mark.parametrize("case", list(CORRUPT_CONFIGS))
def test_corrupt_config_raises_value_error(tmp_path, legit, case):
    raw, message = CORRUPT_CONFIGS[case]
    path = hostile.with_config(legit, tmp_path / "bad.keras", raw)
    refused(lambda: load(path), ValueError, match=message)


@pytest.mark.parametrize("missing", ["config.json", "model.weights.h5"])
def test_missing_member_raises_value_error(tmp_path, legit, missing):
    path = hostile.with_members(legit, tmp_path / "missing.keras", drop=[missing])
    refused(lambda: load(path), ValueError, match=missing)
    refused(lambda: hostile.legit_model().load_weights(os.fspath(path)), ValueError)


@pytest.mark.parametrize("content", [b"", b"not hdf5 at all", b"\x89HDF\r\n\x1a\n" + bytes(100)])
def test_weights_member_that_is_not_hdf5_raises_value_error(tmp_path, legit, content):
    path = hostile.with_members(legit, tmp_path / "nothdf5.keras", extra={"model.weights.h5": content})
    refused(lambda: load(path), ValueError, match="weights file")


@pytest.mark.parametrize("content", [b"", b"PK\x05\x06" + bytes(18),
                                     np.random.default_rng(5).bytes(4096)], ids=["empty", "eocd", "noise"])
def test_file_that_is_not_an_archive_raises_value_error(tmp_path, content):
    path = tmp_path / "junk.keras"
    path.write_bytes(content)
    refused(lambda: load(path), ValueError)
    refused(lambda: hostile.legit_model().load_weights(os.fspath(path)), ValueError)


# --------------------------------------------------------------------------------------------
# 9. load_weights on hostile weights files and shard indexes
# --------------------------------------------------------------------------------------------
def _sharded(tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    index = folder / "model.weights.json"
    hostile.legit_model().save_weights(os.fspath(index), max_shard_size=1)
    return index


@pytest.mark.parametrize("target", ["../../etc/passwd", "/etc/passwd", "../outside.weights.h5",
                                    "sub/../../outside.weights.h5", "..", ".", ""])
def test_shard_index_pointing_outside_its_folder_is_refused(tmp_path, target):
    index = _sharded(tmp_path)
    hostile.outside_weights(tmp_path)
    content = json.loads(index.read_text())
    content["weight_map"] = {key: [target] for key in content["weight_map"]}
    index.write_text(json.dumps(content))
    refused(lambda: hostile.legit_model().load_weights(os.fspath(index)), ValueError)


@pytest.mark.parametrize("content", ["not json", "[]", '{"weight_map": 3}', '{"weight_map": {"/vars": 5}}',
                                     '{"weight_map": {"/layers/dense/vars": "abc"}}', "{}"])
def test_malformed_shard_index_raises_value_error(tmp_path, content):
    index = _sharded(tmp_path)
    index.write_text(content)
    refused(lambda: hostile.legit_model().load_weights(os.fspath(index)), ValueError)


@pytest.mark.parametrize("case", ["shape_bomb_1d", "transposed_kernel", "string_dtype"])
def test_hostile_weights_h5_raises_value_error(tmp_path, case):
    kernel, bias, extra, message = BAD_WEIGHTS[case]
    path = tmp_path / "bad.weights.h5"
    with h5py.File(path, "w") as f:
        hostile.weights_with_dense(kernel, bias, extra)(f)
    error = hostile.call_with_memory_cap(lambda: hostile.legit_model().load_weights(os.fspath(path)))
    assert isinstance(error, ValueError) and message in str(error), repr(error)
