"""`workbench.losses`: the Keras 3 losses, their function forms, and `get` / `serialize` /
`deserialize`.

Each class wraps its function form (`MeanSquaredError` wraps `mean_squared_error`) and adds the
reduction, sample weights and masks of `Loss.__call__`.
"""

import inspect

from workbench.api_export import keras_export
from workbench.losses.binary_crossentropy import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
)
from workbench.losses.categorical_crossentropy import (
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    SparseCategoricalCrossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    sparse_categorical_crossentropy,
)
from workbench.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from workbench.losses.loss import Loss
from workbench.losses.losses import LossFunctionWrapper, serialize_function
from workbench.losses.probabilistic import KLDivergence, Poisson, kl_divergence, poisson
from workbench.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from workbench.losses.segmentation import Dice, Tversky, dice, tversky
from workbench.losses.sequence import CTC, ctc
from workbench.losses.similarity import Circle, circle
from workbench.saving import object_registration, serialization_lib

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    Dice,
    Tversky,
    Circle,
    CTC,
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
    categorical_generalized_cross_entropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    circle,
    ctc,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALIASES = {
    "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
    "kld": kl_divergence,
    "KLD": kl_divergence,
    "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error,
    # tf.keras names, still found in older code.
    "logcosh": log_cosh,
    "kullback_leibler_divergence": kl_divergence,
}
ALL_OBJECTS_DICT.update(ALIASES)


@keras_export("keras.losses.serialize")
def serialize(loss):
    """Returns the JSON-compatible description of a `Loss` instance or a loss function.

    Example:

    >>> serialize(MeanSquaredError())["class_name"]
    'MeanSquaredError'
    """
    if inspect.isfunction(loss):
        return serialize_function(loss)
    return serialization_lib.serialize_keras_object(loss)


@keras_export("keras.losses.deserialize")
def deserialize(name, custom_objects=None):
    """Revives a loss from `serialize`'s output, or from a name such as `"mse"`."""
    return serialization_lib.deserialize_keras_object(
        name, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.losses.get")
def get(identifier):
    """Returns a loss from a name, a config dict, a class, or a callable (returned as it is).

    A function name (`"mse"`, `"categorical_crossentropy"`) gives the function; a class name
    (`"CategoricalCrossentropy"`) gives an instance with default arguments.

    Example:

    >>> get("mse") is mean_squared_error
    True
    >>> get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}).from_logits
    True
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        try:
            found = deserialize(identifier)
        except TypeError as error:
            raise ValueError(
                f"Could not interpret loss identifier: {identifier!r}. {error}"
            ) from error
    elif isinstance(identifier, str):
        found = ALL_OBJECTS_DICT.get(identifier) or object_registration.get_registered_object(
            identifier
        )
        if found is None:
            raise ValueError(
                f"Unknown loss: {identifier!r}. Valid names are {sorted(ALL_OBJECTS_DICT)}, or "
                "the name of a loss registered with `workbench.saving.register_keras_serializable`."
            )
    else:
        found = identifier
    if inspect.isclass(found):
        found = found()
    if callable(found):
        return found
    raise ValueError(
        f"Could not interpret loss identifier: {identifier!r}. Expected a name, a config dict, a "
        "`Loss` instance or class, or a function `fn(y_true, y_pred)`."
    )
