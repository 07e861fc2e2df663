#!/usr/bin/env python3
"""Checks that every #include of ours points down the layers (docs/ARCHITECTURE.md).

A file may include files of its own folder and of any folder of a lower rank; nothing else.
Folders of the same rank are independent of each other. Exit status 1 lists the offenders.
Also checks that core/ includes no Qt header, that no source file is over the size limit and
that no function is longer than MAX_FUNCTION_LINES (a 150-line function is a job looking for a
name). Functions that were already longer when the limit came are listed, with their length,
in scripts/long_functions.txt: they may shrink (then lower or drop their line), never grow, and
no new one may join them.
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
    "core/session": 8,    # session files: everything a run produced, streamed; trace export
    "core/lessons": 9,    # lessons: experiments with words around them, run part by part
    "ui": 10,             # Qt widgets and charts
    "app": 11,            # entry points
    "mpi": 11,            # coreduel-mpi-worker: the ranks of an mpi run (links Open MPI)
    "bench": 11,
    "tests": 12,
}
MAX_LINES = 600
MAX_FUNCTION_LINES = 80
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def strip_code(text: str) -> str:
    """The text without comments and with empty string and character literals, lines kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
            continue
        raw = re.match(r'R"([^(]*)\(', text[i:i + 20]) if text.startswith('R"', i) else None
        if raw:
            end = ")" + raw.group(1) + '"'
            j = text.find(end, i)
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
            continue
        c = text[i]
        if c == "'" and i > 0 and text[i - 1].isalnum():
            start = i - 1  # a digit separator (1'000'000) inside a number, not a character
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_'"):
                start -= 1
            if text[start].isdigit():
                out.append(c)
                i += 1
                continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def function_lengths(text: str):
    """(name, first line, lines) of every function body outside another function's body."""
    code = strip_code(text)
    found, stack, last, line = [], [], 0, 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c == ";":
            last = i + 1
        elif c == "{":
            head = code[last:i]
            if any(kind == "fn" for kind, _, _ in stack):
                kind = "inner"  # a lambda or block: part of the enclosing function
            elif (re.search(r"\b(namespace|class|struct|enum|union)\b[^()]*$", head)
                  or re.search(r"=\s*$", head) or ")" not in head):
                kind = "scope"
            else:
                kind = "fn"
            name = ""
            if kind == "fn":
                m = re.search(r"([~\w:]+(?:operator\S*)?)\s*\(", head)
                name = m.group(1) if m else "?"
            stack.append((kind, line, name))
            last = i + 1
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "fn":
                    found.append((name, start, line - start + 1))
            last = i + 1
    return found


def allowed_long_functions(root: pathlib.Path):
    allowed = {}
    listing = root / "scripts" / "long_functions.txt"
    if listing.exists():
        for entry in listing.read_text().splitlines():
            entry = entry.split("#")[0].strip()
            if entry:
                where, lines = entry.rsplit(" ", 1)
                allowed[where] = int(lines)
    return allowed


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
    allowed = allowed_long_functions(root)
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
        if src.split("/")[0] in ("core", "ui", "app", "mpi"):
            for name, start, length in function_lengths("\n".join(lines)):
                limit = max(MAX_FUNCTION_LINES, allowed.get(f"{rel}:{name}", 0))
                if length > limit:
                    problems.append(f"{rel}:{start}: {name} is {length} lines (at most {limit}: "
                                    "give its jobs names of their own)")
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
