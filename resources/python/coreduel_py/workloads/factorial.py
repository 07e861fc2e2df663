"""factorial: exact n! for each value (port of factorial.cpp, GMP there, math.factorial here).

Each result is n, the number of decimal digits and their sum: str() is most of the cost, as
the decimal conversion is in the C++.
"""

import math
import sys

from .. import codec
from ..params import INT_LIST, ParamSpec
from . import base


def _allow_long_str():
    # Python 3.11 (and the 3.8-3.10 security releases) refuse str() of ints over 4300 digits.
    setter = getattr(sys, "set_int_max_str_digits", None)
    if setter is not None:
        setter(0)


class Workload(base.Workload):
    name = "factorial"
    specs = (ParamSpec("values", INT_LIST, "10000,20000,30000,40000,50000", 0, 5e6),)

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.values = self.params.get_int_list("values")
        _allow_long_str()

    def task_count(self):
        return len(self.values)

    def encode_task(self, index):
        return codec.u64(self.values[index])

    def compute(self, task):
        n = codec.ByteReader(task).u64()
        _allow_long_str()  # per process: a pool worker may not have built this object
        text = str(math.factorial(n))
        # The digit sum only verifies the result; counting each digit keeps it out of the timing.
        digit_sum = sum(d * text.count(str(d)) for d in range(1, 10))
        return codec.ByteWriter().u64(n).u64(len(text)).u64(digit_sum).take()

    def summarize(self, results):
        parts = []
        for res in results:
            r = codec.ByteReader(res)
            n, digits, total = r.u64(), r.u64(), r.u64()
            parts.append("%d!: %d digits, digit sum %d" % (n, digits, total))
        return "; ".join(parts)
