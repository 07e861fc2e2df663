#!/usr/bin/env python3
"""Runs drive_runner.py over every mode, start method and failure path; exit 1 if any fails.

  run_matrix.py [--python PYTHON] [--quick] [-k SUBSTRING]

Parameters are small on purpose: pure Python is about 100x slower than the C++ workloads.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "drive_runner.py")


def cases(quick):
    ok = []
    for mode in ("sequential", "threads"):
        ok.append(["-m", mode, "-w", "primes", "-p", "start=1000003", "-p", "end=1040000", "-p", "tasks=13"])
        ok.append(["-m", mode, "-w", "mandelbrot", "-p", "width=23", "-p", "height=9", "-p", "max_iter=200"])
        ok.append(["-m", mode, "-w", "amdahl", "-p", "units=6", "-p", "serial=30", "-p", "tasks=3"])
        ok.append(["-m", mode, "-w", "factorial", "-p", "values=0,1,500,3000"])
        ok.append(["-m", mode, "-w", "fileio", "-p", "tasks=4", "-p", "kib=3"])
        ok.append(["-m", mode, "-w", "square", "-p", "count=2000"])
        ok.append(["-m", mode, "-w", "sleep", "-p", "tasks=4", "-p", "ms=20"])
        ok.append(["-m", mode, "-w", "fault", "-p", "mode=none"])
        for cm in ("unlocked", "locked", "shared-memory"):
            ok.append(["-m", mode, "-w", "counter", "-p", "mode=" + cm, "-p", "increments=20000"])
    methods = ("spawn", "fork", "forkserver")
    for sm in methods:
        for c in ("1", "4"):
            ok.append(["-m", "processes", "-s", sm, "-c", c, "-w", "primes", "-p", "start=1000003",
                       "-p", "end=1040000", "-p", "tasks=13"])
        if quick and sm != "spawn":
            continue
        ok.append(["-m", "processes", "-s", sm, "-c", "3", "-w", "mandelbrot", "-p", "width=23",
                   "-p", "height=9", "-p", "max_iter=200"])
        ok.append(["-m", "processes", "-s", sm, "-w", "fileio", "-p", "tasks=4", "-p", "kib=3"])
        ok.append(["-m", "processes", "-s", sm, "-c", "2", "-w", "amdahl", "-p", "units=6",
                   "-p", "serial=30", "-p", "tasks=3"])
        for cm in ("unlocked", "shared-memory"):
            ok.append(["-m", "processes", "-s", sm, "-w", "counter", "-p", "mode=" + cm,
                       "-p", "increments=20000"])
    out = [(c, []) for c in ok]
    fault = ["-w", "fault", "-p", "tasks=8", "-p", "task=3"]
    for sm in methods:
        p = ["-m", "processes", "-s", sm]
        out.append((p + fault + ["-p", "mode=throw"], ["--expect", "error", "--expect-task", "3", "--expect-signal", "0"]))
        out.append((p + fault + ["-p", "mode=segv"], ["--expect", "error", "--expect-task", "3", "--expect-signal", "11"]))
        out.append((p + ["-c", "4"] + fault + ["-p", "mode=kill"], ["--expect", "error", "--expect-task", "3", "--expect-signal", "9"]))
        out.append((p + fault + ["-p", "mode=hang", "--timeout", "0.5"], ["--expect", "error", "--expect-task", "3"]))
        if not quick:
            out.append((p + fault + ["-p", "mode=abort"], ["--expect", "error", "--expect-task", "3", "--expect-signal", "6"]))
            out.append((p + fault + ["-p", "mode=exit"], ["--expect", "error", "--expect-task", "3", "--expect-signal", "0"]))
        slow = p + ["-w", "sleep", "-p", "tasks=12", "-p", "ms=300"]
        out.append((slow + ["--sigterm-after", "0.6"], ["--expect", "stopped"]))
        out.append((slow + ["--sigterm-after", "0.05"], ["--expect", "stopped"]))
        out.append((slow + ["--sigterm-after", "0.6", "--sigterm-runner-only"], ["--expect", "stopped"]))
        out.append((slow + ["--close-stdin-after", "0.6"], ["--expect", "stopped"]))
        out.append((slow + ["--cancel-after", "0.6"], ["--expect", "stopped"]))
    for mode in ("sequential", "threads"):
        p = ["-m", mode]
        out.append((p + fault + ["-p", "mode=throw"], ["--expect", "error", "--expect-task", "3"]))
        out.append((p + fault + ["-p", "mode=hang", "--timeout", "0.5"], ["--expect", "error", "--expect-task", "3"]))
        out.append((p + fault + ["-p", "mode=segv"], ["--expect", "crash"]))
        slow = p + ["-w", "sleep", "-p", "tasks=12", "-p", "ms=300"]
        out.append((slow + ["--sigterm-after", "0.5"], ["--expect", "stopped"]))
        out.append((slow + ["--close-stdin-after", "0.5"], ["--expect", "stopped"]))
        out.append((slow + ["--cancel-after", "0.5"], ["--expect", "stopped"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("-k", default="")
    a = ap.parse_args()
    failed = 0
    ran = 0
    t0 = time.monotonic()
    for args, expect in cases(a.quick):
        cmd = [sys.executable, DRIVER, "--python", a.python] + args + expect
        if a.k not in " ".join(cmd):
            continue
        ran += 1
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        sys.stdout.write(p.stdout)
        if p.returncode != 0:
            failed += 1
            sys.stdout.write("  command: %s\n  stderr tail:\n%s\n" % (
                " ".join(cmd[1:]), "\n".join("    " + l for l in p.stderr.splitlines()[-15:])))
        sys.stdout.flush()
    print("%d of %d cases passed with %s in %.0f s" % (ran - failed, ran, a.python, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
