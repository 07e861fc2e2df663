"""sleep: each task blocks for a fixed time, like waiting on a reply (port of sleep.cpp).
time.sleep releases the GIL, so threads wait in parallel here too."""

import time

from .. import codec
from ..params import DOUBLE, INT, ParamSpec
from . import base


class Workload(base.Workload):
    name = "sleep"
    specs = (
        ParamSpec("tasks", INT, "32", 1, 1e6),
        ParamSpec("ms", DOUBLE, "50", 0, 60000),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.tasks = self.params.get_int("tasks")
        self.ms = self.params.get_double("ms")

    def task_count(self):
        return self.tasks

    def encode_task(self, index):
        # static_cast<int64_t>(ms * 1e6) truncates toward zero, as int() does.
        return codec.ByteWriter().u64(index).i64(int(self.ms * 1e6)).take()

    def compute(self, task):
        r = codec.ByteReader(task)
        index = r.u64()
        ns = r.i64()
        if ns > 0:
            time.sleep(ns / 1e9)  # one plain sleep, as Python code would do it
        return codec.u64(index)

    def summarize(self, results):
        return "%d tasks slept %f ms each" % (len(results), self.ms)
