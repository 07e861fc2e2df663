"""Port of coreduel::Checksum (core/util/hash.h): the hash folded over task results.

Every execution model must reproduce the engine's value, so this is bit-exact: a splitmix64
finaliser on (state ^ (v + golden)), and byte spans fed as their size followed by big-endian
8-byte words (the C++ shifts each byte in from the right), then a final partial word.
"""

import struct

_MASK = 0xFFFFFFFFFFFFFFFF
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_SEED = 0x436F72654475656C  # "CoreDuel"


class Checksum:
    __slots__ = ("state",)

    def __init__(self):
        self.state = _SEED

    def add(self, v):
        z = self.state ^ ((v + _GOLDEN) & _MASK)
        z = ((z ^ (z >> 30)) * _M1) & _MASK
        z = ((z ^ (z >> 27)) * _M2) & _MASK
        self.state = z ^ (z >> 31)

    def add_bytes(self, data):
        n = len(data)
        self.add(n)
        full = n // 8
        # `word = (word << 8) | byte` over 8 bytes is the big-endian reading of those bytes;
        # unpacking them all at once keeps the per-word work in C. The loop is inlined (no
        # call to add()) because fileio hashes every byte it reads back.
        state = self.state
        if full:
            for v in struct.unpack(">%dQ" % full, data[: full * 8]):
                z = state ^ ((v + _GOLDEN) & _MASK)
                z = ((z ^ (z >> 30)) * _M1) & _MASK
                z = ((z ^ (z >> 27)) * _M2) & _MASK
                state = z ^ (z >> 31)
        self.state = state
        rest = data[full * 8 :]
        if rest:
            self.add(int.from_bytes(rest, "big"))

    def value(self):
        return self.state

    def hex(self):
        return "%016x" % self.state


def of_results(results):
    """The run checksum: every result's bytes folded in task order."""
    c = Checksum()
    for r in results:
        c.add_bytes(r)
    return c.value()
