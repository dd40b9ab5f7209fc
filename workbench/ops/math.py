"""Math ops: segment reductions, top-k, log-sum-exp, FFTs and short-time Fourier transforms, erf.

Complex values cross the API as `(real, imag)` pairs of float tensors, as in Keras.
"""

import math

import jax
import jax.numpy as jnp

from workbench.api_export import keras_export
from workbench.ops.core import convert_to_tensor
from workbench.ops.dtype_rules import to_float
from workbench.ops.operation import keras_op


def _segment_reduce(reduce, data, segment_ids, num_segments, sorted):
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    if num_segments is None:
        if isinstance(segment_ids, jax.core.Tracer):
            raise ValueError(
                "Under `jit`, segment ops need a static `num_segments`. Received: num_segments=None"
            )
        num_segments = int(jnp.max(segment_ids)) + 1
    return reduce(data, segment_ids, num_segments, indices_are_sorted=sorted)


@keras_export("keras.ops.segment_sum")
@keras_op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of `data` that share a segment id: `out[i] = sum(data[segment_ids == i])`.

    Args:
        data: tensor whose leading dimension matches `segment_ids`.
        segment_ids: 1D integer tensor of segment ids.
        num_segments: the number of segments; needed under `jit` (else `max(segment_ids) + 1`).
        sorted: whether `segment_ids` is sorted, which allows a faster kernel.
    """
    return _segment_reduce(jax.ops.segment_sum, data, segment_ids, num_segments, sorted)


@keras_export("keras.ops.segment_max")
@keras_op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maximum over the rows of `data` that share a segment id (see `segment_sum`)."""
    return _segment_reduce(jax.ops.segment_max, data, segment_ids, num_segments, sorted)


@keras_export("keras.ops.segment_min")
@keras_op
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minimum over the rows of `data` that share a segment id (see `segment_sum`)."""
    return _segment_reduce(jax.ops.segment_min, data, segment_ids, num_segments, sorted)


@keras_export("keras.ops.segment_prod")
@keras_op
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Product over the rows of `data` that share a segment id (see `segment_sum`)."""
    return _segment_reduce(jax.ops.segment_prod, data, segment_ids, num_segments, sorted)


@keras_export("keras.ops.top_k")
@keras_op
def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis and their int32 indices, as `(values, indices)`.

    Results are always sorted in descending order (allowed when `sorted=False`).
    """
    return jax.lax.top_k(convert_to_tensor(x), k)


@keras_export("keras.ops.in_top_k")
@keras_op
def in_top_k(targets, predictions, k):
    """Whether each target class is among the `k` highest `predictions` of its row.

    Args:
        targets: integer class ids, shape `(batch,)`.
        predictions: scores, shape `(batch, num_classes)`. A NaN score never counts as high.
    """
    targets, predictions = convert_to_tensor(targets), convert_to_tensor(predictions)
    target_scores = jnp.take_along_axis(predictions, targets[..., None].astype("int32"), axis=-1)
    target_scores = jnp.where(jnp.isnan(target_scores), -jnp.inf, target_scores)
    higher = jnp.sum(predictions > target_scores, axis=-1)
    return higher < k


@keras_export("keras.ops.logsumexp")
@keras_op
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed without overflow."""
    axis = tuple(axis) if isinstance(axis, list) else axis
    return jax.scipy.special.logsumexp(to_float(x), axis=axis, keepdims=keepdims)


@keras_export("keras.ops.cdist")
@keras_op
def cdist(x, y):
    """Euclidean distances between the rows of `x` `(..., P, M)` and `y` `(..., R, M)`: `(..., P, R)`."""
    x, y = to_float(x), to_float(y)
    if x.ndim < 2 or y.ndim < 2 or x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "cdist expects tensors of rank >= 2 with the same last dimension. "
            f"Received: x.shape={x.shape}, y.shape={y.shape}"
        )
    difference = x[..., :, None, :] - y[..., None, :, :]
    return jnp.sqrt(jnp.sum(difference * difference, axis=-1))


