#!/usr/bin/env python3
"""Drives coreduel_py.runner the way the engine does, and checks what comes back.

Starts the runner with the engine's `-c` command line in a session of its own, reads HELLO,
sends SETUP / TASK... / END built with the package's own encoders, reads WORKER / RESULT /
DONE / ERROR, compares the checksum with one computed here sequentially, and afterwards
checks that no process of that session is left. One line of summary; exit status 0 when the
run ended as expected, 1 otherwise, 2 for bad arguments.

  drive_runner.py -w primes -p end=20000 -m processes -s spawn -n 2 -c 4
  drive_runner.py -w fault -p mode=kill -m processes --expect error --expect-signal 9
  drive_runner.py -w sleep -p ms=200 -m processes --sigterm-after 0.5 --expect stopped
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_DIR = os.path.dirname(HERE)  # resources/python
sys.path.insert(0, PKG_DIR)

from coreduel_py import protocol, workloads  # noqa: E402
from coreduel_py.checksum import Checksum  # noqa: E402


def runner_command(python, module_form=False):
    if module_form:  # needs PKG_DIR on PYTHONPATH, so no -E
        return [python, "-u", "-s", "-m", "coreduel_py.runner"]
    code = ("import sys; sys.path.insert(0, %r); import coreduel_py.runner as r; r.main()"
            % PKG_DIR)
    return [python, "-u", "-s", "-E", "-c", code]


def session_processes(sid):
    """pids of live (non-zombie) processes in session `sid`: all the runner could leave."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                text = f.read()
        except OSError:
            continue
        rest = text[text.rfind(")") + 2:].split()
        # rest[0] = state (field 3), rest[3] = session (field 6)
        if int(rest[3]) == sid and rest[0] != "Z":
            out.append((int(name), text[text.find("(") + 1:text.rfind(")")]))
    return out


def reference_checksum(workload, tasks):
    import multiprocessing

    workload.shared_state(multiprocessing.get_context("fork"))
    workload.begin_run("sequential")
    c = Checksum()
    for _, data in tasks:
        c.add_bytes(workload.compute(data))
    return c.value()


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("-w", "--workload", default="primes")
    ap.add_argument("-p", "--param", action="append", default=[], help="key=value")
    ap.add_argument("-m", "--mode", default="sequential", choices=("sequential", "threads", "processes"))
    ap.add_argument("-n", "--workers", type=int, default=2)
    ap.add_argument("-c", "--chunksize", type=int, default=1)
    ap.add_argument("-s", "--start-method", default="spawn", choices=("spawn", "fork", "forkserver"))
    ap.add_argument("--timeout", type=float, default=0.0, help="task_timeout_s")
    ap.add_argument("--switch-interval", type=float, default=0.005)
    ap.add_argument("--expect", default="done", choices=("done", "error", "stopped", "crash"),
                    help="crash: the interpreter itself dies (in-process segv/abort/kill)")
    ap.add_argument("--expect-signal", type=int, default=None)
    ap.add_argument("--expect-task", type=int, default=None)
    ap.add_argument("--expect-exit", type=int, default=None)
    ap.add_argument("--sigterm-after", type=float, default=None, help="SIGTERM the process group")
    ap.add_argument("--sigterm-runner-only", action="store_true", help="SIGTERM only the runner")
    ap.add_argument("--close-stdin-after", type=float, default=None)
    ap.add_argument("--cancel-after", type=float, default=None)
    ap.add_argument("--no-reference", action="store_true", help="skip the checksum comparison")
    ap.add_argument("--wait", type=float, default=60.0, help="longest run accepted (s)")
    ap.add_argument("--module-form", action="store_true",
                    help="start `python -m coreduel_py.runner` with PYTHONPATH instead of -c")
    ap.add_argument("-v", "--verbose", action="store_true")
    return ap.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    params = dict(p.partition("=")[::2] for p in a.param)
    workload = workloads.create(a.workload, params)
    workload.prepare()  # the engine's job: fileio's private folder
    try:
        return drive(a, workload)
    finally:
        workload.cleanup()


