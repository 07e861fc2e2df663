"""processes: multiprocessing Pool(N).imap(fn, tasks, chunksize=C) under the engine's start
method, with a watchdog for workers that die or hang, and a teardown that leaves no process
behind whatever happened.
"""

import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
import time

from . import failure, procstat, protocol, worker
from .channel import Batch
from .watchdog import PoolWatch

POLL_S = 0.1


def run(job):
    ctx = multiprocessing.get_context(job.start_method)
    if job.start_method == "forkserver":
        # What a script's own __main__ preload gives its workers: the task code already imported.
        ctx.set_forkserver_preload(["coreduel_py.worker"])
    n = job.workers
    job.control.children = True

    t0 = time.monotonic_ns()
    job.workload.serial_part(job.control.stop_requested)
    serial_ns = time.monotonic_ns() - t0
    if job.control.stop_requested():
        raise failure.Stopped(job.control.code)

    pool_start = time.monotonic_ns()
    room = 2 * n + 2  # slots for the original workers and for replacements made meanwhile
    slots = ctx.Value("i", 0)
    cur_task = ctx.Array("q", [-1] * room, lock=False)
    cur_start = ctx.Array("q", room, lock=False)
    slot_pid = ctx.Array("i", room, lock=False)
    ready = ctx.Array("q", [-1] * room, lock=False)
    shared = job.workload.shared_state(ctx)
    pool = ctx.Pool(n, initializer=worker.init, initargs=(
        job.name, job.params, shared, slots, cur_task, cur_start, slot_pid, ready))
    originals = list(pool._pool)
    job.control.killer = lambda: _kill_all(pool, originals)
    job.control.on_stop = lambda: _stop_replacing(pool)
    try:
        info, results = _collect(job, pool, originals, PoolWatch(
            originals, cur_task, cur_start, slot_pid, job.timeout_s), slot_pid, ready)
    except BaseException:
        teardown(pool, originals)
        raise
    info.update(t0_ns=t0, serial_ns=serial_ns, pool_start_ns=pool_start,
                start_method=job.start_method, chunksize=job.chunksize,
                chunks=(len(job.tasks) + job.chunksize - 1) // job.chunksize)
    return info, results


def _collect(job, pool, originals, watch, slot_pid, ready):
    worker_of = {}
    for w, p in enumerate(originals):
        worker_of[p.pid] = w
        job.channel.send(protocol.worker(w, p.pid, p.pid))
    n = len(originals)
    counts = [0] * n
    results = {}
    batch = Batch(job.channel)
    # Pool.imap(fn, tasks, chunksize=C) sends the same chunks, but for C > 1 returns a plain
    # generator without next(timeout): so the chunks are cut here (as Pool._get_tasks cuts
    # them) and imap gets one chunk per item; for C == 1 it is the plain call.
    c = job.chunksize
    if c == 1:
        it = pool.imap(worker.run, job.tasks)
    else:
        chunks = [job.tasks[i:i + c] for i in range(0, len(job.tasks), c)]
        it = pool.imap(worker.run_chunk, chunks)
    pending = []  # results of the chunk being handed out
    next_check = time.monotonic_ns()
    while True:
        if job.control.stop_requested():
            raise failure.Stopped(job.control.code)
        now = time.monotonic_ns()
        if now >= next_check:  # also while results keep streaming in
            watch.check()
            next_check = now + int(POLL_S * 1e9)
        if not pending:
            try:
                r = it.next(timeout=POLL_S)
            except StopIteration:
                break
            except multiprocessing.TimeoutError:
                batch.flush()
                continue
            received = time.monotonic_ns()
            pending = list(reversed(r)) if c > 1 else [r]
        r = pending.pop()
        if r[0] == "error":
            _, index, slot, pid, text = r
            w = worker_of.get(pid, -1)
            raise failure.JobError("task %d raised %s" % (index, text), index, w, pid)
        index, slot, pid, tid, start, end, cpu, out = r
        w = worker_of.get(pid)
        if w is None:  # a replacement for a dead worker, in the 0.1 s before the watchdog says so
            w = worker_of[pid] = len(worker_of)
            job.channel.send(protocol.worker(w, pid, pid))
        out = job.workload.from_worker(out)
        batch.add(protocol.result(index, w, pid, tid, start, end, cpu, received, out))
        results[index] = out
        if w < n:
            counts[w] += 1
    batch.flush()
    workers = []
    for w, p in enumerate(originals):  # before close/join: /proc/PID goes with the process
        stats = procstat.process(p.pid)
        slot = _slot_of(slot_pid, p.pid)
        stats.update(worker=w, pid=p.pid, tid=p.pid, tasks=counts[w],
                     ready_ns=ready[slot] if slot >= 0 else -1)
        workers.append(stats)
    pool.close()
    pool.join()
    t1 = time.monotonic_ns()
    _drop_finalizer(pool)  # closed and joined: nothing left for terminate() to do at exit
    return {"t1_ns": t1, "workers": workers}, [results[i] for i, _ in job.tasks]


def _slot_of(slot_pid, pid):
    for slot in range(len(slot_pid)):
        if slot_pid[slot] == pid:
            return slot
    return -1


def _kill_all(pool, originals):
    procs = list(originals)
    for p in list(getattr(pool, "_pool", ())):
        if p not in procs:
            procs.append(p)
    for p in procs:
        try:
            if p.exitcode is None:
                os.kill(p.pid, signal.SIGKILL)
        except (OSError, ValueError, AttributeError):
            pass
    return procs


def _stop_replacing(pool):
    """Tell the pool's worker-handler thread to stop replacing dead workers (it checks every
    0.1 s). Called as soon as a stop is requested: SIGTERM to the process group also kills
    the fork server, and a handler still trying to start workers through it dies noisily."""
    try:
        pool._worker_handler._state = multiprocessing.pool.TERMINATE
    except AttributeError:
        pass


def teardown(pool, originals):
    """Stops the pool after an error or a stop request: bounded in time, leaves no worker.

    Pool.terminate() is not used: it can hang for good. An idle worker waits for tasks
    holding the task queue's read lock, and once it has been killed (SIGTERM to the process
    group, SIGKILL) terminate() waits for that lock forever; and if the fork server died with
    the group, the worker handler thread dies and terminate() waits on the task handler. The
    runner exits right after this anyway, so: stop replacements, SIGKILL and reap every
    worker, and drop the pool's exit-time finalizer; the pool's daemon threads end with the
    process, and release_helpers() unlinks its semaphores."""
    _stop_replacing(pool)
    handler = getattr(pool, "_worker_handler", None)
    if handler is not None and handler is not threading.current_thread():
        handler.join(1.0)  # so that it cannot start one more worker after the kill below
    deadline = time.monotonic() + 2.0
    for p in _kill_all(pool, originals):
        try:
            p.join(max(0.0, deadline - time.monotonic()))
        except (OSError, ValueError, AssertionError):
            pass
    _drop_finalizer(pool)


def _drop_finalizer(pool):
    # Pool registers terminate() to run at exit; release_helpers() runs exit finalizers.
    fin = getattr(pool, "_terminate", None)
    cancel = getattr(fin, "cancel", None)
    if cancel is not None:
        cancel()


def release_helpers():
    """Before the runner exits: let multiprocessing unlink what it created (named semaphores
    under spawn/forkserver), then stop the resource tracker and the fork server and reap them,
    so that no process of ours outlives the runner, not even for a moment."""
    from multiprocessing import util

    try:
        util._run_finalizers(0)
    except Exception as e:
        sys.stderr.write("coreduel_py: multiprocessing finalizers: %s\n" % e)
    for module, name in (("multiprocessing.resource_tracker", "_resource_tracker"),
                         ("multiprocessing.forkserver", "_forkserver")):
        helper = getattr(sys.modules.get(module), name, None)
        stop = getattr(helper, "_stop", None)
        if stop is None:
            continue
        t = threading.Thread(target=_quietly, args=(stop,), daemon=True)
        t.start()
        t.join(3.0)


def _quietly(fn):
    try:
        fn()
    except Exception as e:
        sys.stderr.write("coreduel_py: stopping a multiprocessing helper: %s\n" % e)
