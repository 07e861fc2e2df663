"""Little-endian binary encoding, a port of coreduel::ByteWriter / ByteReader (core/util/bytes.h).

The engine encodes task descriptions with ByteWriter and expects results in the same format,
so both sides must agree byte for byte: raw little-endian integers and doubles, strings as a
u32 length followed by the bytes.
"""

import struct

_U8 = struct.Struct("<B")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")

MASK64 = 0xFFFFFFFFFFFFFFFF  # C++ uint64 arithmetic wraps modulo 2^64


class DecodeError(ValueError):
    """A message is shorter than what it claims to hold."""


class ByteWriter:
    """Appends encoded values; take() returns the bytes."""

    __slots__ = ("_parts",)

    def __init__(self):
        self._parts = []

    def u8(self, v):
        self._parts.append(_U8.pack(v))
        return self

    def u32(self, v):
        self._parts.append(_U32.pack(v))
        return self

    def u64(self, v):
        # Masked like a C++ static_cast<uint64_t>: callers pass wrapped sums and products.
        self._parts.append(_U64.pack(v & MASK64))
        return self

    def i64(self, v):
        self._parts.append(_I64.pack(v))
        return self

    def f64(self, v):
        self._parts.append(_F64.pack(v))
        return self

    def str(self, s):
        data = s.encode("utf-8") if isinstance(s, str) else bytes(s)
        self._parts.append(_U32.pack(len(data)))
        self._parts.append(data)
        return self

    def raw(self, data):
        self._parts.append(bytes(data))
        return self

    def take(self):
        return b"".join(self._parts)


class ByteReader:
    """Reads encoded values in order; raises DecodeError when the data runs out."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data):
        self._data = data
        self._pos = 0

    def _unpack(self, fmt):
        end = self._pos + fmt.size
        if end > len(self._data):
            raise DecodeError(
                "truncated message: wanted %d bytes, %d left" % (fmt.size, len(self._data) - self._pos)
            )
        (v,) = fmt.unpack_from(self._data, self._pos)
        self._pos = end
        return v

    def u8(self):
        return self._unpack(_U8)

    def u32(self):
        return self._unpack(_U32)

    def u64(self):
        return self._unpack(_U64)

    def i64(self):
        return self._unpack(_I64)

    def f64(self):
        return self._unpack(_F64)

    def take(self, n):
        if n > len(self._data) - self._pos:
            raise DecodeError(
                "truncated message: wanted %d bytes, %d left" % (n, len(self._data) - self._pos)
            )
        out = bytes(self._data[self._pos : self._pos + n])
        self._pos += n
        return out

    def bytes(self):
        """A u32-length-prefixed byte string (ByteReader::str / bytes), undecoded."""
        return self.take(self.u32())

    def str(self):
        # Task strings are paths and mode names; surrogateescape keeps odd bytes round-trippable.
        return self.bytes().decode("utf-8", "surrogateescape")

    def remaining(self):
        return len(self._data) - self._pos

    def at_end(self):
        return self._pos == len(self._data)


def u64(v):
    """One u64 as 8 bytes: the most common result encoding."""
    return _U64.pack(v & MASK64)