def drive(a, workload):
    tasks = [(i, workload.encode_task(i)) for i in range(workload.task_count())]
    setup = {"workload": a.workload, "params": workload.params.all(), "mode": a.mode,
             "workers": a.workers, "chunksize": a.chunksize, "start_method": a.start_method,
             "switch_interval_s": a.switch_interval, "task_timeout_s": a.timeout,
             "tasks": len(tasks)}
    problems = []
    t_start = time.monotonic()
    env = dict(os.environ, PYTHONPATH=PKG_DIR) if a.module_form else None
    proc = subprocess.Popen(runner_command(a.python, a.module_form), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, start_new_session=True, cwd="/", env=env)
    sid = proc.pid
    out_fd = proc.stdout.fileno()
    msg = protocol.read_frame(out_fd)
    hello_ms = (time.monotonic() - t_start) * 1000
    if msg is None or msg[0] != protocol.HELLO:
        print("FAIL: no HELLO (got %r)" % (msg,))
        proc.kill()
        return 1
    hello = protocol.decode_json(msg[1])
    payload = [protocol.setup(setup)] + [protocol.task(i, d) for i, d in tasks] + [protocol.end()]
    try:
        protocol.write_all(proc.stdin.fileno(), b"".join(payload))
    except BrokenPipeError:
        problems.append("the runner closed stdin while the job was sent")
    t_sent = time.monotonic()

    def later(delay, action):
        t = threading.Timer(delay, action)
        t.daemon = True
        t.start()

    if a.sigterm_after is not None:
        later(a.sigterm_after, (lambda: os.kill(sid, signal.SIGTERM)) if a.sigterm_runner_only
              else (lambda: os.killpg(sid, signal.SIGTERM)))
    if a.close_stdin_after is not None:
        later(a.close_stdin_after, proc.stdin.close)
    if a.cancel_after is not None:
        later(a.cancel_after, lambda: protocol.write_all(proc.stdin.fileno(), protocol.cancel()))
    watchdog = threading.Timer(a.wait, lambda: os.killpg(sid, signal.SIGKILL))
    watchdog.daemon = True
    watchdog.start()

    workers, results, done, error = {}, {}, None, None
    while True:
        msg = protocol.read_frame(out_fd)
        if msg is None:
            break
        kind, body = msg
        if kind == protocol.WORKER:
            w, pid, tid = protocol.decode_worker(body)
            workers[w] = (pid, tid)
        elif kind == protocol.RESULT:
            r = protocol.decode_result(body)
            if r[0] in results:
                problems.append("task %d reported twice" % r[0])
            if r[1] not in workers:
                problems.append("RESULT of task %d names worker %d before its WORKER" % (r[0], r[1]))
            results[r[0]] = r
        elif kind == protocol.DONE:
            done = protocol.decode_json(body)
        elif kind == protocol.ERROR:
            error = protocol.decode_json(body)
        else:
            problems.append("unexpected message type %d" % kind)
    code = proc.wait()
    watchdog.cancel()
    wall_ms = (time.monotonic() - t_sent) * 1000
    left_now = session_processes(sid)
    deadline = time.monotonic() + 2.0
    left_later = left_now
    while left_later and time.monotonic() < deadline:
        time.sleep(0.05)
        left_later = session_processes(sid)
    if left_now:
        problems.append("processes left when the runner exited: %s" % left_now)
    if left_later:
        problems.append("still there 2 s later: %s" % left_later)
        for pid, _ in left_later:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    checksum = None
    if done is not None:
        missing = [i for i, _ in tasks if i not in results]
        if missing:
            problems.append("DONE without results for tasks %s" % missing[:10])
        else:
            c = Checksum()
            for i, _ in tasks:
                c.add_bytes(results[i][8])
            checksum = c.value()
            if not a.no_reference:
                ref = reference_checksum(workload, tasks)
                if ref != checksum:
                    problems.append("checksum %016x differs from the sequential %016x" % (checksum, ref))
        problems += check_done(done, a, len(tasks))

    expected_exit = a.expect_exit
    if a.expect == "done":
        if done is None:
            problems.append("no DONE (error: %s)" % (error,))
        expected_exit = 0 if expected_exit is None else expected_exit
    elif a.expect == "error":
        if error is None:
            problems.append("no ERROR")
        else:
            problems += check_error(error, a)
        expected_exit = 3 if expected_exit is None else expected_exit
    elif a.expect == "crash":
        if done is not None or error is not None:
            problems.append("the interpreter was expected to die without DONE or ERROR")
        if code == 0:
            problems.append("exit status 0 after a crash")
    else:
        expected_exit = 143 if expected_exit is None else expected_exit
    if expected_exit is not None and code != expected_exit:
        problems.append("exit status %d, expected %d" % (code, expected_exit))

    span = "%.1f" % ((done["t1_ns"] - done["t0_ns"]) / 1e6) if done else "-"
    line = ("%s %s/%s%s n=%d c=%d %s %s: hello %.1f ms, wall %.0f ms, t1-t0 %s ms, %d workers, "
            "%d results, exit %d, %s, left %d" % (
                "FAIL" if problems else "OK", a.mode, a.start_method if a.mode == "processes" else "",
                "", a.workers, a.chunksize, a.workload, " ".join(a.param), hello_ms, wall_ms, span,
                len(workers), len(results), code,
                ("checksum %016x" % checksum) if checksum is not None else
                ("ERROR %s" % json.dumps(error) if error else "no DONE/ERROR"), len(left_now)))
    print(line)
    if a.verbose:
        print("  HELLO %s" % json.dumps(hello))
        if done:
            print("  DONE %s" % json.dumps(done))
    for p in problems:
        print("  problem: %s" % p)
    return 1 if problems else 0


def check_done(done, a, ntasks):
    problems = []
    for key in ("t0_ns", "t1_ns", "serial_ns", "pool_start_ns", "workers", "summary",
                "switch_interval_s", "start_method", "chunksize", "chunks", "gil_enabled"):
        if key not in done:
            problems.append("DONE lacks %s" % key)
    if problems:
        return problems
    if not done["t0_ns"] <= done["pool_start_ns"] <= done["t1_ns"]:
        problems.append("DONE times out of order")
    expect_workers = 1 if a.mode == "sequential" else min(a.workers, ntasks) if a.mode == "threads" else a.workers
    if a.mode != "threads" and len(done["workers"]) != expect_workers:
        problems.append("DONE has %d workers, expected %d" % (len(done["workers"]), expect_workers))
    if sum(w["tasks"] for w in done["workers"]) != ntasks:
        problems.append("DONE workers' tasks do not add up to %d" % ntasks)
    return problems


def check_error(error, a):
    problems = []
    for key in ("error", "task", "worker", "pid", "signal"):
        if key not in error:
            problems.append("ERROR lacks %s" % key)
    if problems:
        return problems
    if a.expect_signal is not None and error["signal"] != a.expect_signal:
        problems.append("ERROR signal %s, expected %d" % (error["signal"], a.expect_signal))
    if a.expect_task is not None and error["task"] != a.expect_task:
        problems.append("ERROR task %s, expected %d" % (error["task"], a.expect_task))
    if error["task"] >= 0 and (error["worker"] < 0 or error["pid"] <= 0):
        problems.append("ERROR names a task but no worker/pid")
    return problems


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
