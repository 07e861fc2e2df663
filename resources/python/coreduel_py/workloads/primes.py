"""primes: count the primes in a range by trial division (port of primes.cpp).

Slices are cut equal in x^1.5 (the cost of trial division up to x), with the same double
arithmetic as the C++ so that both sides cut at exactly the same numbers.
"""

import math

from .. import codec
from ..params import INT, InvalidArgument, ParamSpec
from . import base


def is_prime(n):
    # Same test as the C++ (odd divisors while d*d <= n), written the way Python code does it:
    # d <= isqrt(n) is the same bound as d*d <= n.
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    for d in range(3, math.isqrt(n) + 1, 2):
        if n % d == 0:
            return False
    return True


def llround(x):
    """std::llround: nearest integer, halves away from zero (Python's round() goes to even)."""
    t = math.trunc(x)
    frac = x - t  # exact for doubles
    if frac >= 0.5:
        return t + 1
    if frac <= -0.5:
        return t - 1
    return t


class Workload(base.Workload):
    name = "primes"
    specs = (
        ParamSpec("start", INT, "0", 0, 1e12),
        ParamSpec("end", INT, "6000000", 1, 1e12),
        ParamSpec("tasks", INT, "256", 1, 1e6),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.begin = self.params.get_int("start")
        self.end = self.params.get_int("end")
        self.tasks = self.params.get_int("tasks")
        if self.end <= self.begin:
            raise InvalidArgument(
                "primes: 'end' (%d) must be greater than 'start' (%d)" % (self.end, self.begin)
            )
        if self.end - self.begin < self.tasks:
            raise InvalidArgument(
                "primes: the range [start, end) must hold at least 'tasks' (%d) numbers" % self.tasks
            )

    def task_count(self):
        return self.tasks

    def boundary(self, i):
        """Start of slice i: equal steps in x^1.5, clamped so slices stay ordered and non-empty."""
        if i == 0:
            return self.begin
        if i >= self.tasks:
            return self.end
        lo = math.pow(float(self.begin), 1.5)
        hi = math.pow(float(self.end), 1.5)
        x = math.pow(lo + (hi - lo) * float(i) / float(self.tasks), 2.0 / 3.0)
        v = llround(x)
        return min(max(v, self.begin + i), self.end - (self.tasks - i))

    def encode_task(self, index):
        return codec.u64(self.boundary(index)) + codec.u64(self.boundary(index + 1))

    def compute(self, task):
        r = codec.ByteReader(task)
        first = r.u64()
        last = r.u64()
        count = 0
        total = 0
        for n in range(first, last):
            if is_prime(n):
                count += 1
                total += n
        # The C++ sum is a uint64 that wraps; ByteWriter.u64 masks to the same value.
        return codec.ByteWriter().u64(count).u64(total).take()

    def summarize(self, results):
        count = sum(codec.ByteReader(r).u64() for r in results)
        return "%d primes in [%d, %d)" % (count, self.begin, self.end)
