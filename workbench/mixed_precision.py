"""Legacy mixed-precision names, as `keras.mixed_precision`."""

from workbench.backend.config import dtype_policy, set_dtype_policy
from workbench.dtype_policies import DTypePolicy
from workbench.optimizers import LossScaleOptimizer

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy", "set_dtype_policy", "set_global_policy"]
