"""Export and serving: `Model.export(path, format="onnx")` (jax2onnx) and `workbench serve`.

`ExportArchive` (Keras's TensorFlow SavedModel builder) has no counterpart without TensorFlow; it
raises and points to ONNX.
"""

from workbench.api_export import keras_export
from workbench.export.onnx_export import EXPORT_FORMATS, export_model, export_onnx
from workbench.export.signature import ModelSignature, TensorInfo, model_signature


@keras_export("keras.export.ExportArchive")
class ExportArchive:
    """Keras's builder of TensorFlow SavedModel archives; not available in workbench."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "ExportArchive writes TensorFlow SavedModels and needs TensorFlow, which workbench "
            "does not use. Export to ONNX instead: `model.export('model.onnx', format='onnx')` "
            "(`pip install workbench[export]`), or serve the model over HTTP with "
            "`workbench serve model.keras`."
        )


__all__ = ["EXPORT_FORMATS", "ExportArchive", "ModelSignature", "TensorInfo", "export_model",
           "export_onnx", "model_signature"]
