#pragma once
// The body of a worker process, whichever way it was started (spawned coreduel-worker, a child
// of the fork server, or a fork of the engine).

#include <cstdint>

namespace coreduel {

class Workload;

/// Serves the engine over inFd (tasks) and outFd (results) until the engine closes inFd.
/// With `inherited` (fork start method) the workload is already in memory and no Setup
/// message comes. Returns the process exit status.
int runWorkerLoop(int inFd, int outFd, const Workload* inherited, std::int64_t mainEnteredNs);

}  // namespace coreduel
