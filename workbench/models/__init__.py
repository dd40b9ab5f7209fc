"""Models, as `keras.models`."""

from workbench.models.cloning import clone_model
from workbench.models.functional import Functional
from workbench.models.model import Model, model_from_json
from workbench.models.sequential import Sequential
from workbench.saving.saving_api import load_model, save_model

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json",
           "save_model"]
