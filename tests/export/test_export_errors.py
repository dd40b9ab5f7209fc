"""Export errors that need no converter: Keras's TensorFlow formats, unknown formats, a missing
jax2onnx."""

import sys

import pytest

import workbench
from workbench import layers


@pytest.mark.parametrize("format", ["", "tf_saved_model"])
def test_tensorflow_formats_point_to_onnx(tmp_path, format):
    model = workbench.Sequential([workbench.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="format='onnx'"):
        model.export(tmp_path / "model", format=format)


def test_unknown_format_lists_the_valid_ones(tmp_path):
    model = workbench.Sequential([workbench.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match=r"Unknown export format: format='torchscript'.*\['onnx'\]"):
        model.export(tmp_path / "model", format="torchscript")
    with pytest.raises(ValueError, match="not supported by workbench"):
        model.export(tmp_path / "model", format="litert")
    with pytest.raises(TypeError, match="is_static"):
        model.export(tmp_path / "model.onnx", format="onnx", is_static=True)


def test_export_archive_points_to_onnx():
    with pytest.raises(NotImplementedError, match="format='onnx'"):
        workbench.export.ExportArchive()


def test_missing_jax2onnx_says_which_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "jax2onnx", None)
    model = workbench.Sequential([workbench.Input((2,)), layers.Dense(1)])
    with pytest.raises(ImportError, match=r"pip install workbench\[export\]"):
        model.export(tmp_path / "model.onnx", format="onnx")
