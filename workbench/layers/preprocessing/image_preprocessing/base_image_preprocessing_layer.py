"""The base of the image preprocessing layers: data format, factor ranges, and a `call` that
batches single images, so each layer only writes `transform_images` for a 4D batch."""

import numbers

from workbench import ops
from workbench.backend import config
from workbench.layers.layer import Layer
from workbench.layers.preprocessing.preprocessing_utils import check_int


def check_size(layer_name, height, width):
    check_int(layer_name, "height", height, 1)
    check_int(layer_name, "width", width, 1)


class BaseImagePreprocessingLayer(Layer):
    """An image layer: `(height, width, channels)` images or batches of them (channels first with
    `data_format="channels_first"`). Random layers transform only when `training` is True, which
    is the default of `call`, as in Keras; `predict` and `evaluate` pass `training=False`."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self._build_at_init()

    @property
    def _height_axis(self):
        """The height axis of a 4D batch (the width axis follows it)."""
        return 1 if self.data_format == "channels_last" else 2

    def _image_size(self, images):
        return images.shape[self._height_axis], images.shape[self._height_axis + 1]

    def _shape_with_size(self, input_shape, height, width):
        """`input_shape` (of an image or a batch) with its height and width replaced."""
        shape = list(input_shape)
        height_axis = self._height_axis - (4 - len(shape))
        shape[height_axis], shape[height_axis + 1] = height, width
        return tuple(shape)

    def _standardize_factor(self, factor, name="factor", bounds=(-1.0, 1.0), open_lower=False):
        """`factor` (a number `f`, meaning `[-f, f]`, or a pair) as a sorted `(lower, upper)`."""
        lower_bound, upper_bound = bounds
        bracket = "(" if open_lower else "["

        def in_range(value):
            return (isinstance(value, numbers.Real) and not isinstance(value, bool) and value <= upper_bound
                    and (value > lower_bound if open_lower else value >= lower_bound))

        message = (
            f"{self.__class__.__name__}: `{name}` must be a number or a pair of numbers in "
            f"{bracket}{lower_bound}, {upper_bound}]. Received: {name}={factor!r}"
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(in_range(f) for f in factor):
                raise ValueError(message)
            return tuple(sorted(factor))
        if not in_range(factor):
            raise ValueError(message)
        return max(-abs(factor), lower_bound), abs(factor)

    def call(self, inputs, training=True):
        images = ops.convert_to_tensor(inputs)
        if images.ndim not in (3, 4):
            raise ValueError(
                f"{self.__class__.__name__} expects an image of rank 3 or a batch of rank 4. "
                f"Received: inputs.shape={images.shape}"
            )
        if images.ndim == 4:
            return self.transform_images(images, training)
        return self.transform_images(images[None], training)[0]

    def transform_images(self, images, training):
        """Transforms a 4D batch of images."""
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
