"""The workloads that have a Python version, looked up by the engine's names.

Each lives in its own module, imported only when asked for: a pool worker imports just the
one it runs, and the runner's start-up does not pay for any of them.
"""

import importlib

from ..params import InvalidArgument

PORTED = ("primes", "mandelbrot", "factorial", "square", "sleep", "fileio", "amdahl", "counter", "fault",
          "python", "convoy")


class NoPythonVersion(InvalidArgument):
    """The engine knows the workload, this package does not (image, memory, startup, ...)."""


def create(name, params):
    """Builds workload `name` from {param: text}; raises InvalidArgument / NoPythonVersion."""
    if name not in PORTED:
        raise NoPythonVersion(
            "workload %s has no Python version yet (%s have)" % (name, ", ".join(PORTED))
        )
    module = importlib.import_module("." + name, __name__)
    return module.Workload(params)
