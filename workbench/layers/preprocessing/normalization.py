"""Normalization: shifts and scales features to mean 0 and variance 1, with statistics from
`adapt()` (kept as the non-trainable weights `mean`, `variance` and `count`) or given upfront."""

import itertools
import math

import numpy as np

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend import config
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.preprocessing_utils import index_dtype


def _iterate_batches(data):
    """Numpy arrays from an iterable of batches; `(x, y[, sample_weight])` batches give `x`."""
    if not (hasattr(data, "__iter__") or hasattr(data, "__getitem__")):
        raise TypeError(
            "Normalization.adapt() accepts an array or an iterable of batches. "
            f"Received: data of type {type(data).__name__}"
        )
    empty = True
    for batch in data:
        batch = batch[0] if isinstance(batch, tuple) else batch
        if not hasattr(batch, "shape"):
            raise TypeError(
                "Normalization.adapt() expects batches with a `.shape` (numpy or JAX arrays). "
                f"Received an element of type {type(batch).__name__}; to adapt on one array, pass "
                "the array itself."
            )
        empty = False
        yield np.asarray(batch)
    if empty:
        raise ValueError("Normalization.adapt() received an empty iterable: pass at least one batch.")


@keras_export("keras.layers.Normalization")
class Normalization(Layer):
    """Normalizes continuous features: `(inputs - mean) / sqrt(variance)`.

    The statistics are either passed as `mean` and `variance`, or learned from data with
    `adapt()`, which stores them as the layer's non-trainable weights, so they are saved with the
    model. Call `adapt()` before `fit()`, `evaluate()` or `predict()`.

    Args:
        axis: the axis or axes that keep a separate mean and variance per index. `-1` (the
            default) normalizes each feature of the last axis; `None` uses one scalar mean and
            variance for everything.
        mean: the mean, broadcast to the kept axes (aligned from the right). Give it together with
            `variance`.
        variance: the variance, like `mean`.
        invert: if True, undo the normalization: `inputs * sqrt(variance) + mean`.

    Input shape:
        Any tensor whose kept axes have known sizes.

    Output shape:
        The same as the input.

    Example:

    >>> layer = Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    >>> layer(np.array([1.0, 2.0, 3.0]))
    Array([-1.4142135 , -0.70710677,  0.        ], dtype=float32)
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        elif not all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            raise ValueError(f"Normalization: `axis` must be None, an int or a tuple of ints. Received: axis={axis!r}")
        self.axis = tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "Normalization: pass both `mean` and `variance`, or neither (and call `adapt()`). "
                f"Received: mean={mean}, variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "Normalization: `mean` and `variance` must have the same shape. Received: "
                    f"mean.shape={np.shape(mean)}, variance.shape={np.shape(variance)}"
                )
            if np.ndim(mean) > len(self.axis):
                raise ValueError(
                    f"Normalization: `mean` can have at most one dimension per kept axis ({len(self.axis)} "
                    f"for axis={self.axis}). Received: mean.shape={np.shape(mean)}"
                )
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization: every axis must be in [-{ndim}, {ndim}) for inputs of rank {ndim}. "
                f"Received: axis={self.axis}, input shape {input_shape}"
            )
        self._build_input_shape = input_shape
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        unknown = [a for a in self._keep_axis if input_shape[a] is None]
        if unknown:
            raise ValueError(
                f"Normalization: the kept axes {self._keep_axis} need known sizes; axis {unknown[0]} of "
                f"input shape {input_shape} is None. Give the layer an input shape with those sizes."
            )
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[a] if a in self._keep_axis else 1 for a in range(ndim))
        self._mean_and_var_shape = tuple(input_shape[a] for a in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._mean_and_var_shape,
                                                  initializer="ones", trainable=False)
            # Kept for Keras's weight layout; adapt() does not need it.
            self.count = self.add_weight(name="count", shape=(), dtype=index_dtype(),
                                         initializer="zeros", trainable=False)
        else:
            self._fixed_mean = self._broadcast_given(self.input_mean)
            self._fixed_variance = self._broadcast_given(self.input_variance)
        self.built = True

    def _broadcast_given(self, value):
        """A given mean/variance aligned from the right onto the kept axes, then broadcast."""
        value = np.asarray(value, dtype=self.compute_dtype)
        expanded = [1] * len(self._broadcast_shape)
        for offset in range(1, value.ndim + 1):
            expanded[self._keep_axis[-offset]] = value.shape[-offset]
        return np.broadcast_to(value.reshape(expanded), self._broadcast_shape)

    def adapt(self, data):
        """Computes the mean and variance of `data` and stores them in the layer's weights.

        Args:
            data: a numpy or JAX array, or an iterable of batches (a list of arrays, a generator,
                a `PyDataset`); batches may be `(x, y)` tuples. Each element of an iterable must
                be a batch, not a single sample.
        """
        is_array = isinstance(data, np.ndarray) or hasattr(data, "__array_namespace__")
        batches = [np.asarray(data)] if is_array else _iterate_batches(data)
        first = next(batches) if not is_array else batches[0]
        if not self.built:
            self.build(first.shape)
        if self.input_mean is not None:
            raise ValueError("Normalization: cannot adapt a layer created with `mean` and `variance`.")
        self._check_adapt_shape(first.shape)
        if is_array:
            mean = np.mean(first, axis=self._reduce_axis)
            variance = np.var(first, axis=self._reduce_axis)
        else:
            mean, variance = self._pooled_statistics(itertools.chain([first], batches))
        self.adapt_mean.assign(np.reshape(mean, self._mean_and_var_shape))
        self.adapt_variance.assign(np.reshape(variance, self._mean_and_var_shape))

    def _pooled_statistics(self, batches):
        """Mean and variance over batches, merging each batch's statistics into the running ones."""
        mean = np.zeros(self._mean_and_var_shape)
        variance = np.zeros(self._mean_and_var_shape)
        total = 0
        for batch in batches:
            self._check_adapt_shape(batch.shape)
            count = math.prod(batch.shape[a] for a in self._reduce_axis)
            batch = batch.astype("float64")
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_variance = batch.var(axis=self._reduce_axis)
            total += count
            weight = count / total
            new_mean = mean * (1 - weight) + batch_mean * weight
            variance = ((variance + (mean - new_mean) ** 2) * (1 - weight)
                        + (batch_variance + (batch_mean - new_mean) ** 2) * weight)
            mean = new_mean
        return mean, variance

    def _check_adapt_shape(self, shape):
        if len(shape) != len(self._build_input_shape) or any(
                shape[a] != self._build_input_shape[a] for a in self._keep_axis):
            raise ValueError(
                f"Normalization was built for inputs of shape {self._build_input_shape} (kept axes "
                f"{self._keep_axis}), but adapt() received a batch of shape {tuple(shape)}."
            )

    @property
    def mean(self):
        """The mean in use, in the inputs' broadcast shape (as Keras); None before build."""
        if not self.built:
            return None
        if self.input_mean is None:
            return ops.reshape(self.adapt_mean.value, self._broadcast_shape)
        return self._fixed_mean

    @property
    def variance(self):
        """The variance in use, in the inputs' broadcast shape (as Keras); None before build."""
        if not self.built:
            return None
        if self.input_mean is None:
            return ops.reshape(self.adapt_variance.value, self._broadcast_shape)
        return self._fixed_variance

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        mean, variance = self.mean, self.variance
        mean = ops.cast(mean, self.compute_dtype)
        scale = ops.maximum(ops.sqrt(ops.cast(variance, self.compute_dtype)), config.epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": self._build_input_shape}
        return None

    def build_from_config(self, config):
        if config:
            self.build(config["input_shape"])

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }
