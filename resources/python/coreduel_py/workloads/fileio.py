"""fileio: write a file, fsync it, read it back, delete it (port of fileio.cpp).

The folder comes in the task bytes: the engine creates (and removes) a private one; the
standalone `check` creates its own through prepare()/cleanup().
"""

import os
import shutil
import tempfile

from .. import codec
from ..checksum import Checksum
from ..params import INT, PATH, InvalidArgument, ParamSpec
from . import base

_PERIOD = 2048  # (i*131 + c) >> 3 & 0xFF depends on (i*131 + c) mod 2048 only, and 131 is odd


def file_data(index, size):
    """The bytes task `index` writes: ((i*131 + index*7) >> 3) & 0xFF for i < size.

    Built from one period and repeated: the same bytes as the per-byte C++ loop, without a
    Python-level loop over every byte."""
    c = index * 7
    period = bytes(((i * 131 + c) >> 3) & 0xFF for i in range(min(size, _PERIOD)))
    reps = size // len(period) + 1 if period else 0
    return (period * reps)[:size]


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd, size):
    parts = []
    left = size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


class Workload(base.Workload):
    name = "fileio"
    specs = (
        ParamSpec("tasks", INT, "32", 1, 100000),
        ParamSpec("kib", INT, "256", 1, 1048576),
        ParamSpec("dir", PATH, ""),
    )

    def __init__(self, params):
        base.Workload.__init__(self, params)
        self.tasks = self.params.get_int("tasks")
        self.kib = self.params.get_int("kib")
        self.parent = self.params.get_string("dir") or os.environ.get("TMPDIR") or "/var/tmp"
        self.dir = None

    def task_count(self):
        return self.tasks

    def prepare(self):
        if self.dir is None:
            if not os.path.isdir(self.parent):
                raise InvalidArgument(
                    "fileio: 'dir' must be an existing folder (%s is not)" % self.parent
                )
            self.dir = tempfile.mkdtemp(prefix="coreduel-fileio-", dir=self.parent)  # 0700

    def cleanup(self):
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def encode_task(self, index):
        if self.dir is None:
            raise RuntimeError("fileio: prepare() was not called")
        return codec.ByteWriter().str(self.dir).u64(index).u64(self.kib).take()

    def compute(self, task):
        r = codec.ByteReader(task)
        folder = r.bytes()  # bytes: the engine's path need not be UTF-8
        index = r.u64()
        kib = r.u64()
        data = file_data(index, kib * 1024)
        path = folder + b"/task-" + str(index).encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            back = _read_exact(fd, len(data))
        finally:
            os.close(fd)
        if data and not back:
            raise RuntimeError("fileio: %s was empty on reading back" % os.fsdecode(path))
        os.unlink(path)
        if back != data:
            raise RuntimeError("fileio: %s read back differently" % os.fsdecode(path))
        s = Checksum()
        s.add_bytes(back)
        return codec.u64(s.value())

    def summarize(self, results):
        return "%d files of %d KiB written, fsynced and read back in %s" % (
            len(results), self.kib, self.parent)
