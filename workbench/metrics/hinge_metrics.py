"""Hinge metrics: the mean hinge, squared hinge and categorical hinge losses."""

from workbench.api_export import keras_export
from workbench.metrics.reduction_metrics import LossMetric


@keras_export("keras.metrics.Hinge")
class Hinge(LossMetric):
    """The mean of `max(1 - y_true * y_pred, 0)`; labels in {0, 1} are mapped to {-1, 1}.

    Example:

    >>> m = workbench.metrics.Hinge()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.3
    """

    loss_name = "hinge"

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.SquaredHinge")
class SquaredHinge(LossMetric):
    """The mean of `square(max(1 - y_true * y_pred, 0))`; labels in {0, 1} are mapped to {-1, 1}.

    Example:

    >>> m = workbench.metrics.SquaredHinge()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.86
    """

    loss_name = "squared_hinge"

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.CategoricalHinge")
class CategoricalHinge(LossMetric):
    """The mean of `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.

    Example:

    >>> m = workbench.metrics.CategoricalHinge()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.4
    """

    loss_name = "categorical_hinge"

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
