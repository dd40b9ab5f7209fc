"""Bidirectional: runs an RNN forwards and a copy of it backwards, and merges the two outputs."""

from workbench import ops
from workbench.api_export import keras_export
from workbench.layers.layer import Layer
from workbench.layers.rnn.rnn import build_sublayer
from workbench.saving import serialization_lib

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _renamed_copy(layer, name, **overrides):
    """A fresh copy of `layer` from its config (its own class, so no registry lookup), built like
    the original when that one was built (as Keras does: a revived Bidirectional reports the same
    build config as the one it was saved from)."""
    config = {**layer.get_config(), "name": name, **overrides}
    copy = type(layer).from_config(config)
    build_config = layer.get_build_config() if layer.built else None
    if build_config:
        copy.build_from_config(build_config)
    return copy


def _without_prefix(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


@keras_export("keras.layers.Bidirectional")
class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs: one pass forwards, one backwards, outputs merged.

    The forward layer is a copy of `layer` named `forward_<name>`; the backward layer is a copy
    with `go_backwards=True` named `backward_<name>`, unless `backward_layer` is given. With
    `return_sequences`, the backward outputs are flipped back to input order before merging, and
    masked steps output zeros in both directions.

    Args:
        layer: an `RNN` instance (`LSTM`, `GRU`, ...), or any layer with `go_backwards`,
            `return_sequences`, `return_state` and `stateful`.
        merge_mode: how the two outputs combine: `"concat"` (default), `"sum"`, `"mul"`, `"ave"`,
            or None for a list `[forward, backward]`.
        weights: optional initial weights: the forward layer's, then the backward layer's.
        backward_layer: optional layer for the backward pass; it must have `go_backwards=True`
            and the same `return_sequences`, `return_state` and `stateful` as `layer`.

    Call arguments:
        sequences: a `(batch_size, timesteps, features)` tensor.
        initial_state: optional list: the forward layer's states, then the backward layer's.
        mask: optional boolean `(batch_size, timesteps)` tensor.
        training: passed on to both layers.

    Input shape:
        That of the wrapped layer.

    Output shape:
        That of the wrapped layer, with the last axis doubled for `"concat"`; with
        `return_state`, followed by the forward states, then the backward states.

    Example:

    >>> layer = Bidirectional(LSTM(4, return_sequences=True))
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 8)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Bidirectional wraps a layer instance, such as `LSTM(32)`. "
                f"Received: layer={layer!r}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` must be a layer instance. Received: "
                f"backward_layer={backward_layer!r}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"`merge_mode` must be one of {_MERGE_MODES}. Received: merge_mode={merge_mode!r}"
            )
        super().__init__(weights=weights, **kwargs)
        self.forward_layer = _renamed_copy(
            layer, f"forward_{_without_prefix(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _renamed_copy(
                layer, f"backward_{_without_prefix(layer.name, 'backward_')}", go_backwards=True)
        self.backward_layer = backward_layer
        self._check_layers()
        # Masked steps must output zeros, so the two directions align after the flip.
        for direction in (self.forward_layer, self.backward_layer):
            if hasattr(direction, "zero_output_for_mask"):
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _check_layers(self):
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "The forward and backward layers must have different `go_backwards` values. "
                f"Received: forward go_backwards={forward.go_backwards}, backward "
                f"go_backwards={backward.go_backwards}"
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(
                    f"The forward and backward layers must have the same `{attribute}`. Received: "
                    f"{getattr(forward, attribute)} (forward) and {getattr(backward, attribute)} "
                    "(backward)"
                )

    def build(self, sequences_shape, initial_state_shape=None):
        build_sublayer(self.forward_layer, sequences_shape)
        build_sublayer(self.backward_layer, sequences_shape)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_reversed = self.backward_layer(sequences, initial_state=backward_state, mask=mask,
                                         training=training)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_reversed[1:])
            y, y_reversed = y[0], y_reversed[0]
        y = ops.cast(y, self.compute_dtype)
        y_reversed = ops.cast(y_reversed, self.compute_dtype)
        if self.return_sequences:
            y_reversed = ops.flip(y_reversed, axis=1)
        if self.merge_mode is None:
            return (y, y_reversed) + states
        output = self._merge(y, y_reversed)
        return (output,) + states if self.return_state else output

    def _merge(self, y, y_reversed):
        if self.merge_mode == "concat":
            return ops.concatenate([y, y_reversed], axis=-1)
        if self.merge_mode == "sum":
            return y + y_reversed
        if self.merge_mode == "ave":
            return (y + y_reversed) / 2
        return y * y_reversed

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = ()
        if self.return_state:
            output_shape, state_shapes = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = tuple(output_shape[:-1]) + (output_shape[-1] * 2,)
        outputs = (output_shape, output_shape) if self.merge_mode is None else (output_shape,)
        if not self.return_state and self.merge_mode is not None:
            return output_shape
        return outputs + state_shapes + state_shapes

    def compute_mask(self, inputs, previous_mask):
        if isinstance(previous_mask, (list, tuple)):
            previous_mask = previous_mask[0]
        output_mask = previous_mask if self.return_sequences else None
        output_masks = [output_mask] * (2 if self.merge_mode is None else 1)
        if self.return_state:
            state_count = len(self.forward_layer.compute_mask(inputs, previous_mask)) - 1
            return output_masks + [None] * (2 * state_count)
        return output_masks if self.merge_mode is None else output_mask

    @property
    def states(self):
        forward, backward = self.forward_layer.states, self.backward_layer.states
        return tuple(forward) + tuple(backward) if forward and backward else None

    def reset_state(self):
        if not self.stateful:
            raise AttributeError(f'Layer "{self.name}" is not stateful; it has no states to reset.')
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        self.reset_state()

    def get_config(self):
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialization_lib.serialize_keras_object(self.forward_layer),
            "backward_layer": serialization_lib.serialize_keras_object(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = serialization_lib.deserialize_keras_object(
            config["layer"], custom_objects=custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = serialization_lib.deserialize_keras_object(
                config["backward_layer"], custom_objects=custom_objects)
        return super().from_config(config)
