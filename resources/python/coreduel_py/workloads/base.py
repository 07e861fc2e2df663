"""What every ported workload provides: the Python side of coreduel::Workload (workload.h)."""

from ..params import ParamValues


class Workload:
    """One job cut into tasks.

    encode_task / compute mirror the C++ encodeTask / compute byte for byte; compute is a pure
    function of the task bytes (plus, for counter, the interpreter state being demonstrated),
    so a pool worker that only gets the bytes computes the same result.
    """

    name = ""
    specs = ()

    def __init__(self, params):
        self.params = ParamValues(self.name, list(self.specs), params)

    def task_count(self):
        raise NotImplementedError

    def encode_task(self, index):
        """The bytes the engine sends for task `index` (used by `check` and the tests)."""
        raise NotImplementedError

    def compute(self, task):
        """Task bytes in, result bytes out."""
        raise NotImplementedError

    def summarize(self, results):
        """Readable account of the results, like the C++ summarize()."""
        return "%d tasks" % len(results)

    # -- hooks only some workloads need ------------------------------------------------------

    def take_measurements(self, results):
        """Moves out what tasks measured inside their results (C++ takeMeasurements: the engine
        does it before its checksum) and returns it; the standalone check does the same."""
        return []

    def prepare(self):
        """Standalone use only (the engine prepares its own data): e.g. fileio's folder."""

    def cleanup(self):
        """Undoes prepare(); safe to call twice."""

    def begin_run(self, mode):
        """Before the timed window: reset state shared between tasks (C++ beforeRun)."""

    def serial_part(self, should_stop):
        """Inside the timed window, before any task: the part that cannot be parallelised.
        Returns early once should_stop() is true."""

    def shared_state(self, ctx):
        """Created in the main process before the pool and handed to every worker process
        (through the pool initializer); None when the workload shares nothing."""
        return None

    def attach(self, shared):
        """In a worker process: take the object shared_state() created."""

    def from_worker(self, out):
        """In the runner, for what a pool worker's compute() returned: the result bytes."""
        return out

    def run_summary(self, results, mode):
        """What DONE.summary reports (None: the engine summarises from the results itself)."""
        return None