@keras_export("keras.ops.extract_sequences")
@keras_op
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` values every `sequence_stride` along the last axis.

    Returns a tensor of shape `(..., num_sequences, sequence_length)`.

    Example:

    >>> extract_sequences(np.arange(6.0), 3, 2).tolist()
    [[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]]
    """
    x = convert_to_tensor(x)
    count = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    starts = jnp.arange(count) * sequence_stride
    return x[..., starts[:, None] + jnp.arange(sequence_length)[None, :]]


def _complex_from_pair(x):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"Expected a `(real, imag)` pair of float tensors. Received: x={x!r}")
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            "The real and imaginary parts must have the same shape. "
            f"Received: real.shape={real.shape}, imag.shape={imag.shape}"
        )
    if not (jnp.issubdtype(real.dtype, jnp.floating) and jnp.issubdtype(imag.dtype, jnp.floating)):
        raise ValueError(
            "The real and imaginary parts must be float tensors. "
            f"Received: real.dtype={real.dtype}, imag.dtype={imag.dtype}"
        )
    return jax.lax.complex(real, imag)


def _pair_from_complex(z):
    return jnp.real(z), jnp.imag(z)


@keras_export("keras.ops.fft")
@keras_op
def fft(x):
    """FFT along the last axis of the complex tensor given as `(real, imag)`; returns a pair."""
    return _pair_from_complex(jnp.fft.fft(_complex_from_pair(x)))


@keras_export("keras.ops.fft2")
@keras_op
def fft2(x):
    """2D FFT over the last two axes of `(real, imag)`; returns a pair."""
    return _pair_from_complex(jnp.fft.fft2(_complex_from_pair(x)))


@keras_export("keras.ops.ifft2")
@keras_op
def ifft2(x):
    """Inverse 2D FFT over the last two axes of `(real, imag)`; returns a pair."""
    return _pair_from_complex(jnp.fft.ifft2(_complex_from_pair(x)))


@keras_export("keras.ops.rfft")
@keras_op
def rfft(x, fft_length=None):
    """FFT of the real `x` along its last axis: `(real, imag)`, each with `fft_length // 2 + 1` bins."""
    return _pair_from_complex(jnp.fft.rfft(convert_to_tensor(x), n=fft_length, axis=-1))


@keras_export("keras.ops.irfft")
@keras_op
def irfft(x, fft_length=None):
    """Inverse of `rfft`: the real signal of length `fft_length` from a `(real, imag)` pair."""
    return jnp.fft.irfft(_complex_from_pair(x), n=fft_length, axis=-1)


def _window(window, sequence_length, fft_length, dtype):
    """The analysis window, centred and zero-padded to `fft_length` points."""
    if window is None:
        values = jnp.ones((sequence_length,), dtype)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f"`window` must be 'hann', 'hamming', a tensor or None. Received: {window!r}"
            )
        # Periodic windows, as used for spectral analysis.
        phase = 2.0 * math.pi * jnp.arange(sequence_length, dtype=dtype) / sequence_length
        alpha = 0.5 if window == "hann" else 0.54
        values = alpha - (1.0 - alpha) * jnp.cos(phase)
    else:
        values = convert_to_tensor(window, dtype=dtype)
        if values.shape != (sequence_length,):
            raise ValueError(
                f"`window` must have shape ({sequence_length},). Received: shape={values.shape}"
            )
    left = (fft_length - sequence_length) // 2
    return jnp.pad(values, (left, fft_length - sequence_length - left))


