"""The canonical digest of a Python value: what a user function's task reports as its result.

The digest is the SHA-256 of the value's canonical encoding, defined below. It depends only on
the value, never on the interpreter, its version, hash seed, dict insertion order or the
machine, so the same values give the same 32 bytes under every interpreter and every model,
and the engine can compare py:threads and py:processes with py:sequential.

Encoding (LEN is an unsigned 64-bit big-endian count):

    None                     b"N"
    bool                     b"T" (True) or b"F" (False)
    int                      b"i" + sign (b"+" or b"-") + LEN + |n| as big-endian bytes
                             (minimal length; 0 has no bytes)
    float                    b"f" + LEN + repr(x) in ASCII ("0.1", "-0.0", "inf", "nan")
    complex                  b"c" + LEN + repr(z) in ASCII
    str                      b"s" + LEN + UTF-8 (lone surrogates kept, "surrogatepass")
    bytes, bytearray         b"b" + LEN + the bytes
    tuple                    b"(" + LEN (items) + each item's encoding
    list                     b"[" + LEN (items) + each item's encoding
    dict                     b"{" + LEN (pairs) + key, value encodings, pairs ordered by the
                             bytes of the key's encoding
    set, frozenset           b"<" + LEN (items) + items ordered by the bytes of their encoding

Subclasses encode as the first of these they derive from (bool before int: an IntEnum is its
int, a namedtuple its tuple). Anything else is refused with CanonicalError naming its type:
turn it into one of these in the function (an array's .tolist(), a dataclass' astuple()).
"""

import hashlib
import struct

DIGEST_BYTES = 32
_MAX_DEPTH = 200


class CanonicalError(TypeError):
    """A value the canonical encoding does not cover (or nested too deeply, or cyclic)."""


def _len(n):
    return struct.pack(">Q", n)


def _type_name(value):
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)


def _encode(value, out, depth, where):
    if depth > _MAX_DEPTH:
        raise CanonicalError("the result is nested more than %d levels deep (or refers to "
                             "itself) at %s" % (_MAX_DEPTH, where))
    if value is None:
        out.append(b"N")
    elif isinstance(value, bool):
        out.append(b"T" if value else b"F")
    elif isinstance(value, int):
        n = int(value)
        mag = -n if n < 0 else n
        body = mag.to_bytes((mag.bit_length() + 7) // 8, "big")
        out.append(b"i-" if n < 0 else b"i+")
        out.append(_len(len(body)))
        out.append(body)
    elif isinstance(value, float):
        text = repr(float(value)).encode("ascii")
        out += (b"f", _len(len(text)), text)
    elif isinstance(value, complex):
        text = repr(complex(value)).encode("ascii")
        out += (b"c", _len(len(text)), text)
    elif isinstance(value, str):
        data = str(value).encode("utf-8", "surrogatepass")
        out += (b"s", _len(len(data)), data)
    elif isinstance(value, (bytes, bytearray)):
        out += (b"b", _len(len(value)), bytes(value))
    elif isinstance(value, (tuple, list)):
        out += (b"(" if isinstance(value, tuple) else b"[", _len(len(value)))
        for i, item in enumerate(value):
            _encode(item, out, depth + 1, "%s[%d]" % (where, i))
    elif isinstance(value, dict):
        pairs = []
        for k, v in value.items():
            key = encode(k, depth + 1, "a key of " + where)
            pairs.append((key, encode(v, depth + 1, "%s[%r]" % (where, k))))
        pairs.sort(key=lambda kv: kv[0])
        out += (b"{", _len(len(pairs)))
        for k, v in pairs:
            out += (k, v)
    elif isinstance(value, (set, frozenset)):
        items = sorted(encode(item, depth + 1, "an item of " + where) for item in value)
        out += (b"<", _len(len(items)))
        out += items
    else:
        raise CanonicalError(
            "%s is of type %s, which the canonical digest cannot encode (it encodes None, bool, int, "
            "float, complex, str, bytes, bytearray, tuple, list, dict, set, frozenset: return "
            "one of those)" % (where, _type_name(value)))


def encode(value, depth=0, where="the result"):
    """The canonical encoding of `value` as bytes; raises CanonicalError."""
    out = []
    _encode(value, out, depth, where)
    return b"".join(out)


def digest(value):
    """SHA-256 of the canonical encoding: 32 bytes."""
    return hashlib.sha256(encode(value)).digest()
