"""TimeDistributed: applies a layer to every timestep of a sequence, with shared weights."""

import inspect

from workbench import ops, tree
from workbench.api_export import keras_export
from workbench.layers.core.wrapper import Wrapper
from workbench.layers.rnn.rnn import build_sublayer


def _child_shape(input_shape):
    if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 3:
        raise ValueError(
            "TimeDistributed expects inputs of shape (batch_size, timesteps, ...), with at least "
            f"3 dimensions. Received: input_shape={input_shape}"
        )
    return (input_shape[0],) + tuple(input_shape[2:])


@keras_export("keras.layers.TimeDistributed")
class TimeDistributed(Wrapper):
    """Applies `layer` to every temporal slice of the input, with the same weights for all.

    The batch and time axes are merged into one, so the wrapped layer runs once on
    `(batch_size * timesteps, ...)`: one batched computation rather than a loop over time.

    Args:
        layer: a layer instance, e.g. `Dense(8)` or `Conv2D(16, 3)`.

    Call arguments:
        inputs: a `(batch_size, timesteps, ...)` tensor.
        training: passed on to the wrapped layer.
        mask: optional `(batch_size, timesteps)` mask, passed on (per timestep) to a wrapped
            layer that takes one.

    Input shape:
        `(batch_size, timesteps, ...)`, where `...` is what `layer` accepts.

    Output shape:
        `(batch_size, timesteps, ...)`, where `...` is what `layer` returns per sample.

    Example:

    >>> layer = TimeDistributed(Dense(8))
    >>> layer(np.ones((2, 10, 3))).shape
    (2, 10, 8)
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        build_sublayer(self.layer, _child_shape(input_shape))

    def call(self, inputs, training=None, mask=None):
        batch_size, timesteps = inputs.shape[0], inputs.shape[1]
        merged = ops.reshape(inputs, (batch_size * timesteps,) + tuple(inputs.shape[2:]))
        kwargs = {}
        if mask is not None and "mask" in inspect.signature(self.layer.call).parameters:
            if tuple(mask.shape[:2]) != (batch_size, timesteps):
                raise ValueError(
                    f"TimeDistributed expects a mask of shape ({batch_size}, {timesteps}, ...) to "
                    f"match its inputs {tuple(inputs.shape)}. "
                    f"Received: mask.shape={tuple(mask.shape)}"
                )
            kwargs["mask"] = ops.reshape(mask, (batch_size * timesteps,) + tuple(mask.shape[2:]))
        outputs = self.layer(merged, training=training, **kwargs)
        return tree.map_structure(
            lambda y: ops.reshape(y, (batch_size, timesteps) + tuple(y.shape[1:])), outputs)
