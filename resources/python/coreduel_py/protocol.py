"""The pipe protocol between the C++ engine and the runner (see the contract in the repo notes).

Every message, both ways: u32 length (little-endian) + payload; payload byte 0 is the type,
the rest the body. Encoders and decoders for both directions live here, so the runner and the
test drivers speak exactly the same format.
"""

import os
import struct

# engine -> python
SETUP, TASK, END, CANCEL = 1, 2, 3, 4
# python -> engine
HELLO, WORKER, RESULT, DONE, ERROR = 10, 12, 13, 14, 15

NAMES = {SETUP: "SETUP", TASK: "TASK", END: "END", CANCEL: "CANCEL", HELLO: "HELLO",
         WORKER: "WORKER", RESULT: "RESULT", DONE: "DONE", ERROR: "ERROR"}

_HEAD = struct.Struct("<IB")  # length (payload incl. the type byte), type
_LEN = struct.Struct("<I")
_WORKER = struct.Struct("<Iii")  # worker, pid, tid
_RESULT = struct.Struct("<QIiiqqqqI")  # task, worker, pid, tid, start, end, cpu, received, n
_TASK = struct.Struct("<Q")

MAX_FRAME = 1 << 30  # a sanity bound: a corrupt length must not make us allocate gigabytes


class ProtocolError(Exception):
    """The other side sent something that does not follow the protocol."""


def frame(kind, body=b""):
    return _HEAD.pack(len(body) + 1, kind) + body


def _json(obj):
    import json  # not at module level: see hello()

    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def _plain_json(obj):
    """JSON for flat data (dict, list, str, int, float, bool, None) without the json module:
    importing json (and re, enum with it) is most of what the runner would import before
    HELLO, and the engine times the interpreter's start-up by that message."""
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, (int, float)):
        return repr(obj)
    if isinstance(obj, str):
        out = []
        for ch in obj:
            if ch == '"' or ch == "\\":
                out.append("\\" + ch)
            elif ch < " " or "\ud800" <= ch <= "\udfff":  # control chars, lone surrogates
                out.append("\\u%04x" % ord(ch))
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    if isinstance(obj, dict):
        return "{" + ",".join(_plain_json(str(k)) + ":" + _plain_json(v) for k, v in obj.items()) + "}"
    return "[" + ",".join(_plain_json(v) for v in obj) + "]"


# -- python -> engine -------------------------------------------------------------------------

def hello(info):
    return frame(HELLO, _plain_json(info).encode("utf-8", "surrogateescape"))


def worker(index, pid, tid):
    return frame(WORKER, _WORKER.pack(index, pid, tid))


def result(task, worker_index, pid, tid, start_ns, end_ns, cpu_ns, received_ns, data):
    return frame(RESULT, _RESULT.pack(task, worker_index, pid, tid, start_ns, end_ns, cpu_ns,
                                      received_ns, len(data)) + data)


def done(info):
    return frame(DONE, _json(info))


def error(text, task=-1, worker_index=-1, pid=-1, signal=0):
    return frame(ERROR, _json({"error": text, "task": task, "worker": worker_index,
                               "pid": pid, "signal": signal}))


# -- engine -> python -------------------------------------------------------------------------

def setup(info):
    return frame(SETUP, _json(info))


def task(index, data):
    return frame(TASK, _TASK.pack(index) + data)


def end():
    return frame(END)


def cancel():
    return frame(CANCEL)


# -- decoding ---------------------------------------------------------------------------------

def decode_json(body):
    import json

    return json.loads(body.decode("utf-8"))


def decode_task(body):
    if len(body) < _TASK.size:
        raise ProtocolError("TASK of %d bytes has no index" % len(body))
    return _TASK.unpack_from(body)[0], bytes(body[_TASK.size:])


def decode_worker(body):
    return _WORKER.unpack(body)


def decode_result(body):
    """(task, worker, pid, tid, start_ns, end_ns, cpu_ns, received_ns, data)"""
    head = _RESULT.unpack_from(body)
    data = bytes(body[_RESULT.size:])
    if len(data) != head[-1]:
        raise ProtocolError("RESULT says %d bytes, holds %d" % (head[-1], len(data)))
    return head[:-1] + (data,)


# -- reading and writing file descriptors ------------------------------------------------------

def read_exact(fd, n):
    """n bytes from fd, or fewer only when the pipe reached EOF."""
    parts = []
    while n > 0:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def read_frame(fd):
    """(type, body) of the next message, or None at a clean EOF.

    Plain os.read on the descriptor, never sys.stdin: a reader thread blocked inside a
    buffered file object holds that object's lock, and a child forked meanwhile (Pool with
    'fork') would deadlock when multiprocessing closes sys.stdin in it."""
    head = read_exact(fd, _LEN.size)
    if not head:
        return None
    if len(head) < _LEN.size:
        raise ProtocolError("EOF inside a message header")
    (n,) = _LEN.unpack(head)
    if n < 1 or n > MAX_FRAME:
        raise ProtocolError("message length %d is out of range" % n)
    payload = read_exact(fd, n)
    if len(payload) < n:
        raise ProtocolError("EOF inside a message (%d of %d bytes)" % (len(payload), n))
    return payload[0], payload[1:]


def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
