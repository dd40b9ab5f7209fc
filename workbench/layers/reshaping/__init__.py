from workbench.layers.reshaping.cropping1d import Cropping1D  # noqa: F401
from workbench.layers.reshaping.cropping2d import Cropping2D  # noqa: F401
from workbench.layers.reshaping.cropping3d import Cropping3D  # noqa: F401
from workbench.layers.reshaping.flatten import Flatten  # noqa: F401
from workbench.layers.reshaping.permute import Permute  # noqa: F401
from workbench.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from workbench.layers.reshaping.reshape import Reshape  # noqa: F401
from workbench.layers.reshaping.up_sampling1d import UpSampling1D  # noqa: F401
from workbench.layers.reshaping.up_sampling2d import UpSampling2D  # noqa: F401
from workbench.layers.reshaping.up_sampling3d import UpSampling3D  # noqa: F401
from workbench.layers.reshaping.zero_padding1d import ZeroPadding1D  # noqa: F401
from workbench.layers.reshaping.zero_padding2d import ZeroPadding2D  # noqa: F401
from workbench.layers.reshaping.zero_padding3d import ZeroPadding3D  # noqa: F401

__all__ = [
    "Cropping1D", "Cropping2D", "Cropping3D", "Flatten", "Permute", "RepeatVector", "Reshape",
    "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D",
    "ZeroPadding3D",
]
