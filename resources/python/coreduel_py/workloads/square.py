"""square: x*x for each x, one tiny task each (port of square.cpp): only the per-task cost
of the execution model shows."""

from .. import codec
from ..params import INT, ParamSpec
from . import base


class Workload(base.Workload):
    name = "square"
    specs = (ParamSpec("count", INT, "100000", 1, 1e8),)

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.count = self.params.get_int("count")

    def task_count(self):
        return self.count

    def encode_task(self, index):
        return codec.u64(index)

    def compute(self, task):
        x = codec.ByteReader(task).u64()
        return codec.u64(x * x)  # wraps modulo 2^64 like the C++ uint64 product

    def summarize(self, results):
        total = sum(codec.ByteReader(r).u64() for r in results) & codec.MASK64
        return "sum of x*x for x in [0, %d) = %d (mod 2^64)" % (self.count, total)
