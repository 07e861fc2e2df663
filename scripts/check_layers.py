#!/usr/bin/env python3
"""Checks that every #include of ours points down the layers (docs/ARCHITECTURE.md).

A file may include files of its own folder and of any folder of a lower rank; nothing else.
Folders of the same rank are independent of each other. Exit status 1 lists the offenders.
Also checks that core/ includes no Qt header and that no source file is over the size limit.
"""
import pathlib
import re
import sys

# Rank of each folder, bottom first. Keep in step with docs/ARCHITECTURE.md.
RANKS = {
    "core/util": 0,       # system-call wrappers, clocks, bytes, errors, enum tables
    "core/vocab": 1,      # models, start methods, schedules, transports, RunConfig
    "core/proc": 2,       # child processes, shared mappings: process plumbing
    "core/stats": 2,      # summaries, intervals, fits: pure numbers
    "core/gil": 2,        # the modelled interpreter lock and what a task sees of it
    "core/ipc": 3,        # transports between the engine and a worker
    "core/workloads": 3,  # what is computed
    "core/exec": 4,       # execution models: threads, gil-threads, processes, fork server
    "core/measure": 5,    # samplers, counters, profiler, the IPC lab
    "core/run": 6,        # experiments, runs, results, their analysis, the event sink
    "core/report": 7,     # tables, JSON, schema
    "core/lessons": 8,    # lessons: experiments with words around them
    "core/session": 8,    # session files: everything a run produced, streamed; trace export
    "ui": 9,              # Qt widgets and charts
    "app": 10,            # entry points
    "mpi": 10,            # coreduel-mpi-worker: the ranks of an mpi run (links Open MPI)
    "bench": 10,
    "tests": 11,
}
MAX_LINES = 600
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def folder_of(path: str):
    best = None
    for folder in RANKS:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return best


def main() -> int:
    root = pathlib.Path(__file__).resolve().parent.parent
    problems = []
    for path in sorted(root.glob("**/*")):
        rel = path.relative_to(root).as_posix()
        if path.suffix not in (".h", ".cpp") or rel.startswith(("build", ".")):
            continue
        src = folder_of(rel)
        if src is None:
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        if src.split("/")[0] in ("core", "ui", "app", "mpi") and len(lines) > MAX_LINES:
            problems.append(f"{rel}: {len(lines)} lines (at most {MAX_LINES}: split it)")
        for n, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            if src.startswith("core/") and re.match(r"Q[A-Za-z]", target):
                problems.append(f"{rel}:{n}: core includes the Qt header <{target}>")
                continue
            dst = folder_of(target)
            if dst is None or dst == src:
                continue
            if RANKS[dst] >= RANKS[src]:
                problems.append(f"{rel}:{n}: {src} (rank {RANKS[src]}) includes {target} "
                                f"({dst}, rank {RANKS[dst]}): includes must point down")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s)")
        return 1
    print("layers: every include points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