@keras_export("keras.ops.stft")
@keras_op
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform of the real signals `x` along the last axis.

    Args:
        x: float32 or float64 signals, shape `(..., length)`.
        sequence_length: the window length.
        sequence_stride: the hop between frames.
        fft_length: the FFT size, at least `sequence_length`.
        window: `"hann"`, `"hamming"`, a tensor of `sequence_length` values, or None.
        center: pad `x` by `fft_length // 2` on both sides (reflecting) so frames are centred.

    Returns:
        `(real, imag)`, each of shape `(..., num_frames, fft_length // 2 + 1)`.
    """
    x = convert_to_tensor(x)
    if x.dtype not in (jnp.float32, jnp.float64):
        raise TypeError(f"stft expects float32 or float64 signals. Received: dtype={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError(
            "`fft_length` must be at least `sequence_length`. "
            f"Received: sequence_length={sequence_length}, fft_length={fft_length}"
        )
    window = _window(window, sequence_length, fft_length, x.dtype)
    if center:
        pad_width = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        x = jnp.pad(x, pad_width, mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    return _pair_from_complex(jnp.fft.rfft(frames * window, n=fft_length, axis=-1))


@keras_export("keras.ops.istft")
@keras_op
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse short-time Fourier transform: signals from `(real, imag)` STFT frames.

    The frames are inverse-transformed, windowed and overlap-added, then divided by the
    overlap-added squared window. Arguments mirror `stft`; `length` trims the output.
    """
    spectrum = _complex_from_pair(x)
    if spectrum.ndim < 2:
        raise ValueError(f"istft expects a rank >= 2 input. Received: shape={spectrum.shape}")
    dtype = jnp.real(spectrum).dtype
    analysis_window = _window(window, sequence_length, fft_length, dtype)
    frames = jnp.fft.irfft(spectrum, n=fft_length, axis=-1) * analysis_window
    num_frames = frames.shape[-2]
    output_length = fft_length + sequence_stride * (num_frames - 1)
    positions = jnp.arange(num_frames)[:, None] * sequence_stride + jnp.arange(fft_length)[None, :]
    signal = jnp.zeros(frames.shape[:-2] + (output_length,), dtype).at[..., positions].add(frames)
    norm = (
        jnp.zeros((output_length,), dtype)
        .at[positions]
        .add(jnp.broadcast_to(analysis_window**2, (num_frames, fft_length)))
    )
    signal = signal / jnp.where(norm > 1e-10, norm, 1.0)
    if window is None:
        # Keras scales the unwindowed inverse by fft_length / sequence_stride; kept for parity.
        signal = signal * (fft_length / sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = output_length - fft_length // 2
    else:
        end = output_length
    return signal[..., start:end]


@keras_export("keras.ops.rsqrt")
@keras_op
def rsqrt(x):
    """Element-wise `1 / sqrt(x)`."""
    return jax.lax.rsqrt(to_float(x))


@keras_export("keras.ops.erf")
@keras_op
def erf(x):
    """Element-wise Gauss error function."""
    return jax.lax.erf(to_float(x))


@keras_export("keras.ops.erfc")
@keras_op
def erfc(x):
    """Element-wise complementary error function, `1 - erf(x)`, accurate for large `x`."""
    return jax.scipy.special.erfc(to_float(x))


@keras_export("keras.ops.erfinv")
@keras_op
def erfinv(x):
    """Element-wise inverse error function."""
    return jax.scipy.special.erfinv(to_float(x))


@keras_export("keras.ops.logdet")
@keras_op
def logdet(x):
    """`log(det(x))` of symmetric positive definite matrices, computed stably via `slogdet`."""
    return jnp.linalg.slogdet(to_float(x))[1]


@keras_export("keras.ops.view_as_complex")
@keras_op
def view_as_complex(x):
    """A complex64 tensor from `x` whose last axis (of size 2) holds real and imaginary parts."""
    x = convert_to_tensor(x)
    if x.shape[-1] != 2:
        raise ValueError(
            f"view_as_complex expects a last dimension of 2. Received: shape={x.shape}"
        )
    return jax.lax.complex(x[..., 0].astype("float32"), x[..., 1].astype("float32"))


@keras_export("keras.ops.view_as_real")
@keras_op
def view_as_real(x):
    """A float tensor with a new last axis of size 2 holding the real and imaginary parts of `x`."""
    x = convert_to_tensor(x)
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
