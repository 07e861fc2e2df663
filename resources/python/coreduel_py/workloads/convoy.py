"""convoy: the convoy effect (port of convoy.cpp; Beazley, PyCon 2010; ccbench's latency test).

Task 0 is a latency probe, an I/O-style thread answering a ping every `every_ms`: it sleeps
(time.sleep releases the GIL), wakes, and records how late it got to run Python code again,
which on a GIL build means once it has the GIL back. Tasks 1..tasks are primes' slices,
computed by the other threads or processes meanwhile.

The probe's result is the ping count followed by the measured delays (ns); the engine moves
the delays out (Workload::takeMeasurements) before it checksums the results.
"""

import time

from .. import codec
from ..params import DOUBLE, INT, ParamSpec
from . import base
from . import primes


class Workload(base.Workload):
    name = "convoy"
    specs = (
        ParamSpec("pings", INT, "100", 1, 100000),
        ParamSpec("every_ms", DOUBLE, "5", 0.1, 1000),
        ParamSpec("end", INT, "3000000", 1, 1e12),
        ParamSpec("tasks", INT, "64", 1, 1e6),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.pings = self.params.get_int("pings")
        # static_cast<int64_t>(ms * 1e6) truncates toward zero, as int() does.
        self.every_ns = int(self.params.get_double("every_ms") * 1e6)
        self.cpu = primes.Workload({"end": str(self.params.get_int("end")),
                                    "tasks": str(self.params.get_int("tasks"))})

    def task_count(self):
        return 1 + self.cpu.task_count()

    def encode_task(self, index):
        if index == 0:
            return codec.ByteWriter().u64(0).u64(self.pings).i64(self.every_ns).take()
        return codec.u64(1) + self.cpu.encode_task(index - 1)

    def compute(self, task):
        r = codec.ByteReader(task)
        if r.u64() != 0:
            return self.cpu.compute(task[8:])
        pings = r.u64()
        every_ns = r.i64()
        out = codec.ByteWriter().u64(pings)
        clock = time.monotonic_ns
        for _ in range(pings):
            due = clock() + every_ns
            now = clock()
            while now < due:
                time.sleep((due - now) / 1e9)
                now = clock()
            # Back from the sleep, able to run Python again (with the GIL, on a GIL build).
            out.i64(clock() - due)
        return out.take()

    def take_measurements(self, results):
        if not results:
            return []
        r = codec.ByteReader(results[0])
        delays = [r.i64() for _ in range(r.u64())]
        results[0] = results[0][:8]
        return delays

    def summarize(self, results):
        pings = codec.ByteReader(results[0]).u64() if results else 0
        return "%d pings answered beside %s" % (pings, self.cpu.summarize(results[1:]))
