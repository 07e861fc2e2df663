"""mandelbrot: escape-time iteration counts, one task per image row (port of mandelbrot.cpp).

Python floats are IEEE doubles, so the same operations in the same order give the same
counts: every expression below keeps the C++ evaluation order.
"""

import struct

from .. import codec
from ..params import INT, ParamSpec
from . import base


class Workload(base.Workload):
    name = "mandelbrot"
    specs = (
        ParamSpec("width", INT, "1000", 1, 100000),
        ParamSpec("height", INT, "600", 1, 100000),
        ParamSpec("max_iter", INT, "1000", 1, 1e7),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.width = self.params.get_int("width")
        self.height = self.params.get_int("height")
        self.max_iter = self.params.get_int("max_iter")

    def task_count(self):
        return self.height

    def encode_task(self, index):
        return struct.pack("<IIII", index, self.width, self.height, self.max_iter)

    def compute(self, task):
        r = codec.ByteReader(task)
        row = r.u32()
        width = r.u32()
        height = r.u32()
        max_iter = r.u32()
        # The classic view: x in [-2.2, 0.8], y in [-1.2, 1.2].
        ci = -1.2 + 2.4 * (row + 0.5) / height
        counts = []
        for x in range(width):
            cr = -2.2 + 3.0 * (x + 0.5) / width
            zr = 0.0
            zi = 0.0
            it = 0
            while it < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                it += 1
            counts.append(it)
        return codec.u64(sum(counts)) + struct.pack("<%dI" % width, *counts)

    def summarize(self, results):
        total = sum(codec.ByteReader(r).u64() for r in results)
        return "%dx%d pixels, %d iterations in total" % (self.width, self.height, total)
