#pragma once
// py:sequential, py:threads and py:processes: the same tasks run by a real Python interpreter.
// The engine starts the interpreter (a child in a process group of its own) with the
// coreduel_py package from resources/python, sends it the experiment and every task's encoded
// bytes over a pipe, and reads back each task's result bytes with its start, end and thread
// CPU time on the shared monotonic clock. The interpreter runs them its own way: a for loop,
// a ThreadPoolExecutor under its own GIL, or a multiprocessing Pool with the run's start
// method and chunksize. The engine checksums the results itself, so a Python run is verified
// against the native sequential one exactly like every other run.
//
// Wire format (both directions): u32 length, then `length` bytes whose first is the type.
//   engine -> python   1 Setup (JSON)   2 Task (u64 index, encoded task)   3 End
//   python -> engine  10 Hello (JSON: version, executable, GIL status)
//                     12 Worker (u32 worker, i32 pid, i32 tid)
//                     13 Result (u64 task, u32 worker, i32 pid, i32 tid, i64 start, i64 end,
//                                i64 thread CPU ns, i64 received ns, u32 n, n result bytes)
//                     14 Done (JSON: the timed window, per-worker CPU/switches/RSS, summary)
//                     15 Error (JSON: a readable line naming task, worker, pid, signal)
// resources/python/coreduel_py/protocol.py is the other side.

#include <string>

#include "core/exec/executor.h"

namespace coreduel {

/// The interpreter the py: models run: `asked` (a path, or a name looked up on PATH), ""
/// meaning python3. Throws InvalidArgument saying how to get one when there is none.
std::string resolvePython(const std::string& asked);

/// True when coreduel_py has a version of this workload (same tasks, same result bytes).
bool hasPythonPort(const std::string& workload);
/// "primes, mandelbrot, ...": for messages.
std::string pythonPortList();

/// Runs request.config's py: model in request.python. Like every executor, a failure of the
/// interpreter or of a task is recorded on the outcome, not thrown.
ExecOutcome runPython(const ExecRequest& request);

}  // namespace coreduel
