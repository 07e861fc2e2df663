"""fault: fails on purpose in one task (port of fault.cpp), to show and test how a failure
is isolated and reported.

Unlike the C++ engine (which refuses crash modes in-process, as they would take it down),
the interpreter really crashes in every model: in sequential and threads mode that ends the
interpreter itself, which is the isolation lesson, and the engine reports how it died.
"""

import os
import signal
import time

from .. import codec
from ..params import DOUBLE, INT, STRING, InvalidArgument, ParamSpec
from . import base

MODES = ("none", "throw", "segv", "abort", "exit", "kill", "hang")


class Workload(base.Workload):
    name = "fault"
    specs = (
        ParamSpec("mode", STRING, "throw"),
        ParamSpec("tasks", INT, "8", 1, 100000),
        ParamSpec("task", INT, "3", 0, 99999),
        ParamSpec("work_ms", DOUBLE, "2", 0, 10000),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.mode = self.params.get_string("mode")
        if self.mode not in MODES:
            raise InvalidArgument(
                "fault: 'mode' must be one of none, throw, segv, abort, exit, kill, hang "
                "(got '%s')" % self.mode
            )
        self.tasks = self.params.get_int("tasks")
        self.failing = self.params.get_int("task")
        self.work_ms = self.params.get_double("work_ms")
        if self.failing >= self.tasks:
            raise InvalidArgument("fault: 'task' must be below 'tasks' (%d)" % self.tasks)

    def task_count(self):
        return self.tasks

    def encode_task(self, index):
        return codec.ByteWriter().u64(index).u64(self.failing).str(self.mode).f64(self.work_ms).take()

    def compute(self, task):
        r = codec.ByteReader(task)
        index = r.u64()
        failing = r.u64()
        mode = r.str()
        work_ms = r.f64()
        until = time.monotonic_ns() + int(work_ms * 1e6)
        while time.monotonic_ns() < until:  # a little real work before failing
            pass
        if index == failing and mode != "none":
            _fail(index, mode)
        return codec.u64(index)

    def summarize(self, results):
        return "%d tasks, none failed" % len(results)


def _fail(index, mode):
    if mode == "throw":
        raise RuntimeError("task %d failed on purpose (fault mode throw)" % index)
    if mode == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif mode == "abort":
        os.abort()
    elif mode == "exit":
        os._exit(3)
    elif mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    # hang, and the moments before a signal to ourselves is acted on: wait, in slices.
    while True:
        time.sleep(0.005)
