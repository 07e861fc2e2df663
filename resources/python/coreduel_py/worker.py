"""What runs inside a multiprocessing.Pool worker process: the initializer and the task function.

Both are module-level functions of an importable module, so every start method (fork, spawn,
forkserver) can pickle them by reference. A worker never writes to the engine's pipe: it
returns its results, with its own timings, through the pool.
"""

import os
import signal
import threading
import time
import traceback

from . import failure, workloads

_state = None  # this worker's: (workload, slot, pid, tid, cur_task, cur_start)


def init(name, params, shared, slots, cur_task, cur_start, slot_pid, ready_ns):
    global _state
    # SIGTERM to the process group must kill a worker, not run the runner's handler (which a
    # forked worker inherits); SIGINT is the runner's to handle, it tears the pool down.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with slots.get_lock():
        slot = slots.value
        slots.value += 1
    pid = os.getpid()
    if slot >= len(slot_pid):
        slot = -1  # a replacement beyond the room kept for them: not watched
    else:
        slot_pid[slot] = pid
    workload = workloads.create(name, params)
    workload.attach(shared)
    _state = (workload, slot, pid, threading.get_native_id(), cur_task, cur_start)
    if slot >= 0:
        ready_ns[slot] = time.monotonic_ns()


def run_chunk(items):
    """A chunk of tasks, as Pool.imap(..., chunksize=C) hands one to a worker (its mapstar):
    the results go back together, in order. Stops at a failed task, as mapstar would."""
    out = []
    for item in items:
        r = run(item)
        out.append(r)
        if r[0] == "error":
            break
    return out


def run(item):
    """(index, task bytes) -> (index, slot, pid, tid, start_ns, end_ns, cpu_ns, result bytes),
    or ("error", index, slot, pid, text) when the task raised."""
    index, data = item
    workload, slot, pid, tid, cur_task, cur_start = _state
    if slot >= 0:
        cur_start[slot] = time.monotonic_ns()  # start first: the watchdog reads task, then start
        cur_task[slot] = index
    cpu0 = time.thread_time_ns()
    start = time.monotonic_ns()
    try:
        out = workload.compute(data)
    except Exception as e:
        traceback.print_exc()  # the worker's stderr is the engine's: the full story goes there
        text = failure.describe(e)
        return ("error", index, slot, pid, text)
    end = time.monotonic_ns()
    cpu = time.thread_time_ns() - cpu0
    if slot >= 0:
        cur_task[slot] = -1
    return (index, slot, pid, tid, start, end, cpu, out)
