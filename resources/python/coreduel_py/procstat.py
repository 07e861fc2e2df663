"""Per-worker CPU time, context switches and peak memory, read from /proc.

Read after the last result and before the pool is closed: once a worker process has exited
(or a pool thread has ended) its /proc entry is gone. Missing entries give -1 (unknown).
"""

import os

_TICK_NS = None


def _tick_ns():
    global _TICK_NS
    if _TICK_NS is None:
        _TICK_NS = 1000000000 // os.sysconf("SC_CLK_TCK")
    return _TICK_NS


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("ascii", "replace")
    except OSError:
        return None


def _stat_times(text):
    """utime and stime (fields 14 and 15) in ns. The command name (field 2) may hold spaces
    and parentheses, so the fields are counted after its last ')'."""
    if text is None:
        return -1, -1
    rest = text[text.rfind(")") + 2 :].split()
    # rest[0] is field 3 (state): field k is rest[k - 3]
    tick = _tick_ns()
    return int(rest[11]) * tick, int(rest[12]) * tick


def _status_fields(text):
    out = {}
    if text is not None:
        for line in text.splitlines():
            key, _, value = line.partition(":")
            out[key] = value.split()
    return out


def _sample(stat_path, status_path, with_rss):
    user_ns, system_ns = _stat_times(_read(stat_path))
    status = _status_fields(_read(status_path))

    def num(key):
        v = status.get(key)
        return int(v[0]) if v else -1

    return {
        "user_ns": user_ns,
        "system_ns": system_ns,
        "voluntary": num("voluntary_ctxt_switches"),
        "involuntary": num("nonvoluntary_ctxt_switches"),
        "max_rss_kib": num("VmHWM") if with_rss else -1,  # VmHWM is in kB
    }


def process(pid):
    """Counters of a whole (single-threaded) worker process."""
    base = "/proc/%d/" % pid
    return _sample(base + "stat", base + "status", True)


def thread(tid):
    """Counters of one thread of this process: no per-thread peak memory (max_rss_kib -1)."""
    base = "/proc/self/task/%d/" % tid
    return _sample(base + "stat", base + "status", False)
