"""Model: a Layer with training, evaluation, saving and summaries. `Model(inputs, outputs)` builds a
Functional model; subclassing `Model` and writing `call()` builds a subclassed one."""

from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.trainers.trainer import Trainer


def _is_functional_signature(args, kwargs):
    if len(args) == 2:
        return True
    if len(args) == 1 and "outputs" in kwargs:
        return True
    return "inputs" in kwargs and "outputs" in kwargs


@keras_export("keras.Model", "keras.models.Model")
class Model(Trainer, Layer):
    """Groups layers into an object with training and inference features.

    There are three ways to make one:

    1. Functional: `Model(inputs=workbench.Input((3,)), outputs=workbench.layers.Dense(2)(...))`.
    2. Subclassing: define layers in `__init__` and the forward pass in `call()`.
    3. `workbench.Sequential([...])`, a linear stack.

    Example:

    >>> inputs = workbench.Input(shape=(37,))
    >>> x = workbench.layers.Dense(32, activation="relu")(inputs)
    >>> outputs = workbench.layers.Dense(5, activation="softmax")(x)
    >>> model = workbench.Model(inputs=inputs, outputs=outputs)
    """

    def __new__(cls, *args, **kwargs):
        if _is_functional_signature(args, kwargs):
            from workbench.models.functional import Functional

            if cls is Model:
                return Functional.__new__(Functional, *args, **kwargs)
            if not issubclass(cls, Functional):
                mixed = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
                return Functional.__new__(mixed, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        from workbench.models.functional import Functional

        if isinstance(self, Functional) and _is_functional_signature(args, kwargs):
            Functional.__init__(self, *args, **kwargs)
            return
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        if args or kwargs:
            raise TypeError(
                f"Model.__init__ received unexpected arguments: args={args}, kwargs={list(kwargs)}. "
                "A subclassed model passes only `name`, `trainable` and `dtype` to "
                "`super().__init__()`; a Functional model needs `inputs` and `outputs`."
            )
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype)

    @property
    def layers(self):
        """The model's direct sublayers."""
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index in `model.layers`."""
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model to a `.keras` archive (see `workbench.saving.save_model`)."""
        from workbench.saving.saving_api import save_model

        save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights to a `.weights.h5` file (atomically)."""
        from workbench.saving.saving_api import save_weights

        save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights saved by `save_weights` or `save` (here or in Keras)."""
        from workbench.saving.saving_api import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def export(self, filepath, format="", verbose=None, input_signature=None, **kwargs):
        """Exports the inference pass for serving. `format="onnx"` writes an ONNX file through
        jax2onnx (see `workbench.export.export_onnx`); Keras's TensorFlow formats raise."""
        from workbench.export import export_model

        return export_model(self, filepath, format=format, verbose=verbose,
                            input_signature=input_signature, **kwargs)

    def to_json(self, **kwargs):
        """The architecture (no weights) as a JSON string; `keras.models.model_from_json` reads it.

        `kwargs` go to `json.dumps`, e.g. `indent=2`.
        """
        import json

        from workbench.saving.serialization_lib import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers, their output shapes and parameter counts."""
        from workbench.utils.summary_utils import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    def _repr_html_(self):
        """Notebooks show a built model as its summary table."""
        if not self.built:
            return None
        from workbench.utils.summary_html import summary_html

        return summary_html(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from workbench.models.functional import Functional, functional_from_config

        functional_keys = {"name", "layers", "input_layers", "output_layers"}
        if functional_keys <= set(config) and (cls is Model or issubclass(cls, Functional)
                                               or cls.__init__ is Model.__init__):
            return functional_from_config(cls, config, custom_objects=custom_objects)
        return super().from_config(config)


@keras_export("keras.models.model_from_json")
def model_from_json(json_string, custom_objects=None):
    """Makes a fresh (untrained) model from the JSON string of `Model.to_json()`."""
    import json

    from workbench.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)
