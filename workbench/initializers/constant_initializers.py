"""Initializers without randomness: Constant, Zeros, Ones, Identity, and the STFT kernel."""

import jax.numpy as jnp
import numpy as np

from workbench.api_export import keras_export
from workbench.backend import dtypes
from workbench.backend.variables import Variable
from workbench.initializers.initializer import Initializer
from workbench.saving import serialization_lib


@keras_export("keras.initializers.Constant", "keras.initializers.constant")
class Constant(Initializer):
    """Fills the tensor with `value` (a scalar, or an array broadcastable to the shape).

    Example:

    >>> workbench.initializers.Constant(3.0)((2, 2))
    Array([[3., 3.],
           [3., 3.]], dtype=float32)
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = dtypes.to_jax_dtype(dtype)
        value = self.value.value if isinstance(self.value, Variable) else self.value
        return jnp.broadcast_to(jnp.asarray(value, dtype=dtype), tuple(shape))

    def get_config(self):
        return {"value": serialization_lib.serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(serialization_lib.deserialize_keras_object(config["value"]))


@keras_export("keras.initializers.Zeros", "keras.initializers.zeros")
class Zeros(Initializer):
    """Fills the tensor with 0; the default bias initializer."""

    def __call__(self, shape, dtype=None):
        return jnp.zeros(tuple(shape), dtype=dtypes.to_jax_dtype(dtype))


@keras_export("keras.initializers.Ones", "keras.initializers.ones")
class Ones(Initializer):
    """Fills the tensor with 1."""

    def __call__(self, shape, dtype=None):
        return jnp.ones(tuple(shape), dtype=dtypes.to_jax_dtype(dtype))


@keras_export(
    "keras.initializers.Identity", "keras.initializers.identity", "keras.initializers.IdentityInitializer"
)
class Identity(Initializer):
    """`gain` times the identity matrix (ones on the main diagonal of a 2D, possibly non-square, shape).

    Args:
        gain: the value on the diagonal.

    Example:

    >>> workbench.initializers.Identity(gain=2.0)((2, 3))
    Array([[2., 0., 0.],
           [0., 2., 0.]], dtype=float32)
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "The Identity initializer only makes 2D matrices. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        dtype = dtypes.to_jax_dtype(dtype)
        return (self.gain * jnp.eye(*shape, dtype=dtype)).astype(dtype)

    def get_config(self):
        # Keras writes `{}` here and loses the gain; writing it only when it is not the default
        # keeps default configs identical to Keras's while a custom gain survives a round trip.
        return {} if self.gain == 1.0 else {"gain": self.gain}


@keras_export("keras.initializers.STFT", "keras.initializers.stft", "keras.initializers.STFTInitializer")
class STFT(Initializer):
    """The kernel of a short-time Fourier transform, for a `Conv1D` of shape `(frame, 1, bins)`.

    The real (cosine) or imaginary (sine) part of the DFT matrix, multiplied by a window and scaled.
    Named windows are built with `scipy.signal.get_window`, so they need SciPy.

    Args:
        side: `"real"` or `"imag"`.
        window: a window name (e.g. `"hann"`), a 1D array of length `frame_length`, or None.
        scaling: `"density"` (divide by the window's L2 norm), `"spectrum"` (by its L1 norm) or None.
        periodic: whether named windows are periodic (for spectral analysis) or symmetric.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"Argument `side` must be 'real' or 'imag'. Received: side={side!r}")
        if isinstance(window, str):
            _named_window(window, 1, periodic)
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                f"Argument `scaling` must be None, 'density' or 'spectrum'. Received: scaling={scaling!r}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        # Built in float64 NumPy (the kernel depends only on the shape), then cast once.
        frame_length, _, fft_bins = shape
        time = np.arange(frame_length).reshape(frame_length, 1, 1)
        frequency = np.arange(fft_bins).reshape(1, 1, fft_bins) / ((fft_bins - 1) * 2)
        angle = -2.0 * np.pi * time * frequency
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        if self.window is not None:
            window = self.window
            if isinstance(window, str):
                window = _named_window(window, frame_length, self.periodic)
            window = np.asarray(window, dtype=np.float64)
            if window.shape != (frame_length,):
                raise ValueError(
                    f"The STFT window must have shape ({frame_length},) (the frame length). "
                    f"Received: window shape={tuple(window.shape)}"
                )
            window = window.reshape(frame_length, 1, 1)
            scale = 1.0
            if self.scaling == "density":
                scale = np.sqrt(np.sum(window**2))
            elif self.scaling == "spectrum":
                scale = np.sum(np.abs(window))
            kernel = kernel * window / scale
        return jnp.asarray(kernel, dtype=dtypes.to_jax_dtype(dtype))

    def get_config(self):
        return {"side": self.side, "window": self.window, "periodic": self.periodic, "scaling": self.scaling}


def _named_window(name, length, periodic):
    try:
        from scipy import signal
    except ImportError as error:
        raise ImportError(
            f"The STFT initializer builds the named window {name!r} with SciPy, which is not "
            "installed. Install it (`pip install scipy`) or pass the window as an array."
        ) from error
    return signal.get_window(name, length, fftbins=periodic)
