"""Utilities, as `keras.utils`."""

from workbench.backend import clear_session, is_keras_tensor, standardize_dtype
from workbench.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from workbench.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from workbench.trainers.trainer import pack_x_y_sample_weight, unpack_x_y_sample_weight
from workbench.utils.dataset_utils import (
    image_dataset_from_directory,
    split_dataset,
    text_dataset_from_directory,
)
from workbench.utils.model_visualization import model_to_dot, plot_model
from workbench.utils.numerical_utils import normalize, to_categorical
from workbench.utils.progbar import Progbar
from workbench.utils.py_dataset import PyDataset, Sequence
from workbench.utils.rng_utils import set_random_seed
from workbench.utils.sequence_utils import pad_sequences
from workbench.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "CustomObjectScope", "Progbar", "clear_session", "custom_object_scope", "deserialize_keras_object",
    "get_custom_objects", "get_registered_name", "get_registered_object", "is_keras_tensor",
    "model_to_dot", "normalize", "plot_model", "register_keras_serializable", "serialize_keras_object", "set_random_seed",
    "standardize_dtype", "to_categorical",
    "PyDataset", "Sequence", "image_dataset_from_directory", "pack_x_y_sample_weight", "pad_sequences",
    "split_dataset", "text_dataset_from_directory", "timeseries_dataset_from_array",
    "unpack_x_y_sample_weight",
]
