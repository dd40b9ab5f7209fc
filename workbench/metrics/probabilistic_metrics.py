"""Probabilistic metrics: the crossentropies, KL divergence and Poisson, averaged over samples."""

from workbench.api_export import keras_export
from workbench.metrics.reduction_metrics import LossMetric


@keras_export("keras.metrics.KLDivergence")
class KLDivergence(LossMetric):
    """The mean Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`.

    Example:

    >>> m = workbench.metrics.KLDivergence()
    >>> float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]))
    0.45814...
    """

    loss_name = "kl_divergence"

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.Poisson")
class Poisson(LossMetric):
    """The mean Poisson deviance term `y_pred - y_true * log(y_pred)`.

    Example:

    >>> m = workbench.metrics.Poisson()
    >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
    0.49999997...
    """

    loss_name = "poisson"

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name=name, dtype=dtype)


@keras_export("keras.metrics.BinaryCrossentropy")
class BinaryCrossentropy(LossMetric):
    """The mean binary crossentropy between labels in {0, 1} and predicted probabilities.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        from_logits: `y_pred` holds logits rather than probabilities.
        label_smoothing: squeezes the labels towards 0.5 by this amount, in [0, 1].

    Example:

    >>> m = workbench.metrics.BinaryCrossentropy()
    >>> float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]))
    0.81492...
    """

    loss_name = "binary_crossentropy"

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


@keras_export("keras.metrics.CategoricalCrossentropy")
class CategoricalCrossentropy(LossMetric):
    """The mean crossentropy between one-hot labels and predicted class probabilities.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        from_logits: `y_pred` holds logits rather than probabilities.
        label_smoothing: mixes the one-hot labels with the uniform distribution by this amount.
        axis: the class axis.

    Example:

    >>> m = workbench.metrics.CategoricalCrossentropy()
    >>> float(m([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))
    1.17693...
    """

    loss_name = "categorical_crossentropy"

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


@keras_export("keras.metrics.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(LossMetric):
    """The mean crossentropy between integer labels and predicted class probabilities.

    Args:
        name: the metric name.
        dtype: the dtype of the result.
        from_logits: `y_pred` holds logits rather than probabilities.
        ignore_class: a label value whose entries are left out (e.g. padding).
        axis: the class axis.

    Example:

    >>> m = workbench.metrics.SparseCategoricalCrossentropy()
    >>> float(m([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))
    1.17693...
    """

    loss_name = "sparse_categorical_crossentropy"

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}
