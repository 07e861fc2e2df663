#pragma once
// Executors run one configuration of one workload and return its raw outcome. They never
// throw for a failing task: a failure is recorded on the outcome (as Google Benchmark's
// SkipWithError does), so the experiment can go on with its next run.

#include <atomic>

#include "core/exec/exec_result.h"
#include "core/vocab/model.h"
#include "core/workloads/workload.h"

namespace coreduel {

class ForkServer;

struct ExecRequest {
    const Workload& workload;
    RunConfig config;
    const std::atomic<bool>& cancel;        ///< set by the user to stop the experiment
    TaskEventCallback onEvents;             ///< batches of task events, on the calling thread
    ProgressCallback onProgress;            ///< on the calling thread
    WorkerStartedCallback onWorkerStarted;  ///< from the worker threads, or the calling thread
    /// gil-threads: GIL intervals kept per thread (see gil_trace.h); 0 turns recording off.
    std::size_t gilTraceCap = kDefaultGilTraceCap;
    /// py: models: the interpreter to run (a resolved path: see resolvePython).
    std::string python{};
    /// py: models: options before the runtime's own (-X gil=1 for PYTHON_GIL=1: see
    /// interpreter_spec.h).
    std::vector<std::string> pythonOptions{};
    /// mpi: the launcher (a resolved path: see resolveMpirun), the hostfile ("" = this
    /// machine), how long the ranks may take to start, and the rate each host is sampled at.
    std::string mpirun{};
    std::string hostfile{};
    double mpiStartupTimeoutSeconds = 60;
    double hostSampleHz = 0;
};

/// sequential, threads and gil-threads: everything inside this process.
ExecOutcome runInProcess(const ExecRequest& request);

/// processes: a pool of worker processes started with request.config.startMethod. `server`
/// must be running when the start method is forkserver.
ExecOutcome runProcesses(const ExecRequest& request, ForkServer* server);

}  // namespace coreduel
