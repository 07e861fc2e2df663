#pragma once
// The body of a worker process, whichever way it was started (spawned coreduel-worker, a child
// of the fork server, or a fork of the engine).

#include <cstdint>

#include "core/ipc/channel.h"

namespace coreduel {

class Workload;
struct WorkerStatusSlot;

/// Serves the engine over `channel` until the engine ends the task stream. With `inherited`
/// (fork start method) the workload is already in memory and no Setup message comes.
/// Returns the process exit status.
int runWorkerLoop(WorkerChannel& channel, const Workload* inherited, std::int64_t mainEnteredNs,
                  WorkerStatusSlot* status = nullptr);

/// Opens the worker's end of `transport` from fds 3, 4, ... (the status page follows the
/// channel's descriptors) and serves on it.
int runWorkerLoop(Transport transport, unsigned workerIndex, const Workload* inherited,
                  std::int64_t mainEnteredNs);

}  // namespace coreduel
