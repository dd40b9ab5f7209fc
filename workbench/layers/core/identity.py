"""Identity: returns its inputs unchanged."""

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer


@keras_export("keras.layers.Identity")
class Identity(Layer):
    """A placeholder layer that returns its inputs (and their mask) unchanged.

    Useful where an architecture expects a layer but you want none, e.g. an optional projection.

    Input shape:
        Any tensor or nested structure of tensors.

    Output shape:
        The same as the input.

    Example:

    >>> Identity()(np.ones((2, 3))).shape
    (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        return tree.map_structure(lambda x: KerasTensor(x.shape, dtype=x.dtype), inputs)
