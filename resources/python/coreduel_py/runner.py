"""The interpreter side of a CoreDuel run: HELLO, read the job, run it, DONE or ERROR.

Started by the engine as
    PYTHON -u -s -E -c "import sys; sys.path.insert(0, DIR); import coreduel_py.runner as r; r.main()"
(or `python3 -m coreduel_py.runner` with DIR on sys.path). stdin carries the engine's messages,
stdout ours (see protocol.py), stderr is free text the engine shows when something fails.

Exit status: 0 after DONE; 3 after ERROR; 143 when stopped by SIGTERM, CANCEL or EOF on stdin
(130 for SIGINT, 129 for SIGHUP); 2 when the engine's messages break the protocol.
"""

import os
import sys

from . import procstat, protocol
from .channel import Channel

MODES = ("sequential", "threads", "processes")
START_METHODS = ("spawn", "fork", "forkserver")


def gil_state():
    """sys._is_gil_enabled() where there is one; True for CPython before 3.13; None unknown."""
    gil = getattr(sys, "_is_gil_enabled", None)
    if gil is not None:
        return bool(gil())
    if sys.implementation.name == "cpython" and sys.version_info < (3, 13):
        return True
    return None


def hello_info():
    gil_enabled = gil_state()
    return {
        "version": sys.version,
        "version_info": list(sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "executable": sys.executable,
        "gil_enabled": gil_enabled,
        "pid": os.getpid(),
        "free_threaded_build": _free_threaded_build(),
    }


def _free_threaded_build():
    # Free-threaded builds exist from 3.13 on. On POSIX their ABI flags hold a 't' exactly
    # when Py_GIL_DISABLED is set; sysconfig (several ms, it imports threading and more)
    # is asked only where there are no ABI flags.
    if sys.version_info < (3, 13):
        return False
    if getattr(sys, "abiflags", None) is not None:
        return "t" in sys.abiflags
    import sysconfig

    return sysconfig.get_config_var("Py_GIL_DISABLED") == 1


def read_job(fd):
    """SETUP, TASK*, END -> (setup dict, [(index, bytes)]); None when the pipe closes first."""
    msg = protocol.read_frame(fd)
    if msg is None:
        return None
    if msg[0] != protocol.SETUP:
        raise protocol.ProtocolError("expected SETUP, got message type %d" % msg[0])
    setup = protocol.decode_json(msg[1])
    tasks = []
    while True:
        msg = protocol.read_frame(fd)
        if msg is None:
            return None
        if msg[0] == protocol.END:
            break
        if msg[0] == protocol.CANCEL:
            return None
        if msg[0] != protocol.TASK:
            raise protocol.ProtocolError("expected TASK or END, got message type %d" % msg[0])
        tasks.append(protocol.decode_task(msg[1]))
    if len(tasks) != int(setup.get("tasks", len(tasks))):
        raise protocol.ProtocolError(
            "SETUP announced %s tasks, %d came" % (setup.get("tasks"), len(tasks)))
    return setup, tasks


class Job:
    """One run as SETUP described it, and the means to report on it."""

    def __init__(self, setup, tasks, channel, control):
        self.name = setup["workload"]
        self.params = {str(k): str(v) for k, v in setup.get("params", {}).items()}
        self.mode = setup.get("mode", "sequential")
        self.workers = max(1, int(setup.get("workers", 1)))
        self.chunksize = max(1, int(setup.get("chunksize", 1)))
        self.start_method = setup.get("start_method") or "spawn"
        self.switch_interval_s = float(setup.get("switch_interval_s") or 0.005)
        self.timeout_s = float(setup.get("task_timeout_s") or 0)
        self.timeout_ns = int(self.timeout_s * 1e9)
        self.tasks = tasks
        self.channel = channel
        self.control = control
        self.workload = None
        self.uses_processes = False

    def fail_now(self, err):
        """ERROR and exit from any thread: for a task that can only be abandoned (a hung
        thread cannot be stopped). Only when no worker process exists."""
        if self.control.finishing():
            self.channel.send(_error_frame(err), lock_timeout=2.0)
            _exit(3, False)


class _LocalContext:
    """The multiprocessing context shared_state() gets in sequential and threads runs, where
    nothing crosses a process: imported only if a workload asks (counter's shared-memory
    mode), and 'fork', whose locks need no resource-tracker process."""

    def __getattr__(self, name):
        import multiprocessing

        return getattr(multiprocessing.get_context("fork"), name)


def _error_frame(err):
    return protocol.error(err.text, err.task, err.worker, err.pid, err.signal)


def _exit(code, uses_processes):
    if uses_processes:
        from . import mode_processes

        mode_processes.release_helpers()
    try:
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(code)


def main():
    # The protocol gets a private copy of stdout, and fd 1 becomes stderr: a stray print()
    # (ours, a library's, a worker's) can then never corrupt the engine's stream, and spawned
    # workers do not even inherit the pipe (the copy is close-on-exec).
    out_fd = os.dup(1)
    os.dup2(2, 1)
    channel = Channel(out_fd)
    channel.send(protocol.hello(hello_info()))

    from . import control as control_mod, failure

    control = control_mod.Control()
    channel.on_broken = lambda: control.request_stop("the engine's end of stdout is closed", 143)
    control_mod.install_signal_handlers(control)
    try:
        job = read_job(0)
    except (protocol.ProtocolError, ValueError, KeyError) as e:
        sys.stderr.write("coreduel_py: bad message from the engine: %s\n" % e)
        _exit(2, False)
    if job is None:
        _exit(143, False)
    setup, tasks = job
    control_mod.start_reader(control)
    job = Job(setup, tasks, channel, control)
    job.uses_processes = job.mode == "processes"
    code = _run(job, failure)
    _exit(code, job.uses_processes)


def _run(job, failure):
    """Runs the job; returns the exit status after DONE or ERROR has been sent."""
    from . import workloads

    try:
        sys.setswitchinterval(job.switch_interval_s)
        if job.mode not in MODES:
            raise failure.JobError("unknown mode '%s' (%s)" % (job.mode, ", ".join(MODES)))
        if job.mode == "processes" and job.start_method not in START_METHODS:
            raise failure.JobError("unknown start method '%s' (%s)" % (
                job.start_method, ", ".join(START_METHODS)))
        job.workload = workloads.create(job.name, job.params)
        job.workload.begin_run(job.mode)
        if job.mode != "processes":
            job.workload.shared_state(_LocalContext())
        if job.mode == "sequential":
            from . import mode_sequential as mode
        elif job.mode == "threads":
            from . import mode_threads as mode
        else:
            from . import mode_processes as mode
        # The GIL as it is once the workload and the mode are imported (an extension module
        # without free-threading support switches it back on at import), and after the run.
        gil_before = gil_state()
        info, results = mode.run(job)
        gil_after = gil_state()
    except failure.Stopped as e:
        return e.code
    except Exception:
        if not job.control.finishing():
            # SIGTERM to the process group also kills the workers (and the fork server): what
            # failed meanwhile is a consequence of the stop, not something to report.
            return job.control.code
        return _report(job, failure, sys.exc_info()[1])
    if not job.control.finishing():
        return job.control.code
    info["summary"] = job.workload.run_summary(results, job.mode)
    info["switch_interval_s"] = sys.getswitchinterval()
    info["gil_enabled"] = (None if gil_before is None or gil_after is None
                           else gil_before or gil_after)
    # The interpreter's own peak memory (its pool workers report theirs): the py: run's
    # "engine", not the program that started it.
    info["max_rss_kib"] = procstat.process(os.getpid())["max_rss_kib"]
    order = ("t0_ns", "t1_ns", "serial_ns", "pool_start_ns", "workers", "summary",
             "switch_interval_s", "start_method", "chunksize", "chunks", "gil_enabled",
             "max_rss_kib")
    job.channel.send(protocol.done({k: info[k] for k in order}))
    return 0


def _report(job, failure, e):
    """Sends the ERROR for exception e; returns the exit status."""
    from .params import InvalidArgument

    if isinstance(e, failure.JobError):
        job.channel.send(_error_frame(e))
    elif isinstance(e, InvalidArgument):
        job.channel.send(protocol.error(str(e)))
    else:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__)
        job.channel.send(protocol.error("the Python runner failed: %s: %s" % (type(e).__name__, e)))
    return 3


if __name__ == "__main__":
    main()
