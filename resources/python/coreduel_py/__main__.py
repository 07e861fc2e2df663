"""python3 -m coreduel_py check WORKLOAD [key=value ...]

Builds the tasks in Python (the ports of the C++ encodeTask), computes them sequentially in
this process and prints the run checksum, to compare with
`coreduel-cli run -w WORKLOAD -m sequential -p key=value --json`.
"""

import multiprocessing
import sys
import time

from . import workloads
from .checksum import Checksum
from .params import InvalidArgument

USAGE = "usage: python3 -m coreduel_py check WORKLOAD [key=value ...]"


def check(name, pairs):
    params = {}
    for text in pairs:
        key, eq, value = text.partition("=")
        if not eq or not key:
            raise InvalidArgument("parameter '%s' must be written as name=value" % text)
        params[key] = value
    w = workloads.create(name, params)
    w.prepare()
    try:
        w.shared_state(multiprocessing.get_context("fork"))
        w.begin_run("sequential")
        t0 = time.perf_counter()
        w.serial_part(lambda: False)
        results = [w.compute(w.encode_task(i)) for i in range(w.task_count())]
        elapsed = time.perf_counter() - t0
    finally:
        w.cleanup()
    # What the engine moves out before its checksum (Workload::takeMeasurements): convoy's delays.
    measured = w.take_measurements(results)
    if measured:
        print("measured %d values (left out of the checksum)" % len(measured))
    total = Checksum()
    for r in results:
        total.add_bytes(r)
    print("checksum %016x" % total.value())
    print("tasks %d" % len(results))
    print("summary %s" % w.summarize(results))
    print("seconds %.3f" % elapsed)


def main(argv):
    if len(argv) < 2 or argv[0] != "check":
        print(USAGE, file=sys.stderr)
        return 2
    try:
        check(argv[1], argv[2:])
    except InvalidArgument as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
