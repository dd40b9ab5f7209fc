"""Embedding: turns integer indices into dense vectors looked up in a trainable table."""

from workbench import constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer


def _check_positive_int(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"Embedding: `{name}` must be a positive integer. Received: {name}={value!r} "
            f"(of type {type(value).__name__})"
        )


@keras_export("keras.layers.Embedding")
class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of fixed size.

    `[[4], [20]]` becomes `[[embeddings[4]], [embeddings[20]]]`, rows of the trainable
    `(input_dim, output_dim)` table `embeddings`.

    Args:
        input_dim: the vocabulary size: the largest index plus one.
        output_dim: the size of each embedding vector.
        embeddings_initializer: initializer of the table (default `"uniform"`, on [-0.05, 0.05]).
        embeddings_regularizer: optional regularizer of the table.
        embeddings_constraint: optional constraint of the table.
        mask_zero: whether index 0 is padding. If True the layer outputs a mask (`inputs != 0`)
            that following layers (RNNs, attention, pooling) use to skip padded steps; index 0
            can then not be a real token, so `input_dim` should be the vocabulary size plus one.
        weights: optional initial table, as `[array]` or an array of shape `(input_dim, output_dim)`.
        lora_rank / lora_alpha / quantization_config: not supported yet; must be None.

    Input shape:
        N-D integer tensor `(batch_size, ...)`, e.g. `(batch_size, sequence_length)`.

    Output shape:
        (N+1)-D tensor `(batch_size, ..., output_dim)`.

    Example:

    >>> layer = Embedding(input_dim=1000, output_dim=64, mask_zero=True)
    >>> layer(np.array([[4, 20, 0]])).shape
    (1, 3, 64)
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        _check_positive_int("input_dim", input_dim)
        _check_positive_int("output_dim", output_dim)
        kwargs.pop("input_length", None)  # Keras 2 argument, meaningless in Keras 3.
        super().__init__(**kwargs)
        if lora_rank is not None or quantization_config is not None:
            raise ValueError(
                "Embedding: LoRA and quantization are not supported yet. "
                f"Received: lora_rank={lora_rank}, quantization_config={quantization_config}"
            )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        # Indices must stay integers; only the table's dtype matters.
        self.autocast = False
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(name="embeddings", shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs):
        if ops.dtype(inputs) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(self.embeddings, inputs, axis=0)
        return ops.cast(outputs, self.compute_dtype)

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
