"""The stable hashes of TensorFlow's string ops, in pure Python, so hashed bins match Keras's.

- `fingerprint64` is FarmHash's `Fingerprint64` (farmhashna `Hash64`), what
  `tf.strings.to_hash_bucket_fast` and `Hashing(salt=None)` use.
- `siphash64` is SipHash-2-4 with a 128-bit key, what `tf.strings.to_hash_bucket_strong` and
  `Hashing(salt=...)` use.
- `fingerprint_cat64` combines fingerprints, as `tf.sparse.cross_hashed` (`HashedCrossing`) does.

Checked against FarmHash's published test vectors, SipHash's reference vectors and the outputs in
Keras's own docstrings and tests. Hashes run on the host, one Python call per distinct value.
"""

import numpy as np

_MASK = (1 << 64) - 1
_K0, _K1, _K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F
_CROSS_MULTIPLIER = 0xC6A4A7935BD1E995
CROSS_HASH_KEY = 0xDECAFCAFFE  # the default `hash_key` of `tf.sparse.cross_hashed`


def _rotate(value, shift):
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _word64(data, offset):
    return int.from_bytes(data[offset:offset + 8], "little")


def _word32(data, offset):
    return int.from_bytes(data[offset:offset + 4], "little")


def _hash_128_to_64(low, high, multiplier):
    a = ((low ^ high) * multiplier) & _MASK
    a ^= a >> 47
    b = ((high ^ a) * multiplier) & _MASK
    b ^= b >> 47
    return (b * multiplier) & _MASK


