"""python: the user's own function, task i = function(inputs[i]) (python_function.cpp's side).

The engine sends each input pickled (it read them once, with user_function.probe_main). A task
unpickles its input, calls the function and returns the SHA-256 of the result's canonical
encoding (digest.py): the bytes the engine checksums, so every model must produce the same
values in the same order as py:sequential. In a pool worker the task also pickles the value
itself and sends it along, as Pool.map would return it; the runner unpickles it and keeps the
digest, so processes pay for moving results back as they would in the user's own program.
"""

import os
import pickle
import traceback

from .. import digest, user_function
from ..params import STRING, ParamSpec
from . import base

_OURS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_traceback(e):
    """The traceback of `e` without the runtime's own frames, as Python prints it."""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if not os.path.abspath(f.filename).startswith(_OURS + os.sep)]
    if not frames:
        return None
    return "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)).rstrip()


class Workload(base.Workload):
    name = "python"
    specs = (
        ParamSpec("file", STRING, ""),
        ParamSpec("function", STRING, ""),
        ParamSpec("inputs", STRING, ""),
        ParamSpec("python", STRING, ""),
        ParamSpec("file_sha256", STRING, ""),
        ParamSpec("file_bytes", STRING, ""),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.path = self.params.get_string("file")
        self.function = self.params.get_string("function")
        self.module = user_function.load_module(self.path)
        self.fn = user_function.find_function(self.module, self.function)
        self.in_pool_worker = False
        self.tasks = None

    def task_count(self):
        if self.tasks is None:
            spec = self.params.get_string("inputs")
            self.tasks = user_function.pickle_inputs(
                user_function.resolve_inputs(self.module, spec))
        return len(self.tasks)

    def encode_task(self, index):
        self.task_count()
        return self.tasks[index]

    def begin_run(self, mode):
        if mode == "processes":
            why = user_function.why_not_sendable(self.fn, self.function)
            if why is not None:
                raise user_function.UserCodeError(why)

    def attach(self, shared):
        self.in_pool_worker = True  # only worker.init calls it

    def compute(self, task):
        value = pickle.loads(task)
        try:
            value = self.fn(value)
        except Exception as e:
            e.coreduel_traceback = _user_traceback(e)
            raise
        d = digest.digest(value)
        if self.in_pool_worker:
            return d + pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        return d

    def from_worker(self, out):
        pickle.loads(out[digest.DIGEST_BYTES:])  # what the user's program would receive
        return out[:digest.DIGEST_BYTES]

    def summarize(self, results):
        return "%d results of %s() in %s" % (len(results), self.function,
                                             os.path.basename(self.path))
