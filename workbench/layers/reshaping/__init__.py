from workbench.layers.reshaping.flatten import Flatten  # noqa: F401
from workbench.layers.reshaping.permute import Permute  # noqa: F401
from workbench.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from workbench.layers.reshaping.reshape import Reshape  # noqa: F401

__all__ = ["Flatten", "Permute", "RepeatVector", "Reshape"]