def _hash_up_to_16(data):
    length = len(data)
    if length >= 8:
        multiplier = _K2 + length * 2
        a = (_word64(data, 0) + _K2) & _MASK
        b = _word64(data, length - 8)
        c = (_rotate(b, 37) * multiplier + a) & _MASK
        d = ((_rotate(a, 25) + b) * multiplier) & _MASK
        return _hash_128_to_64(c, d, multiplier)
    if length >= 4:
        multiplier = _K2 + length * 2
        return _hash_128_to_64(length + (_word32(data, 0) << 3), _word32(data, length - 4), multiplier)
    if length > 0:
        y = data[0] + (data[length >> 1] << 8)
        z = length + (data[length - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _hash_17_to_32(data):
    length = len(data)
    multiplier = _K2 + length * 2
    a = (_word64(data, 0) * _K1) & _MASK
    b = _word64(data, 8)
    c = (_word64(data, length - 8) * multiplier) & _MASK
    d = (_word64(data, length - 16) * _K2) & _MASK
    return _hash_128_to_64((_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
                           (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, multiplier)


def _hash_33_to_64(data):
    length = len(data)
    multiplier = _K2 + length * 2
    a = (_word64(data, 0) * _K2) & _MASK
    b = _word64(data, 8)
    c = (_word64(data, length - 8) * multiplier) & _MASK
    d = (_word64(data, length - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _hash_128_to_64(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, multiplier)
    e = (_word64(data, 16) * multiplier) & _MASK
    f = _word64(data, 24)
    g = ((y + _word64(data, length - 32)) * multiplier) & _MASK
    h = ((z + _word64(data, length - 24)) * multiplier) & _MASK
    return _hash_128_to_64((_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK,
                           (e + _rotate((f + a) & _MASK, 18) + g) & _MASK, multiplier)


def _weak_hash_32(data, offset, a, b):
    w, x, y, z = (_word64(data, offset + 8 * i) for i in range(4))
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data):
    """FarmHash `Fingerprint64` of `data` (bytes), as an unsigned 64-bit int."""
    length = len(data)
    if length <= 16:
        return _hash_up_to_16(data)
    if length <= 32:
        return _hash_17_to_32(data)
    if length <= 64:
        return _hash_33_to_64(data)
    x, y = 81, (81 * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _word64(data, 0)) & _MASK
    end = ((length - 1) // 64) * 64
    offset = 0
    while offset != end:
        x = (_rotate((x + y + v[0] + _word64(data, offset + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _word64(data, offset + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _word64(data, offset + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak_hash_32(data, offset, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak_hash_32(data, offset + 32, (z + w[1]) & _MASK, (y + _word64(data, offset + 16)) & _MASK)
        z, x = x, z
        offset += 64
    multiplier = _K1 + ((z & 0xFF) << 1)
    offset = end + ((length - 1) & 63) - 63
    w0 = (w[0] + ((length - 1) & 63)) & _MASK
    v0 = (v[0] + w0) & _MASK
    w = ((w0 + v0) & _MASK, w[1])
    v = (v0, v[1])
    x = (_rotate((x + y + v[0] + _word64(data, offset + 8)) & _MASK, 37) * multiplier) & _MASK
    y = (_rotate((y + v[1] + _word64(data, offset + 48)) & _MASK, 42) * multiplier) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _word64(data, offset + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * multiplier) & _MASK
    v = _weak_hash_32(data, offset, (v[1] * multiplier) & _MASK, (x + w[0]) & _MASK)
    w = _weak_hash_32(data, offset + 32, (z + w[1]) & _MASK, (y + _word64(data, offset + 16)) & _MASK)
    z, x = x, z
    return _hash_128_to_64(
        (_hash_128_to_64(v[0], w[0], multiplier) + _shift_mix(y) * _K0 + z) & _MASK,
        (_hash_128_to_64(v[1], w[1], multiplier) + x) & _MASK, multiplier)


def _sip_rounds(v0, v1, v2, v3, count):
    for _ in range(count):
        v0 = (v0 + v1) & _MASK
        v1 = _rotate(v1, 51) ^ v0
        v0 = _rotate(v0, 32)
        v2 = (v2 + v3) & _MASK
        v3 = _rotate(v3, 48) ^ v2
        v0 = (v0 + v3) & _MASK
        v3 = _rotate(v3, 43) ^ v0
        v2 = (v2 + v1) & _MASK
        v1 = _rotate(v1, 47) ^ v2
        v2 = _rotate(v2, 32)
    return v0, v1, v2, v3


def siphash64(key, data):
    """SipHash-2-4 of `data` (bytes) under `key = (k0, k1)`, two unsigned 64-bit ints."""
    k0, k1 = (int(k) & _MASK for k in key)
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573
    whole = len(data) - len(data) % 8
    for offset in range(0, whole, 8):
        word = _word64(data, offset)
        v3 ^= word
        v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
        v0 ^= word
    last = ((len(data) & 0xFF) << 56) | int.from_bytes(data[whole:], "little")
    v3 ^= last
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def fingerprint_cat64(first, second):
    """Combines two 64-bit fingerprints into one (TensorFlow's `FingerprintCat64`)."""
    result = first ^ _CROSS_MULTIPLIER
    result ^= (_shift_mix((second * _CROSS_MULTIPLIER) & _MASK) * _CROSS_MULTIPLIER) & _MASK
    result = (result * _CROSS_MULTIPLIER) & _MASK
    result = (_shift_mix(result) * _CROSS_MULTIPLIER) & _MASK
    return _shift_mix(result)


def value_bytes(value, encoding="utf-8"):
    """The bytes TensorFlow hashes for a value: UTF-8 text, or the decimal digits of an integer."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode(encoding)
    return str(int(value)).encode("ascii")


def hash_values(values, salt=None):
    """Unsigned 64-bit hashes (a uint64 array shaped like `values`) of strings or integers.

    Args:
        values: a numpy array of strings, bytes or integers.
        salt: None for FarmHash `Fingerprint64`, or `(k0, k1)` for SipHash-2-4.
    """
    values = np.asarray(values)
    unique, inverse = np.unique(values.reshape(-1), return_inverse=True)
    if salt is None:
        hashes = [fingerprint64(value_bytes(v)) for v in unique.tolist()]
    else:
        hashes = [siphash64(salt, value_bytes(v)) for v in unique.tolist()]
    return np.asarray(hashes, dtype=np.uint64)[inverse].reshape(values.shape)
