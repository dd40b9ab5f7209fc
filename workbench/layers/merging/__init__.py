from workbench.layers.merging.add import Add, add  # noqa: F401
from workbench.layers.merging.average import Average, average  # noqa: F401
from workbench.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from workbench.layers.merging.dot import Dot, dot  # noqa: F401
from workbench.layers.merging.maximum import Maximum, maximum  # noqa: F401
from workbench.layers.merging.minimum import Minimum, minimum  # noqa: F401
from workbench.layers.merging.multiply import Multiply, multiply  # noqa: F401
from workbench.layers.merging.subtract import Subtract, subtract  # noqa: F401
