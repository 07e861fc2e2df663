"""The runner's side of the python -> engine pipe: whole frames, one writer at a time.

Pool threads (WORKER from their initializer), the main thread (RESULT, DONE) and watchdogs
(ERROR) all write, so every frame goes out under one lock and is never interleaved. Results
are batched by the main thread and flushed often enough for the engine's progress to stay live.
"""

import _thread
import sys
import time

from . import protocol

FLUSH_NS = 10000000  # a batch of results waits at most ~10 ms
FLUSH_BYTES = 256 * 1024


class Channel:
    def __init__(self, fd):
        self.fd = fd
        self.lock = _thread.allocate_lock()  # threading is imported after HELLO, not before
        self.broken = False
        self.on_broken = None  # called once when the engine's end is gone

    def send(self, data, lock_timeout=-1):
        """Writes whole frames; False when the lock was not had in time or the pipe is gone."""
        if not self.lock.acquire(True, lock_timeout):
            return False
        try:
            if self.broken:
                return False
            try:
                protocol.write_all(self.fd, data)
                return True
            except OSError as e:  # EPIPE: the engine closed its end (Python ignores SIGPIPE)
                self.broken = True
                sys.stderr.write("coreduel_py: cannot write to the engine: %s\n" % e)
        finally:
            self.lock.release()
        if self.on_broken is not None:
            self.on_broken()
        return False


class Batch:
    """RESULT frames gathered by one thread and written in few syscalls."""

    def __init__(self, channel):
        self.channel = channel
        self.parts = []
        self.size = 0
        self.since = time.monotonic_ns()

    def add(self, frame):
        self.parts.append(frame)
        self.size += len(frame)
        if self.size >= FLUSH_BYTES or time.monotonic_ns() - self.since >= FLUSH_NS:
            self.flush()

    def flush(self):
        if self.parts:
            self.channel.send(b"".join(self.parts))
            self.parts = []
            self.size = 0
        self.since = time.monotonic_ns()
