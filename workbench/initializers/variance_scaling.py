"""VarianceScaling and its named settings: Glorot (Xavier), He and LeCun, uniform and normal."""

import math

from workbench import random
from workbench.api_export import keras_export
from workbench.initializers.random_initializers import RandomInitializer

# The stddev of a unit normal truncated to [-2, 2]; dividing by it restores the requested variance.
_TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


def compute_fans(shape, input_axes=None, output_axes=None):
    """Returns `(fan_in, fan_out)` for a weight shape.

    A 2D shape is `(inputs, outputs)`; a convolution kernel `(..., inputs, outputs)` multiplies both
    by its receptive field size. `input_axes` and `output_axes`, given together, name the axes
    explicitly (e.g. for an `EinsumDense` kernel).
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return int(math.prod(shape[a] for a in input_axes)), int(math.prod(shape[a] for a in output_axes))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


@keras_export("keras.initializers.VarianceScaling", "keras.initializers.variance_scaling")
class VarianceScaling(RandomInitializer):
    """Draws values whose variance is `scale / n`, where `n` is the fan-in, fan-out, or their mean.

    - `"truncated_normal"`: a normal cut at 2 stddevs, rescaled so its stddev is `sqrt(scale / n)`;
    - `"untruncated_normal"`: a normal with stddev `sqrt(scale / n)`;
    - `"uniform"`: uniform on `[-limit, limit]` with `limit = sqrt(3 * scale / n)`.

    Args:
        scale: a positive scaling factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"` (also `"normal"`), `"untruncated_normal"` or `"uniform"`.
        seed: an int, a `SeedGenerator`, or None.
        input_axes: the axes that count as inputs when computing the fan-in (with `output_axes`).
        output_axes: the axes that count as outputs when computing the fan-out.

    Example:

    >>> initializer = workbench.initializers.VarianceScaling(scale=0.1, mode="fan_in", distribution="uniform")
    >>> values = initializer((3, 4))
    """

    def __init__(
        self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
        input_axes=None, output_axes=None,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                f"Argument `mode` must be one of 'fan_in', 'fan_out', 'fan_avg'. Received: mode={mode!r}"
            )
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                "Argument `distribution` must be one of 'truncated_normal', 'untruncated_normal', "
                f"'uniform'. Received: distribution={distribution!r}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_NORMAL_STDDEV
            return random.truncated_normal(shape, stddev=stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, stddev=math.sqrt(variance), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution; only the seed and axes vary."""

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            scale=self.SCALE, mode=self.MODE, distribution=self.DISTRIBUTION, seed=seed,
            input_axes=input_axes, output_axes=output_axes,
        )

    def get_config(self):
        config = super().get_config()
        return {"seed": config["seed"], "input_axes": self.input_axes, "output_axes": self.output_axes}


@keras_export("keras.initializers.GlorotUniform", "keras.initializers.glorot_uniform")
class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: uniform on `[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))`.

    The default kernel initializer of `Dense` and the convolutions.

    Args:
        seed: an int, a `SeedGenerator`, or None.
        input_axes: the axes that count as inputs (with `output_axes`), for the fans.
        output_axes: the axes that count as outputs.
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "uniform"


@keras_export("keras.initializers.GlorotNormal", "keras.initializers.glorot_normal")
class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: a truncated normal with `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args: as `GlorotUniform`.
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "truncated_normal"


@keras_export("keras.initializers.LecunNormal", "keras.initializers.lecun_normal")
class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: a truncated normal with `stddev = sqrt(1 / fan_in)`; pairs with `selu`.

    Args: as `GlorotUniform`.
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"


@keras_export("keras.initializers.LecunUniform", "keras.initializers.lecun_uniform")
class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: uniform on `[-limit, limit]`, `limit = sqrt(3 / fan_in)`.

    Args: as `GlorotUniform`.
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "uniform"


@keras_export("keras.initializers.HeNormal", "keras.initializers.he_normal")
class HeNormal(_NamedVarianceScaling):
    """He normal: a truncated normal with `stddev = sqrt(2 / fan_in)`; pairs with `relu`.

    Args: as `GlorotUniform`.
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "truncated_normal"


@keras_export("keras.initializers.HeUniform", "keras.initializers.he_uniform")
class HeUniform(_NamedVarianceScaling):
    """He uniform: uniform on `[-limit, limit]`, `limit = sqrt(6 / fan_in)`.

    Args: as `GlorotUniform`.
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "uniform"
