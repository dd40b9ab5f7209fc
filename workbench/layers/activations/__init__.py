from workbench.layers.activations.activation import Activation  # noqa: F401
from workbench.layers.activations.elu import ELU  # noqa: F401
from workbench.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from workbench.layers.activations.prelu import PReLU  # noqa: F401
from workbench.layers.activations.relu import ReLU  # noqa: F401
from workbench.layers.activations.softmax import Softmax  # noqa: F401
