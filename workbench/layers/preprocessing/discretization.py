"""Discretization: buckets continuous values into ranges, with boundaries given or learned."""

import numpy as np

from workbench import ops
from workbench.api_export import keras_export
from workbench.backend.keras_tensor import KerasTensor
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.preprocessing_utils import (
    check_int,
    check_option,
    encode_categorical,
    encoded_shape,
    listify,
)


@keras_export("keras.layers.Discretization")
class Discretization(Layer):
    """Buckets continuous features by ranges and outputs the bucket index of each value.

    `bin_boundaries=[0., 1., 2.]` makes the buckets `(-inf, 0)`, `[0, 1)`, `[1, 2)` and
    `[2, inf)`. With `num_bins`, `adapt()` learns boundaries at approximate quantiles of the
    data (the same mergeable quantile summaries as Keras, so the learned boundaries match).

    Args:
        bin_boundaries: sorted boundaries between buckets. Then `adapt()` is not needed.
        num_bins: the number of buckets to learn with `adapt()`.
        epsilon: the error tolerance of the quantile summaries (e.g. 0.01); larger is coarser.
        output_mode: `"int"` (bucket indices, int32), `"one_hot"`, `"multi_hot"` or `"count"`
            (float encodings of size `num_bins`, see `CategoryEncoding`).
        sparse: must be False (sparse outputs need TensorFlow).

    Input shape:
        Any numeric tensor.

    Output shape:
        The input shape in `"int"` mode; otherwise encoded, with a last axis of size `num_bins`.

    Example:

    >>> layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    Array([[0, 2, 3, 1],
           [1, 3, 2, 1]], dtype=int32)
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        check_option("Discretization", "output_mode", output_mode,
                     ("int", "one_hot", "multi_hot", "count"))
        if sparse:
            raise ValueError(f"Discretization: `sparse=True` needs TensorFlow. Received: sparse={sparse}")
        check_int("Discretization", "num_bins", num_bins, 0, allow_none=True)
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Discretization: give either `num_bins` (and call `adapt()`) or `bin_boundaries`, not "
                f"both. Received: num_bins={num_bins}, bin_boundaries={bin_boundaries}"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: give `bin_boundaries`, or `num_bins` and call `adapt()`.")
        self.bin_boundaries = listify(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else np.zeros((2, 0), "float32")
        self._build_at_init()

    @property
    def output_dtype(self):
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps=None):
        """Learns `num_bins - 1` boundaries at approximate quantiles of `data`.

        Args:
            data: an array, or an iterable of batches (a list of arrays, a generator).
            steps: the number of batches to read from an iterable (all of them by default).
        """
        if self.num_bins is None:
            raise ValueError(
                "Discretization: a layer created with `bin_boundaries` cannot be adapted; create it "
                "with `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, np.ndarray) or hasattr(data, "__array_namespace__") or not hasattr(data, "__iter__"):
            self.update_state(data)
        else:
            for step, batch in enumerate(data):
                if steps is not None and step >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        summary = _summarize(np.asarray(data, dtype="float32"), self.epsilon)
        self.summary = _merge_summaries(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            boundaries = _compress_summary(self.summary, 1.0 / self.num_bins)[0, :-1]
            self.bin_boundaries = boundaries.tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.zeros((2, 0), "float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "Discretization has no bin boundaries yet: pass `bin_boundaries`, or call "
                "`adapt(data)` before using the layer."
            )
        indices = ops.digitize(inputs, np.asarray(self.bin_boundaries, "float32"))
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype)

    def compute_output_shape(self, input_shape):
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return encoded_shape(input_shape, self.output_mode, depth)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            # An adapted layer records both; the constructor takes one, so restore the boundaries after.
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


# Mergeable quantile summaries: a summary is a (2, n) array of sorted values and their weights.
def _summarize(values, epsilon):
    """Every `1/epsilon`-th order statistic of `values`, each weighted by the values it stands for."""
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    kept = values[int(step - 1)::int(step)]
    return np.stack([kept, np.full_like(kept, step)])


def _merge_summaries(first, second, epsilon):
    merged = np.concatenate([first, second], axis=1)
    merged = merged[:, np.argsort(merged[0])]
    return _compress_summary(merged, epsilon)


def _compress_summary(summary, epsilon):
    """Re-samples a summary at `1/epsilon` evenly spaced cumulative-weight fractions."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    cumulative_fraction = cumulative / cumulative[-1]
    values = np.interp(fractions, cumulative_fraction, summary[0])
    cumulative = np.interp(fractions, cumulative_fraction, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack([values, weights]).astype("float32")
