"""sequential: a for loop over the tasks in the main thread."""

import os
import threading
import time
import traceback

from . import failure, procstat, protocol, watchdog
from .channel import Batch


def run(job):
    pid = os.getpid()
    tid = threading.get_native_id()
    job.channel.send(protocol.worker(0, pid, tid))
    ready_ns = time.monotonic_ns()
    table = watchdog.Table(1)
    if job.timeout_ns > 0:
        def overdue(worker, task):
            job.fail_now(failure.timed_out(task, 0, pid, job.timeout_s))
        watchdog.start_thread(table, job.timeout_ns, overdue)

    t0 = time.monotonic_ns()
    job.workload.serial_part(job.control.stop_requested)
    serial_ns = time.monotonic_ns() - t0
    compute = job.workload.compute
    batch = Batch(job.channel)
    results = []
    for index, data in job.tasks:
        cpu0 = time.thread_time_ns()
        start = time.monotonic_ns()
        table.begin(0, index, start)
        try:
            out = compute(data)
        except Exception as e:
            traceback.print_exc()
            raise failure.task_raised(index, 0, pid, e)
        end = time.monotonic_ns()
        cpu = time.thread_time_ns() - cpu0
        table.finish(0)
        batch.add(protocol.result(index, 0, pid, tid, start, end, cpu, end, out))
        results.append(out)
    batch.flush()
    stats = procstat.thread(tid)
    t1 = time.monotonic_ns()
    stats.update(worker=0, pid=pid, tid=tid, ready_ns=ready_ns, tasks=len(results))
    info = {"t0_ns": t0, "t1_ns": t1, "serial_ns": serial_ns, "pool_start_ns": t0,
            "workers": [stats], "start_method": None, "chunksize": 1, "chunks": len(results)}
    return info, results
