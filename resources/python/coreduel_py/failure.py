"""How a run ends other than with DONE: an ERROR for the engine, or a stop it asked for.

The messages are meant to be read by a person in the engine's report, so each names the
task, the worker, its pid and the signal when there is one.
"""

import signal as _signal


class JobError(Exception):
    """Ends the run with an ERROR message (then exit status 3)."""

    def __init__(self, text, task=-1, worker=-1, pid=-1, signal=0):
        Exception.__init__(self, text)
        self.text, self.task, self.worker, self.pid, self.signal = text, task, worker, pid, signal


class Stopped(Exception):
    """The engine asked us to stop (SIGTERM, CANCEL, EOF): tear down, no message, exit `code`."""

    def __init__(self, code):
        Exception.__init__(self, "stopped (exit status %d)" % code)
        self.code = code


def signal_name(num):
    try:
        return _signal.Signals(num).name
    except ValueError:
        return "signal %d" % num


def describe(exc):
    """"Type: message", then the traceback a workload attached (a user function's frames)."""
    text = ("%s: %s" % (type(exc).__name__, exc)).rstrip(": ")
    tb = getattr(exc, "coreduel_traceback", None)
    return text + "\n" + tb if tb else text


def task_raised(task, worker, pid, exc):
    text = "task %d raised %s" % (task, describe(exc))
    return JobError(text, task, worker, pid)


def worker_died(worker, pid, exitcode, task, started):
    """A pool worker process is gone: how (signal or exit status) and what it was doing."""
    if task >= 0:
        doing = "while running task %d" % task
    elif started:
        doing = "while waiting for a task"
    else:
        doing = "while starting (before its initializer ran)"
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        text = "worker %d (pid %d) was killed by signal %d (%s) %s" % (
            worker, pid, sig, signal_name(sig), doing)
        return JobError(text, task, worker, pid, sig)
    text = "worker %d (pid %d) exited with status %s %s" % (worker, pid, exitcode, doing)
    return JobError(text, task, worker, pid, 0)


def timed_out(task, worker, pid, timeout_s):
    text = "task %d on worker %d (pid %d) ran longer than the %s s timeout" % (
        task, worker, pid, float(timeout_s))
    return JobError(text, task, worker, pid, 0)
