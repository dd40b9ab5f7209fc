"""SpatialDropout1D/2D/3D: dropout of whole feature maps (channels) instead of single entries."""

from workbench import dtype_policies, random
from workbench.api_export import keras_export
from workbench.backend.config import standardize_data_format
from workbench.layers.input_spec import InputSpec
from workbench.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout whose keep mask covers a whole channel: one draw per (sample, channel)."""

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)

    def _noise_shape(self, input_shape):
        raise NotImplementedError

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self._noise_shape(inputs.shape),
                                  seed=self.seed_generator)
        return inputs

    def get_config(self):
        # Keras writes exactly these keys for the spatial dropouts (no `trainable`).
        return {"rate": self.rate, "seed": self.seed, "name": self.name,
                "dtype": dtype_policies.serialize(self.dtype_policy)}


@keras_export("keras.layers.SpatialDropout1D")
class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D dropout: drops entire channels of `(batch, timesteps, channels)` inputs.

    Use it instead of `Dropout` after 1D convolutions, where neighbouring timesteps are strongly
    correlated and dropping single entries barely regularizes. Active only with `training=True`.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        seed: an int seed, for reproducible masks.

    Input shape:
        3D tensor `(batch_size, timesteps, channels)`.

    Output shape:
        The same as the input.

    Example:

    >>> SpatialDropout1D(0.5, seed=1)(np.ones((2, 5, 3)), training=True).shape
    (2, 5, 3)
    """

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def _noise_shape(self, input_shape):
        return (input_shape[0], 1, input_shape[2])


class _SpatialDropoutND(BaseSpatialDropout):
    """Spatial dropout of 2D or 3D feature maps, channels first or last."""

    RANK = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.RANK + 2)

    def _noise_shape(self, input_shape):
        ones = (1,) * self.RANK
        if self.data_format == "channels_first":
            return (input_shape[0], input_shape[1], *ones)
        return (input_shape[0], *ones, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


@keras_export("keras.layers.SpatialDropout2D")
class SpatialDropout2D(_SpatialDropoutND):
    """Spatial 2D dropout: drops entire channels of image feature maps.

    Use it instead of `Dropout` after 2D convolutions, where neighbouring pixels are strongly
    correlated. Active only with `training=True`.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        data_format: `"channels_last"` (`(batch, rows, cols, channels)`) or `"channels_first"`;
            defaults to `workbench.config.image_data_format()`.
        seed: an int seed, for reproducible masks.

    Input shape:
        4D tensor `(batch_size, rows, cols, channels)` (channels last).

    Output shape:
        The same as the input.

    Example:

    >>> SpatialDropout2D(0.5, seed=1)(np.ones((2, 4, 4, 3)), training=True).shape
    (2, 4, 4, 3)
    """

    RANK = 2


@keras_export("keras.layers.SpatialDropout3D")
class SpatialDropout3D(_SpatialDropoutND):
    """Spatial 3D dropout: drops entire channels of volumetric feature maps.

    Active only with `training=True`.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"`; defaults to `workbench.config.image_data_format()`.
        seed: an int seed, for reproducible masks.

    Input shape:
        5D tensor `(batch_size, dim1, dim2, dim3, channels)` (channels last).

    Output shape:
        The same as the input.

    Example:

    >>> SpatialDropout3D(0.5, seed=1)(np.ones((1, 2, 2, 2, 3)), training=True).shape
    (1, 2, 2, 2, 3)
    """

    RANK = 3
