"""amdahl: CPU-bound work with a serial part of adjustable size (port of amdahl.cpp).

The serial units run in the interpreter's main process inside the timed window, before the
pool exists (as the engine runs them on its engine thread); the rest is cut into equal tasks.
A unit is 200 000 rounds of xorshift64*, masked to 64 bits where the C++ wraps. In CPython a
unit costs about 100x what it costs in C++: keep `units` small.
"""

from .. import codec
from ..params import DOUBLE, INT, InvalidArgument, ParamSpec
from . import base
from .primes import llround

_MASK = 0xFFFFFFFFFFFFFFFF
_MUL = 0x2545F4914F6CDD1D


def spin_unit(state):
    for _ in range(200000):
        state ^= state >> 12
        state ^= (state << 25) & _MASK
        state ^= state >> 27
        state = (state * _MUL) & _MASK
    return state


def slice_of(begin, end, index, tasks):
    """[first, last) of slice `index`: floor(len * i / tasks), as sliceOf in factories.h."""
    n = end - begin
    return begin + n * index // tasks, begin + n * (index + 1) // tasks


class Workload(base.Workload):
    name = "amdahl"
    specs = (
        ParamSpec("units", INT, "3000", 1, 1e7),
        ParamSpec("serial", DOUBLE, "20", 0, 95),
        ParamSpec("tasks", INT, "64", 1, 1e6),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.units = self.params.get_int("units")
        self.serial_units = llround(float(self.units) * self.params.get_double("serial") / 100.0)
        self.tasks = self.params.get_int("tasks")
        if self.units - self.serial_units < self.tasks:
            raise InvalidArgument(
                "amdahl: %d parallel units cannot fill %d tasks (raise units or lower tasks)"
                % (self.units - self.serial_units, self.tasks)
            )
        self.serial_state = 0

    def task_count(self):
        return self.tasks

    def serial_part(self, should_stop):
        state = 0x9E3779B97F4A7C15
        for _ in range(self.serial_units):
            if should_stop():
                break
            state = spin_unit(state)
        self.serial_state = state  # kept, as the C++ keeps it in a volatile

    def encode_task(self, index):
        first, last = slice_of(0, self.units - self.serial_units, index, self.tasks)
        return codec.u64(index) + codec.u64(last - first)

    def compute(self, task):
        r = codec.ByteReader(task)
        index = r.u64()
        units = r.u64()
        state = 0xD1B54A32D192ED03 ^ index
        for _ in range(units):
            state = spin_unit(state)
        return codec.u64(state)

    def summarize(self, results):
        x = 0
        for res in results:
            x ^= codec.ByteReader(res).u64()
        return (
            "%d units, %d of them serial (%s %%, in the interpreter's main process before the "
            "tasks); parallel states xor %d"
            % (self.units, self.serial_units, self.params.get_string("serial"), x)
        )
