"""Image preprocessing and augmentation layers, on `workbench.ops.image` (they run inside jit)."""

from workbench.layers.preprocessing.image_preprocessing.center_crop import CenterCrop
from workbench.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from workbench.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from workbench.layers.preprocessing.image_preprocessing.random_crop import RandomCrop
from workbench.layers.preprocessing.image_preprocessing.random_flip import RandomFlip
from workbench.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from workbench.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from workbench.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom
from workbench.layers.preprocessing.image_preprocessing.resizing import Resizing

__all__ = [
    "CenterCrop", "RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "Resizing",
]
