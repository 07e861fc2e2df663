"""coreduel_py: the real-CPython runtime of CoreDuel.

The C++ engine starts an interpreter running ``coreduel_py.runner``, sends it a job over a
binary pipe (see protocol.py) and gets back per-task results and timings measured inside the
interpreter: the same workloads, byte-identical results, but run by the real GIL, the real
ThreadPoolExecutor and the real multiprocessing.Pool.

Pure standard library, Python 3.8 or later. Kept import-light on purpose: the engine measures
how long the interpreter takes to say HELLO, and everything imported here is part of that.
"""

__version__ = "1"
