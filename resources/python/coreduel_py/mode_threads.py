"""threads: concurrent.futures.ThreadPoolExecutor, one future per task, under the real GIL
(or none, on a free-threaded build), with the switch interval the engine asked for."""

import os
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from . import failure, procstat, protocol, watchdog
from .channel import Batch


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def run(job):
    n = job.workers
    pid = os.getpid()
    compute = job.workload.compute
    table = watchdog.Table(n)
    threads = []  # per worker: [tid, ready_ns], in the order the initializers ran
    lock = threading.Lock()
    local = threading.local()

    def init():
        tid = threading.get_native_id()
        with lock:
            local.worker = len(threads)
            threads.append([tid, time.monotonic_ns()])
        job.channel.send(protocol.worker(local.worker, pid, tid))

    def task(index, data):
        w = local.worker
        cpu0 = time.thread_time_ns()
        start = time.monotonic_ns()
        table.begin(w, index, start)
        try:
            out = compute(data)
        except Exception as e:
            traceback.print_exc()
            return _Failed(failure.task_raised(index, w, pid, e))
        end = time.monotonic_ns()
        cpu = time.thread_time_ns() - cpu0
        table.finish(w)
        return index, w, threads[w][0], start, end, cpu, out

    t0 = time.monotonic_ns()
    job.workload.serial_part(job.control.stop_requested)
    serial_ns = time.monotonic_ns() - t0
    pool_start = time.monotonic_ns()
    executor = ThreadPoolExecutor(max_workers=n, initializer=init)
    pending = set(executor.submit(task, i, d) for i, d in job.tasks)
    batch = Batch(job.channel)
    results = {}
    counts = [0] * n
    while pending:
        finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
        for f in finished:
            r = f.result()
            if isinstance(r, _Failed):
                raise r.error
            index, w, tid, start, end, cpu, out = r
            batch.add(protocol.result(index, w, pid, tid, start, end, cpu, end, out))
            results[index] = out
            counts[w] += 1
        hit = table.overdue(job.timeout_ns)
        if hit is not None:
            raise failure.timed_out(hit[1], hit[0], pid, job.timeout_s)
    batch.flush()
    workers = []
    for w, (tid, ready) in enumerate(threads):
        stats = procstat.thread(tid)
        stats.update(worker=w, pid=pid, tid=tid, ready_ns=ready, tasks=counts[w])
        workers.append(stats)
    executor.shutdown(wait=True)
    t1 = time.monotonic_ns()
    info = {"t0_ns": t0, "t1_ns": t1, "serial_ns": serial_ns, "pool_start_ns": pool_start,
            "workers": workers, "start_method": None, "chunksize": 1, "chunks": len(job.tasks)}
    return info, [results[i] for i, _ in job.tasks]
