#pragma once
// The words of a failed processes run: each names the worker and its pid, and where it can,
// the task and how the process ended (the signal), so a reader knows what to look at.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/exec/chunking.h"

namespace coreduel {

/// "worker 2 (pid 4711)"
std::string workerName(unsigned index, pid_t pid);

/// What a worker was doing when its channel ended before the run was over.
struct WorkerDeath {
    std::optional<int> waitStatus;             ///< how it ended, if reaped in time
    std::optional<std::uint64_t> runningTask;  ///< from its status slot
    std::optional<Chunk> inFlight;             ///< the oldest chunk it had not answered
    bool ready = false;                        ///< it had said Ready
};
/// "worker 1 (pid 4711) killed by SIGSEGV while running task 3"
std::string describeWorkerDeath(unsigned index, pid_t pid, const WorkerDeath& d);

/// "worker 0 (pid 4711) exceeded the task timeout of 0.5 s on task 3; killed with SIGKILL"
std::string describeTimeout(unsigned index, pid_t pid, double limitSeconds,
                            std::optional<std::uint64_t> task);

/// "task 3 on worker 0 (pid 4711) threw: <message>"
std::string describeTaskError(unsigned index, pid_t pid, std::uint64_t task,
                              const std::string& message);

}  // namespace coreduel
