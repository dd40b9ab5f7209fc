"""PReLU: a leaky ReLU whose negative slope is learned, per unit or shared across axes."""

from workbench import activations, constraints, initializers, ops, regularizers
from workbench.api_export import keras_export
from workbench.layers.input_spec import InputSpec
from workbench.layers.layer import Layer


@keras_export("keras.layers.PReLU")
class PReLU(Layer):
    """Parametric rectified linear unit: `f(x) = x` for `x >= 0`, `alpha * x` otherwise.

    `alpha` is a trainable weight with the input's shape without the batch axis; `shared_axes`
    makes it shared (size 1) along some axes, e.g. `shared_axes=[1, 2]` for one slope per
    channel of `(batch, height, width, channels)` feature maps.

    Args:
        alpha_initializer: initializer of `alpha` (default zeros: starts as a ReLU).
        alpha_regularizer: optional regularizer of `alpha`.
        alpha_constraint: optional constraint of `alpha`.
        shared_axes: an axis or list of axes (1-based, the batch axis is 0) along which `alpha`
            is shared.

    Input shape:
        Any tensor of known non-batch shape.

    Output shape:
        The same as the input.

    Example:

    >>> layer = PReLU(shared_axes=[1])
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 3)
    >>> layer.alpha.shape
    (1, 3)
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        alpha_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f'PReLU "{self.name}": shared axis {axis} is out of range for inputs of shape '
                    f"{tuple(input_shape)}; axes count from 1 (the batch axis is 0). "
                    f"Received: shared_axes={self.shared_axes}"
                )
            alpha_shape[axis - 1] = 1
        self.alpha = self.add_weight(name="alpha", shape=alpha_shape,
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {axis: input_shape[axis] for axis in range(1, len(input_shape))
                if axis not in (self.shared_axes or [])}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs):
        positive = activations.relu(inputs)
        negative = ops.multiply(ops.negative(self.alpha), activations.relu(ops.negative(inputs)))
        return ops.add(positive, negative)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
