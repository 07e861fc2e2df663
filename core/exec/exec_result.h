#pragma once
// Value structs that executors produce: per-task events, per-worker statistics, and the raw
// outcome of one run before the runner turns it into a reported result.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/exec/mpi_result.h"
#include "core/gil/gil.h"

namespace coreduel {

/// One task, as it happened. Times are CLOCK_MONOTONIC nanoseconds, comparable across
/// processes; CPUs come from sched_getcpu() at the task's start and end.
struct TaskEvent {
    std::uint64_t task = 0;
    std::uint32_t worker = 0;
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int16_t cpuStart = -1;
    std::int16_t cpuEnd = -1;
    /// gil-threads: time spent waiting for the lock for this task: before it could start
    /// (taking the lock for its chunk, or at the check point between tasks) plus inside it.
    std::int64_t gilWaitNs = 0;
    /// The part of gilWaitNs just before startNs: the wait ended when the task started.
    std::int64_t gilWaitBeforeNs = 0;
    /// CPU time of the task's thread over the task (CLOCK_THREAD_CPUTIME_ID read at its start
    /// and end, in the thread or worker process that ran it); -1: not measured.
    std::int64_t cpuNs = -1;
    std::int64_t sentNs =
        0;  ///< processes: the engine began the write that completed the task's chunk
    std::int64_t receivedNs = 0;  ///< processes: the engine had read and decoded its result
};

/// gil-threads: the part of a task's GIL wait that happened inside it (at its check points).
inline std::int64_t taskGilWaitInsideNs(const TaskEvent& e) {
    const auto inside = e.gilWaitNs - e.gilWaitBeforeNs;
    return inside < 0 ? 0 : inside;
}
/// The task's time on a CPU (its thread's CPU time), never more than its wall time.
inline std::int64_t taskOnCpuNs(const TaskEvent& e) {
    const auto wall = e.endNs - e.startNs;
    if (e.cpuNs < 0) return wall - taskGilWaitInsideNs(e);  // not measured: all counted busy
    return e.cpuNs < wall ? e.cpuNs : wall;
}
/// The rest of the task: off CPU without waiting for the GIL: blocked (I/O, sleep, page
/// faults) or runnable but not running (another thread had the CPU).
inline std::int64_t taskBlockedNs(const TaskEvent& e) {
    const auto rest = e.endNs - e.startNs - taskOnCpuNs(e) - taskGilWaitInsideNs(e);
    return rest < 0 ? 0 : rest;
}

/// Where one worker's share of a run's wall time went. The worker-side fields partition the
/// wall time (idle is the remainder); the engine-side fields are the engine's own work for
/// this worker, done in parallel with it.
struct TimeBreakdown {
    std::int64_t startupNs = 0;  ///< asked to start -> ready for work
    std::int64_t computeNs = 0;  ///< inside tasks, on a CPU (the thread's CPU time)
    /// Inside tasks, off CPU and not waiting for the GIL: blocked in I/O, sleep or page
    /// faults, or runnable while another thread had the CPU (a busy machine).
    std::int64_t blockedNs = 0;
    std::int64_t encodeNs = 0;    ///< worker: framing results
    std::int64_t decodeNs = 0;    ///< worker: unpacking chunks
    std::int64_t transferNs = 0;  ///< worker: read/write system calls moving data
    std::int64_t lockWaitNs = 0;  ///< gil-threads: waiting for the GIL (taking it included)
    /// The rest of the worker's share of the wall time: waiting for work, finished early, and
    /// the per-task bookkeeping between tasks (fetching the next chunk, recording events).
    std::int64_t idleNs = 0;
    std::int64_t teardownNs = 0;        ///< told to stop -> gone (reaped)
    std::int64_t engineEncodeNs = 0;    ///< engine: encoding this worker's tasks
    std::int64_t engineDecodeNs = 0;    ///< engine: decoding its results
    std::int64_t engineTransferNs = 0;  ///< engine: read/write system calls for it

