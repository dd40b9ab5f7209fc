"""`workbench.optimizers`: Keras's optimizers as optax chains, and `get` / `serialize` / `deserialize`."""

import optax

from workbench.api_export import keras_export
from workbench.optimizers import legacy, schedules
from workbench.optimizers.adadelta import Adadelta
from workbench.optimizers.adafactor import Adafactor
from workbench.optimizers.adagrad import Adagrad
from workbench.optimizers.adam import Adam
from workbench.optimizers.adamax import Adamax
from workbench.optimizers.adamw import AdamW
from workbench.optimizers.ftrl import Ftrl
from workbench.optimizers.lamb import Lamb
from workbench.optimizers.lion import Lion
from workbench.optimizers.loss_scale_optimizer import LossScaleOptimizer
from workbench.optimizers.nadam import Nadam
from workbench.optimizers.optimizer import Optimizer
from workbench.optimizers.rmsprop import RMSprop
from workbench.optimizers.sgd import SGD
from workbench.saving import object_registration, serialization_lib

ALL_OBJECTS = (
    Optimizer, Adam, SGD, RMSprop, Adadelta, AdamW, Adagrad, Adamax, Adafactor, Nadam, Ftrl, Lion,
    Lamb, LossScaleOptimizer,
)
# Names are matched case-insensitively, as in Keras ("adam", "Adam", "rmsprop").
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


@keras_export("keras.optimizers.serialize")
def serialize(optimizer):
    """Returns the `{"module", "class_name", "config", "registered_name"}` dict of an optimizer."""
    return serialization_lib.serialize_keras_object(optimizer)


@keras_export("keras.optimizers.deserialize")
def deserialize(config, custom_objects=None):
    """Revives an optimizer from `serialize`'s output."""
    config = dict(config)
    if config["class_name"].lower() in ALL_OBJECTS_DICT:
        config["class_name"] = config["class_name"].lower()
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.optimizers.get")
def get(identifier):
    """Returns an optimizer from a name (`"adam"`), a config dict, or an `Optimizer` (unchanged).

    Example:

    >>> workbench.optimizers.get("sgd").get_config()["learning_rate"]
    0.009999999776482582
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        known = identifier.lower() in ALL_OBJECTS_DICT
        if not known and object_registration.get_registered_object(identifier) is None:
            raise ValueError(
                f"Unknown optimizer: {identifier!r}. Valid names (case-insensitive): "
                f"{sorted(ALL_OBJECTS_DICT)}, or a name registered with "
                "`workbench.saving.register_keras_serializable`."
            )
        optimizer = deserialize({"class_name": identifier, "config": {}})
    elif isinstance(identifier, dict):
        optimizer = deserialize(identifier)
    elif isinstance(identifier, optax.GradientTransformation):
        from workbench.optimizers.optax_optimizer import OptaxOptimizer

        optimizer = OptaxOptimizer(identifier)
    else:
        optimizer = identifier
    if isinstance(optimizer, Optimizer):
        return optimizer
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier}. Expected an optimizer name such as "
        "'adam', a config dict, or an Optimizer instance."
    )


__all__ = [
    "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion",
    "LossScaleOptimizer", "Nadam", "Optimizer", "RMSprop", "SGD", "deserialize", "get", "legacy",
    "schedules", "serialize",
]
