from workbench.layers.core.dense import Dense  # noqa: F401
from workbench.layers.core.einsum_dense import EinsumDense  # noqa: F401
from workbench.layers.core.embedding import Embedding  # noqa: F401
from workbench.layers.core.identity import Identity  # noqa: F401
from workbench.layers.core.jax_layer import JaxLayer  # noqa: F401
from workbench.layers.core.lambda_layer import Lambda  # noqa: F401
from workbench.layers.core.masking import Masking  # noqa: F401
from workbench.layers.core.wrapper import Wrapper  # noqa: F401
