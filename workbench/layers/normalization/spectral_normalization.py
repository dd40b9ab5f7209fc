"""SpectralNormalization: a wrapper that divides a layer's kernel by its largest singular value."""

from workbench import initializers, ops
from workbench.api_export import keras_export
from workbench.layers.core.wrapper import Wrapper
from workbench.layers.input_spec import InputSpec


@keras_export("keras.layers.SpectralNormalization")
class SpectralNormalization(Wrapper):
    """Constrains the spectral norm of a wrapped layer's kernel to one (Miyato et al., 2018).

    In training, each call runs `power_iterations` steps of power iteration to estimate the
    kernel's largest singular value `sigma`, then assigns `kernel / sigma` to the wrapped layer's
    kernel before calling it. The singular-vector estimate is kept in the non-trainable
    `vector_u`, so the estimate improves from step to step. Inference calls use the kernel as it
    is. This bounds the layer's Lipschitz constant, which steadies GAN discriminators.

    Args:
        layer: the layer to wrap; it must have a `kernel` (`Dense`, `Conv2D`, ...) or an
            `embeddings` (`Embedding`) weight.
        power_iterations: the number of power-iteration steps per training call, at least 1.

    Input shape:
        What the wrapped layer accepts.

    Output shape:
        What the wrapped layer returns.

    Example:

    >>> layer = SpectralNormalization(workbench.layers.Dense(4))
    >>> layer(np.ones((2, 3)), training=True).shape
    (2, 4)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) or (
                power_iterations <= 0):
            raise ValueError(
                "`power_iterations` must be a positive integer. "
                f"Received: power_iterations={power_iterations!r}"
            )
        super().__init__(layer, **kwargs)
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"SpectralNormalization needs a layer with a `kernel` or `embeddings` weight; "
                f"{type(self.layer).__name__} has neither."
            )
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(name="vector_u", shape=(1, self.kernel_shape[-1]),
                                        initializer=initializers.TruncatedNormal(stddev=0.02),
                                        dtype=self.kernel.dtype, trainable=False)

    def call(self, inputs, training=False):
        if training:
            # An all-zero kernel has no singular value to divide by; it stays as it is.
            vector_u, kernel = ops.cond(ops.all(ops.equal(self.kernel.value, 0)),
                                        lambda: (self.vector_u.value, self.kernel.value),
                                        self.normalized_weights)
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """Returns `(vector_u, kernel / sigma)` after `power_iterations` power-iteration steps."""
        weights = ops.reshape(self.kernel.value, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
        # The singular vectors are estimates; only sigma's dependence on the kernel is a gradient.
        vector_u, vector_v = ops.stop_gradient(vector_u), ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        kernel = ops.reshape(self.kernel.value / sigma, self.kernel_shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
