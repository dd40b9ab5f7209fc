from workbench.layers.regularization.activity_regularization import ActivityRegularization  # noqa: F401
from workbench.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from workbench.layers.regularization.dropout import Dropout  # noqa: F401
from workbench.layers.regularization.gaussian_dropout import GaussianDropout  # noqa: F401
from workbench.layers.regularization.gaussian_noise import GaussianNoise  # noqa: F401
from workbench.layers.regularization.spatial_dropout import (  # noqa: F401
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
