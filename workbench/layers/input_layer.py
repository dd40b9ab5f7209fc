"""InputLayer and `Input()`: the entry points of a Functional model."""

from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer
from workbench.ops.node import Node


@keras_export("keras.layers.InputLayer")
class InputLayer(Layer):
    """The layer behind `Input()`: it holds the symbolic tensor a Functional model starts from.

    Args:
        shape: the shape without the batch dimension, e.g. `(28, 28, 1)`.
        batch_size: optional fixed batch size.
        dtype: the input dtype (default `floatx()`).
        sparse: kept for compatibility; JAX arrays are dense.
        batch_shape: the full shape including the batch dimension (instead of `shape`).
        input_tensor: an existing KerasTensor to use.
        optional: whether the input may be None.
        name: the layer's name.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `shape` and `batch_shape` at the same time. "
                f"Received: shape={shape}, batch_shape={batch_shape}"
            )
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    f"Argument `input_tensor` must be a KerasTensor. Received: {input_tensor!r}"
                )
            batch_shape = input_tensor.shape
            dtype = dtype or input_tensor.dtype
        if shape is None and batch_shape is None:
            raise ValueError(
                "You must pass a `shape` argument to Input/InputLayer, e.g. `Input(shape=(784,))`."
            )
        if shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, dtype=self._dtype, name=self.name)
        self._input_tensor = input_tensor
        Node(operation=self, call_args=(), call_kwargs={}, outputs=input_tensor)

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def dtype(self):
        return self._dtype

    def call(self):
        return self._input_tensor

    def get_config(self):
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self._dtype,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
            "optional": self.optional,
        }


@keras_export("keras.Input", "keras.layers.Input")
def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """Creates a symbolic input tensor for building a Functional model.

    Example:

    >>> x = workbench.Input(shape=(32,))
    >>> y = workbench.layers.Dense(16, activation="softmax")(x)
    >>> model = workbench.Model(x, y)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, ragged=ragged,
                       batch_shape=batch_shape, name=name, input_tensor=tensor, optional=optional)
    return layer.output
