"""`LossFunctionWrapper`: a `Loss` made from a function `fn(y_true, y_pred, **kwargs)`.

Every built-in loss class is such a wrapper around its function form, which lives in the family
modules next to this one (`regression.py`, `hinge.py`, `categorical_crossentropy.py`, ...).
"""

import numbers
import types

from workbench import tree
from workbench.losses.loss import Loss, squeeze_or_expand_to_same_rank
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.saving import object_registration, serialization_lib


def float_pair(y_true, y_pred):
    """`y_pred` as a float tensor, and `y_true` as a tensor of the same dtype."""
    y_pred = to_float(y_pred)
    return convert_to_tensor(y_true, dtype=y_pred.dtype), y_pred


def serialize_function(fn):
    """Keras's description of a plain loss function, built-in or registered.

    Keras names every function `{"module": "builtins", "class_name": "function", "config":
    <registered name>}`; files written by either library read the same.
    """
    if isinstance(fn, types.FunctionType) and fn.__name__ != "<lambda>":
        return {
            "module": "builtins",
            "class_name": "function",
            "config": object_registration.get_registered_name(fn),
            "registered_name": "function",
        }
    return serialization_lib.serialize_keras_object(fn)


@serialization_lib.register_internal_class("keras.src.losses.losses", "LossFunctionWrapper")
class LossFunctionWrapper(Loss):
    """Wraps a loss function `fn(y_true, y_pred, **kwargs)` as a `Loss`.

    Before `fn` runs, `y_true` and `y_pred` whose ranks differ by a trailing axis of size 1 are
    aligned (see `squeeze_or_expand_to_same_rank`).

    Args:
        fn: the loss function, returning per-sample losses.
        reduction, name, dtype: as for `Loss`.
        **kwargs: keyword arguments passed to `fn` on every call.

    Example:

    >>> loss = LossFunctionWrapper(workbench.losses.huber, delta=2.0)
    >>> float(loss(jnp.zeros((1, 2)), jnp.full((1, 2), 3.0)))
    4.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if tree.is_nested(y_true) or tree.is_nested(y_pred):
            pairs = tree.map_structure(squeeze_or_expand_to_same_rank, y_true, y_pred)
            y_true = tree.map_structure_up_to(y_true, lambda pair: pair[0], pairs)
            y_pred = tree.map_structure_up_to(y_pred, lambda pair: pair[1], pairs)
        else:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialize_function(self.fn)
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" not in config:
            return cls(**config)
        from workbench.losses import ALL_OBJECTS_DICT

        config = dict(config)
        fn = serialization_lib.deserialize_keras_object(
            config.pop("fn"), module_objects=ALL_OBJECTS_DICT
        )
        # Only `fn` names a function; other strings (the name, say "huber") stay strings.
        config = {
            key: value
            if isinstance(value, str)
            else serialization_lib.deserialize_keras_object(value)
            for key, value in config.items()
        }
        return cls(fn, **config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


def validate_label_smoothing(label_smoothing):
    """Returns `label_smoothing` if it is a number in [0, 1]; raises ValueError otherwise."""
    if (
        isinstance(label_smoothing, bool)
        or not isinstance(label_smoothing, numbers.Real)
        or not (0 <= label_smoothing <= 1)
    ):
        raise ValueError(
            "Argument `label_smoothing` must be a float in [0, 1]. "
            f"Received: label_smoothing={label_smoothing!r}"
        )
    return label_smoothing
