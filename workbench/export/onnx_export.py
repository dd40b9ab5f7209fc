"""`model.export(path, format="onnx")`: the inference pass, with weights as constants, through
jax2onnx. Needs the `export` extra: `pip install workbench[export]`."""

import os

from workbench.export.signature import SIGNATURE_EXAMPLE, inference_function, model_signature
from workbench.saving.saving_lib import AtomicFile

EXPORT_FORMATS = ("onnx",)
_KERAS_ONLY_FORMATS = ("tf_saved_model", "openvino", "litert")
_INSTALL_HINT = "Install the export extra: `pip install workbench[export]` (jax2onnx, onnx, onnxruntime)."


def _require_jax2onnx():
    try:
        import jax2onnx
        import onnx
    except ImportError as error:
        raise ImportError(f"ONNX export needs jax2onnx and onnx ({error}). {_INSTALL_HINT}") from error
    return jax2onnx, onnx


def export_model(model, filepath, format="", verbose=None, input_signature=None, **kwargs):
    """Exports `model` for inference; see `Model.export`. Only `format="onnx"` exists here."""
    if format in ("", "tf_saved_model"):
        raise ValueError(
            f"format={format!r} asks for a TensorFlow SavedModel (Keras's default), which needs "
            "TensorFlow; workbench runs on JAX alone. Export to ONNX instead: "
            "`model.export(path, format='onnx')`, and serve it with ONNX Runtime or "
            "`workbench serve model.keras`."
        )
    if format in _KERAS_ONLY_FORMATS:
        raise ValueError(
            f"format={format!r} is not supported by workbench. Supported formats: "
            f"{list(EXPORT_FORMATS)}. Use `model.export(path, format='onnx')`."
        )
    if format != "onnx":
        raise ValueError(
            f"Unknown export format: format={format!r}. Supported formats: {list(EXPORT_FORMATS)} "
            "(for example `model.export('model.onnx', format='onnx')`)."
        )
    return export_onnx(model, filepath, verbose=verbose, input_signature=input_signature, **kwargs)


def _symbolic_shapes(signature):
    """Input specs for jax2onnx: the batch dimension (None first) is the shared symbol "B";
    any other None dimension gets its own symbol."""
    import jax

    specs = []
    count = 0
    for info in signature.inputs:
        shape = []
        for axis, size in enumerate(info.shape):
            if size is None:
                shape.append("B" if axis == 0 else f"d{count}")
                count += axis != 0
            else:
                shape.append(size)
        specs.append(jax.ShapeDtypeStruct(tuple(shape), info.dtype))
    return specs


def export_onnx(model, filepath, verbose=None, input_signature=None, opset_version=None, **kwargs):
    """Writes `model`'s inference pass to the ONNX file `filepath`, atomically.

    The weights become constants of the graph. A None batch dimension stays dynamic (the
    symbolic size "B"), so the file runs on any batch size. Input names are those of
    `model.inputs` (or of `input_signature`); outputs are named after the output layers (or the
    keys of a dict of outputs).

    Args:
        model: a built workbench model.
        filepath: where to write the `.onnx` file.
        verbose: print where the file went and its inputs and outputs (default True).
        input_signature: needed for subclassed models: an InputSpec (or anything with `shape`
            and `dtype`), a list of them, or a dict name -> spec.
        opset_version: the ONNX opset (jax2onnx's default when None).

    Returns:
        The ModelSignature: names, shapes and dtypes of the inputs and outputs.

    Example:

    >>> model.export("model.onnx", format="onnx")
    >>> session = onnxruntime.InferenceSession("model.onnx")
    >>> session.run(None, {"input_layer": x})
    """
    if kwargs:
        raise TypeError(
            f"Unexpected arguments for ONNX export: {sorted(kwargs)}. Accepted: verbose, "
            "input_signature, opset_version."
        )
    jax2onnx, onnx = _require_jax2onnx()
    from workbench.export.onnx_rewrites import onnx_friendly

    signature = model_signature(model, input_signature)
    options = {} if opset_version is None else {"opset": int(opset_version)}
    try:
        proto = jax2onnx.to_onnx(
            onnx_friendly(inference_function(model, signature)), _symbolic_shapes(signature),
            model_name=model.name, input_names=[i.name for i in signature.inputs],
            output_names=[o.name for o in signature.outputs], **options)
    except Exception as error:
        raise ValueError(
            f"jax2onnx could not convert model '{model.name}': {type(error).__name__}: {error}. "
            "Known unsupported here: Conv3D and 3-D transposed convolutions. If a dynamic "
            f"dimension is the cause, fix the shapes with {SIGNATURE_EXAMPLE.replace('None', '8')}."
        ) from error
    with AtomicFile(filepath, suffix=".onnx") as temporary:
        onnx.save_model(proto, temporary)
    if verbose is None or verbose:
        described = ", ".join(f"{i.name}{list(i.shape)} {i.dtype}" for i in signature.inputs)
        print(f"Saved ONNX model at '{os.fspath(filepath)}'. Inputs: {described}. "
              f"Outputs: {', '.join(o.name for o in signature.outputs)}.")
    return signature
