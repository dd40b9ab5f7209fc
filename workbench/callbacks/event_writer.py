"""EventFileWriter: writes TensorBoard event files without TensorFlow.

An event file is a sequence of TFRecords, each holding one `Event` protobuf
(TensorBoard's `event.proto` and `summary.proto`). The few messages we need are
encoded here by hand, so neither TensorFlow nor `protobuf` is required.
"""

import itertools
import os
import socket
import struct
import time

import numpy as np

# CRC-32C (Castagnoli), reflected polynomial, as TFRecord framing requires.
_CRC32C_POLYNOMIAL = 0x82F63B78


def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _CRC32C_POLYNOMIAL if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    """The CRC-32C checksum of `data` (bytes)."""
    crc = 0xFFFFFFFF
    table = _CRC32C_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(data):
    """Frames `data` as one TFRecord: length, masked crc of length, data, masked crc of data."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length))
            + data + struct.pack("<I", masked_crc32c(data)))


# Protobuf wire encoding: wire types 0 (varint), 1 (64-bit), 2 (length-delimited), 5 (32-bit).
def _varint(value):
    value &= 0xFFFFFFFFFFFFFFFF  # negative int64 values take ten bytes, two's complement
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _double(field, value):
    return _key(field, 1) + struct.pack("<d", value)


def _float(field, value):
    return _key(field, 5) + struct.pack("<f", value)


def _int64(field, value):
    return _key(field, 0) + _varint(value)


def _bytes(field, data):
    return _key(field, 2) + _varint(len(data)) + data


def _packed_doubles(field, values):
    return _bytes(field, struct.pack(f"<{len(values)}d", *values))


def encode_event(wall_time, step, file_version=None, summary_values=()):
    """An encoded `Event`; `summary_values` are encoded `Summary.Value` messages."""
    event = _double(1, wall_time) + _int64(2, step)
    if file_version is not None:
        event += _bytes(3, file_version.encode())
    if summary_values:
        event += _bytes(5, b"".join(_bytes(1, value) for value in summary_values))
    return event


def scalar_value(tag, value):
    """An encoded `Summary.Value` with `simple_value`."""
    return _bytes(1, tag.encode()) + _float(2, float(value))


def histogram_value(tag, values, bins=30):
    """An encoded `Summary.Value` with a `HistogramProto` of `values` in `bins` buckets."""
    values = np.asarray(values, dtype=np.float64).ravel()
    counts, edges = np.histogram(values, bins=bins)
    empty = values.size == 0
    histogram = (_double(1, 0.0 if empty else values.min()) + _double(2, 0.0 if empty else values.max())
                 + _double(3, values.size) + _double(4, values.sum())
                 + _double(5, np.dot(values, values))
                 + _packed_doubles(6, edges[1:].tolist())  # each bucket's right edge
                 + _packed_doubles(7, counts.astype(np.float64).tolist()))
    return _bytes(1, tag.encode()) + _bytes(5, histogram)


class EventFileWriter:
    """Writes scalars and histograms to a new event file in `log_dir`.

    Args:
        log_dir: The directory for the event file; created if missing.

    Example:

    >>> writer = EventFileWriter("/tmp/logs/train")  # doctest: +SKIP
    >>> writer.add_scalar("epoch_loss", 0.25, step=0)  # doctest: +SKIP
    >>> writer.close()  # doctest: +SKIP
    """

    _file_counter = itertools.count()

    def __init__(self, log_dir):
        os.makedirs(log_dir, exist_ok=True)
        # pid and a counter keep two writers opened in the same second from sharing a file.
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}"
                f".{os.getpid()}.{next(self._file_counter)}")
        self.path = os.path.join(log_dir, name)
        self._file = open(self.path, "wb")
        self._write(encode_event(time.time(), 0, file_version="brain.Event:2"))

    def _write(self, event):
        self._file.write(tfrecord(event))

    def add_scalar(self, tag, value, step):
        self._write(encode_event(time.time(), step, summary_values=[scalar_value(tag, value)]))

    def add_histogram(self, tag, values, step, bins=30):
        self._write(encode_event(time.time(), step, summary_values=[histogram_value(tag, values, bins)]))

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()
