"""`workbench.random`: seeded random tensors, and the SeedGenerator that carries random state."""

from workbench.random.random import (
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from workbench.random.seed_generator import (
    SeedGenerator,
    draw_seed,
    make_default_seed,
    set_global_seed,
)

__all__ = [
    "SeedGenerator", "beta", "binomial", "categorical", "draw_seed", "dropout", "gamma",
    "make_default_seed", "normal", "randint", "set_global_seed", "shuffle", "truncated_normal",
    "uniform",
]
