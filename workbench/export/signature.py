"""What a model takes and gives, as flat lists of named tensors, and its forward pass as a pure
function of the flat inputs. The ONNX exporter and the web server both work from this."""

import dataclasses

import jax
import numpy as np

from workbench import tree
from workbench.backend import dtypes

SIGNATURE_EXAMPLE = ("input_signature=[workbench.InputSpec(shape=(None, 8), dtype='float32')] "
                     "(None marks the batch dimension)")


@dataclasses.dataclass(frozen=True)
class TensorInfo:
    """One named input or output; `shape` has None for dimensions of any size."""

    name: str
    shape: tuple
    dtype: str

    def as_dict(self):
        return {"name": self.name, "shape": list(self.shape), "dtype": self.dtype}


@dataclasses.dataclass(frozen=True)
class ModelSignature:
    """The flat `inputs` and `outputs` (lists of TensorInfo) of a model, and `structure`: how the
    model takes its inputs (one TensorInfo, or a list or dict of them)."""

    inputs: list
    outputs: list
    structure: object

    def pack_inputs(self, flat):
        """Arranges flat input arrays (in `inputs` order) the way the model takes them."""
        if isinstance(self.structure, TensorInfo):
            return flat[0]
        return tree.pack_sequence_as(self.structure, list(flat))


def _spec_info(spec, name):
    shape = getattr(spec, "shape", None)
    if shape is None:
        raise TypeError(
            f"Each entry of `input_signature` needs a `shape` (an InputSpec, a KerasTensor, a "
            f"jax.ShapeDtypeStruct or an array). Received: {spec!r} for input '{name}'. Pass, for "
            f"example, {SIGNATURE_EXAMPLE}."
        )
    return TensorInfo(str(name), tuple(None if d is None else int(d) for d in shape),
                      dtypes.standardize_dtype(getattr(spec, "dtype", None) or "float32"))


def _named(spec, fallback):
    return _spec_info(spec, getattr(spec, "name", None) or fallback)


def _input_structure(model, input_signature):
    """The inputs as a structure with TensorInfo leaves (a single TensorInfo for one input)."""
    if input_signature is None:
        inputs = getattr(model, "inputs", None)
        if not inputs:
            raise ValueError(
                f"Model '{model.name}' has no symbolic inputs (it is subclassed or not built), so "
                f"its input names and shapes are unknown. Pass them with {SIGNATURE_EXAMPLE}."
            )
        if len(inputs) == 1:
            return _named(inputs[0], "input_0")
        input_signature = getattr(model, "_inputs_struct", None) or list(inputs)
    if isinstance(input_signature, dict):
        return {key: _spec_info(spec, key) for key, spec in input_signature.items()}
    if isinstance(input_signature, (list, tuple)):
        if len(input_signature) == 1:
            return _named(input_signature[0], "input_0")
        return [_named(spec, f"input_{i}") for i, spec in enumerate(input_signature)]
    return _named(input_signature, "input_0")


def _unique(names):
    seen = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name}_{count}")
    return result


def forward_function(model, signature, flatten=True):
    """Returns the pure `fn(trainable_values, non_trainable_values, *flat_inputs)`: the model in
    inference mode, giving a tuple of flat outputs (or the model's own structure when
    `flatten=False`). The weight lists follow `model.trainable_variables` and
    `model.non_trainable_variables`."""

    def forward(trainable, non_trainable, *flat_inputs):
        inputs = signature.pack_inputs(flat_inputs)
        outputs, _ = model.stateless_call(trainable, non_trainable, inputs, training=False)
        return tuple(tree.flatten(outputs)) if flatten else outputs

    return forward


def current_weights(model):
    """The values of `model`'s trainable and non-trainable variables, as two lists of arrays."""
    return ([v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables])


def inference_function(model, signature, flatten=True):
    """Returns `fn(*flat_inputs)`: `forward_function` with the current weights as constants."""
    forward = forward_function(model, signature, flatten=flatten)
    trainable, non_trainable = current_weights(model)
    return lambda *flat_inputs: forward(trainable, non_trainable, *flat_inputs)


def model_signature(model, input_signature=None):
    """Returns the ModelSignature of `model`, from `model.inputs` unless `input_signature` is given
    (a spec, a list of specs or a dict name -> spec; a spec is anything with `shape` and `dtype`)."""
    structure = _input_structure(model, input_signature)
    inputs = tree.flatten(structure)
    if len({info.name for info in inputs}) != len(inputs):
        raise ValueError(f"Input names must be unique. Received: {[i.name for i in inputs]}.")
    forward = inference_function(model, ModelSignature(inputs, [], structure), flatten=False)
    example = [jax.ShapeDtypeStruct(tuple(1 if d is None else d for d in info.shape), info.dtype)
               for info in inputs]
    output_specs = jax.eval_shape(forward, *example)
    flat = tree.flatten(output_specs)
    if isinstance(output_specs, dict):
        names = sorted(output_specs)
    else:
        symbolic = getattr(model, "outputs", None) or []
        layer_names = [t._keras_history.operation.name for t in symbolic
                       if getattr(t, "_keras_history", None) is not None]
        names = layer_names if len(layer_names) == len(flat) else [
            f"output_{i}" for i in range(len(flat))]
    batched = all(info.shape and info.shape[0] is None for info in inputs)
    outputs = [TensorInfo(name, (None,) + tuple(spec.shape[1:]) if batched and spec.shape
                          else tuple(spec.shape), str(np.dtype(spec.dtype)))
               for name, spec in zip(_unique(names), flat)]
    return ModelSignature(inputs, outputs, structure)
