"""Preprocessing layers: numeric (Normalization, Discretization, CategoryEncoding), hashing,
vocabulary lookups and text (StringLookup, IntegerLookup, TextVectorization, on the host), image
resizing and augmentation (on `workbench.ops.image`, inside `jax.jit`), and Pipeline."""

from workbench.layers.preprocessing.category_encoding import CategoryEncoding
from workbench.layers.preprocessing.discretization import Discretization
from workbench.layers.preprocessing.hashed_crossing import HashedCrossing
from workbench.layers.preprocessing.hashing import Hashing
from workbench.layers.preprocessing.image_preprocessing import (
    CenterCrop,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Resizing,
)
from workbench.layers.preprocessing.integer_lookup import IntegerLookup
from workbench.layers.preprocessing.normalization import Normalization
from workbench.layers.preprocessing.pipeline import Pipeline
from workbench.layers.preprocessing.rescaling import Rescaling
from workbench.layers.preprocessing.string_lookup import StringLookup
from workbench.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding", "CenterCrop", "Discretization", "HashedCrossing", "Hashing", "IntegerLookup",
    "Normalization", "Pipeline", "RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip",
    "RandomRotation", "RandomTranslation", "RandomZoom", "Rescaling", "Resizing", "StringLookup",
    "TextVectorization",
]
