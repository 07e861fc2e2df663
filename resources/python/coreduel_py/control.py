"""Stop requests from outside the run: SIGTERM/SIGINT, CANCEL or EOF on the engine's pipe.

Without worker processes there is nothing to tear down, so a stop exits at once (a thread
cannot be stopped anyway). With a process pool the main thread must tear it down, so a stop
only raises a flag the main thread polls (every 0.1 s at most); if it has not exited after
GRACE_S, a fallback thread kills the workers and exits regardless.
"""

import os
import signal
import sys
import threading
import time

from . import protocol

GRACE_S = 10.0  # the pool teardown itself is bounded to a few seconds


class Control:
    def __init__(self):
        self.pid = os.getpid()
        # Re-entrant: the signal handler runs on the main thread, which may be holding it.
        self.lock = threading.RLock()
        self.reason = None
        self.code = None
        self.children = False  # True from the moment a process pool may exist
        self.killer = None  # callable: SIGKILL every worker process (fallback only)
        self.on_stop = None  # callable, any thread: what must happen at once (no more workers)

    def stop_requested(self):
        return self.code is not None and self.reason is not None

    def finishing(self):
        """The main thread has its outcome (DONE or ERROR to send, then exit): from now on a
        stop request (EOF, CANCEL, a signal) changes nothing. False if a stop came first."""
        with self.lock:
            if self.reason is not None:
                return False
            self.reason, self.code = "finishing", None
            return True

    def request_stop(self, reason, code):
        with self.lock:
            if self.reason is not None:
                return
            self.reason, self.code = reason, code
        _note("stopping: %s" % reason)
        if not self.children:
            os._exit(code)
        if self.on_stop is not None:
            self.on_stop()
        threading.Thread(target=self._fallback, name="coreduel-stop-fallback", daemon=True).start()

    def _fallback(self):
        time.sleep(GRACE_S)
        _note("the pool did not stop within %.0f s: killing its workers" % GRACE_S)
        try:
            if self.killer is not None:
                self.killer()
        finally:
            os._exit(self.code)


def _note(text):
    try:
        sys.stderr.write("coreduel_py: %s\n" % text)
        sys.stderr.flush()
    except Exception:  # stderr gone too: nothing to tell
        pass


def install_signal_handlers(control):
    def handler(signum, frame):
        if os.getpid() != control.pid:
            # A forked pool worker before its initializer reset this: die as the signal says.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        control.request_stop("signal %d (%s)" % (signum, signal.Signals(signum).name), 128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, handler)


def start_reader(control, fd=0):
    """After END: a daemon thread watches the engine's pipe for CANCEL or EOF."""

    def loop():
        while True:
            try:
                msg = protocol.read_frame(fd)
            except (protocol.ProtocolError, OSError) as e:
                control.request_stop("engine pipe: %s" % e, 143)
                return
            if msg is None:
                control.request_stop("the engine closed its pipe (EOF on stdin)", 143)
                return
            if msg[0] == protocol.CANCEL:
                control.request_stop("CANCEL from the engine", 143)
                return
            _note("ignoring message type %d after END" % msg[0])

    t = threading.Thread(target=loop, name="coreduel-engine-reader", daemon=True)
    t.start()
    return t
