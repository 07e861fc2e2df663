"""counter: the isolation lesson (port of counter.cpp).

Every task adds 1 to a shared counter `increments` times:
  unlocked       `counter += 1` on a module global: whatever this interpreter makes of the
                 race (CPython 3.10+ with the GIL rarely switches inside it; free-threaded
                 builds lose updates). No artificial sleeps: the point is the real behaviour.
  locked         the same under a threading.Lock.
  shared-memory  a multiprocessing Value('Q') created before the pool and incremented under
                 its lock: the only mode in which worker processes add to the same counter.
Worker processes each have their own copy of the module global, so in the first two modes
the main process's counter stays at 0. Task results are the increments done (the same in
every model, so runs verify); what happened to the counter goes in DONE.summary.
"""

import threading

from .. import codec
from ..params import INT, STRING, InvalidArgument, ParamSpec
from . import base

MODES = ("unlocked", "locked", "shared-memory")

_count = 0  # this process's counter (module global, as a Python user would write it)
_lock = threading.Lock()


def add_unlocked(n):
    global _count
    for _ in range(n):
        _count += 1


def add_locked(n):
    global _count
    for _ in range(n):
        with _lock:
            _count += 1


def add_shared(n, value):
    lock = value.get_lock()
    for _ in range(n):
        with lock:
            value.value += 1


class Workload(base.Workload):
    name = "counter"
    specs = (
        ParamSpec("tasks", INT, "4", 1, 10000),
        ParamSpec("increments", INT, "5000000", 1, 1e10),
        ParamSpec("mode", STRING, "unlocked"),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.tasks = self.params.get_int("tasks")
        self.increments = self.params.get_int("increments")
        self.mode = self.params.get_string("mode")
        if self.mode not in MODES:
            raise InvalidArgument(
                "counter: mode must be unlocked, locked or shared-memory (got '%s')" % self.mode
            )
        self.shared = None

    def task_count(self):
        return self.tasks

    def begin_run(self, mode):
        global _count
        _count = 0

    def shared_state(self, ctx):
        if self.mode == "shared-memory":
            self.shared = ctx.Value("Q", 0)
        return self.shared

    def attach(self, shared):
        self.shared = shared

    def encode_task(self, index):
        # The C++ sends the path of its memfd here; a Python worker gets the Value instead.
        return codec.ByteWriter().u64(self.increments).str("").take()

    def compute(self, task):
        r = codec.ByteReader(task)
        n = r.u64()
        r.str()  # the engine's memfd path: not used by the interpreter
        if self.mode == "unlocked":
            add_unlocked(n)
        elif self.mode == "locked":
            add_locked(n)
        else:
            if self.shared is None:
                raise RuntimeError("counter: shared-memory mode without its shared Value")
            add_shared(n, self.shared)
        return codec.u64(n)

    def run_summary(self, results, mode):
        done = sum(codec.ByteReader(r).u64() for r in results)
        seen = self.shared.value if self.mode == "shared-memory" else _count
        of = "%d of %d" % (seen, done)
        if mode == "processes" and self.mode != "shared-memory":
            return ("counter in the interpreter's main process: %s: each worker process "
                    "incremented its own copy" % of)
        if seen == done:
            return "counter: %s, no update lost" % of
        return "counter: %s, %d updates lost" % (of, done - seen)

    def summarize(self, results):
        return self.run_summary(results, "sequential")
