"""Noticing tasks that run too long and pool workers that died.

multiprocessing.Pool replaces a dead worker and waits forever for the task it lost, and a
hung task never returns: so the main thread polls (every 0.1 s) what each worker is doing.
In-process (sequential, threads) that is a plain table; for worker processes it lives in
shared memory that each worker updates around every task.
"""

import threading
import time

from . import failure


class Table:
    """(task, start_ns) per in-process worker; task -1 when idle. The GIL (or, free-threaded,
    single-item list stores) keeps each entry consistent enough for a timeout check."""

    def __init__(self, n):
        self.entries = [(-1, 0)] * n

    def begin(self, worker, task, start_ns):
        self.entries[worker] = (task, start_ns)

    def finish(self, worker):
        self.entries[worker] = (-1, 0)

    def overdue(self, timeout_ns):
        """(worker, task) of a task past the timeout, or None."""
        if timeout_ns <= 0:
            return None
        now = time.monotonic_ns()
        for worker, (task, start) in enumerate(self.entries):
            if task >= 0 and now - start > timeout_ns:
                return worker, task
        return None


def start_thread(table, timeout_ns, on_overdue, period_s=0.05):
    """For sequential runs, whose main thread is busy computing: checks the table from a
    daemon thread and calls on_overdue(worker, task) once."""

    def loop():
        while True:
            time.sleep(period_s)
            hit = table.overdue(timeout_ns)
            if hit is not None:
                on_overdue(*hit)
                return

    t = threading.Thread(target=loop, name="coreduel-watchdog", daemon=True)
    t.start()
    return t


class PoolWatch:
    """What the original pool workers are doing, from the shared arrays worker.py fills in.

    A worker takes a slot in its initializer and records its pid, then (start, task) around
    every task. Workers are named by their index in pool._pool, as the WORKER messages were."""

    def __init__(self, processes, cur_task, cur_start, slot_pid, timeout_s):
        self.processes = processes  # pool._pool right after creation, in order
        self.cur_task = cur_task
        self.cur_start = cur_start
        self.slot_pid = slot_pid
        self.timeout_s = timeout_s
        self.timeout_ns = int(timeout_s * 1e9)

    def _slot_of(self, pid):
        for slot in range(len(self.slot_pid)):
            if self.slot_pid[slot] == pid:
                return slot
        return -1

    def check(self):
        """Raises failure.JobError for a dead worker or an overdue task."""
        for worker, proc in enumerate(self.processes):
            code = proc.exitcode
            if code is not None:
                slot = self._slot_of(proc.pid)
                task = self.cur_task[slot] if slot >= 0 else -1
                raise failure.worker_died(worker, proc.pid, code, task, slot >= 0)
        if self.timeout_ns > 0:
            now = time.monotonic_ns()
            for worker, proc in enumerate(self.processes):
                slot = self._slot_of(proc.pid)
                if slot < 0:
                    continue
                task = self.cur_task[slot]
                if task >= 0 and now - self.cur_start[slot] > self.timeout_ns:
                    # Re-read: the task may have finished between the two reads.
                    if self.cur_task[slot] == task:
                        raise failure.timed_out(task, worker, proc.pid, self.timeout_s)