    TimeBreakdown& operator+=(const TimeBreakdown& o);
};

/// One worker (thread or process) over one run.
struct WorkerStats {
    std::uint32_t worker = 0;
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    std::int64_t startupNs = 0;  ///< from the request to start it until it could take work
    std::int64_t cpuUserNs = 0;
    std::int64_t cpuSystemNs = 0;
    std::int64_t maxRssKib = 0;  ///< processes only (getrusage ru_maxrss of the child)
    std::uint64_t voluntarySwitches = 0;
    std::uint64_t involuntarySwitches = 0;
    std::uint64_t tasks = 0;
    std::uint64_t bytesSent = 0;      ///< encoded bytes the engine wrote to this worker
    std::uint64_t bytesReceived = 0;  ///< encoded bytes the engine read from this worker
    std::uint64_t minorFaults = 0;    ///< getrusage / wait4
    std::uint64_t majorFaults = 0;
    // Sampled live from /proc by the CpuSampler (the last sample before the worker ended):
    std::uint64_t migrations = 0;  ///< times the scheduler moved it to another CPU
    std::int32_t lastCpu = -1;     ///< the CPU it last ran on
    std::int64_t peakPssKib = -1;  ///< largest proportional set size seen; -1: never sampled
    std::int64_t peakSampledRssKib = 0;
    GilThreadStats gil;
    TimeBreakdown time;
    std::string exit;  ///< processes: how it ended ("exited with status 0")
};

/// What an executor hands back. `results[i]` is task i's encoded result.
struct ExecOutcome {
    std::vector<std::vector<std::byte>> results;
    std::vector<WorkerStats> workers;
    std::size_t chunksize = 0;
    std::size_t chunks = 0;
    std::uint64_t gilSwitches = 0;
    GilTimeline gilTimeline;  ///< gil-threads: every hold and wait, when recording was on
    bool cancelled = false;
    std::string error;  ///< empty when every task succeeded

    // py: models only (python_executor.h).
    /// The interpreter's own timed window: from just before its pool (or loop) started to
    /// after the pool was joined, on the shared monotonic clock. The engine's clock around the
    /// executor would also hold the interpreter's start-up, which no Python user's timer sees.
    std::optional<std::int64_t> wallNs;
    std::int64_t interpreterStartupNs = 0;  ///< spawned -> said hello (outside wallNs)
    /// The interpreter process's own VmHWM (KiB) at the end of its run; 0: not reported. A
    /// py: run's engine peak memory: the interpreter's, not the CLI's or the window's.
    std::int64_t interpreterPeakRssKib = 0;
    /// CPU of the interpreter's process tree not in any worker (its main thread feeding the
    /// pool, its result handler threads) after its start-up: wait4 minus what /proc/PID/stat
    /// showed when it said hello.
    std::int64_t otherCpuUserNs = 0;
    std::int64_t otherCpuSystemNs = 0;
    /// The run's account when it is not the workload's (counter: what the interpreter's own
    /// counter saw).
    std::optional<std::string> summary;
    /// "CPython 3.11.2 (/usr/bin/python3), GIL enabled": which interpreter ran it.
    std::string interpreter;
    /// "CPython 3.11", "CPython 3.13t (no GIL)": the short name of tables and charts.
    std::string interpreterLabel;
    bool freeThreadedBuild = false;  ///< Py_GIL_DISABLED: an interpreter built without a GIL
    /// sys._is_gil_enabled() inside the run, after the workload's imports (an extension or
    /// PYTHON_GIL=1 can switch it back on); nullopt when the interpreter did not say.
    std::optional<bool> gilEnabled;
    /// The GIL waits of the task events are inferred, not measured: py:threads on CPU-bound
    /// work, where a task's time off CPU is time waiting for the interpreter's lock.
    bool gilWaitInferred = false;

    /// mpi only: ranks, hosts, clocks (mpi_result.h).
    std::optional<MpiRunInfo> mpi;
};

using TaskEventCallback = std::function<void(std::vector<TaskEvent>&&)>;
/// A worker came to life (worker index, pid, tid); may be called from any thread.
using WorkerStartedCallback =
    std::function<void(std::uint32_t worker, std::int32_t pid, std::int32_t tid)>;
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

}  // namespace coreduel
