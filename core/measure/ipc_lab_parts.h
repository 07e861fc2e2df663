#pragma once
// Inside the IPC lab (ipc_lab.cpp): rows measured by a file of their own.

#include <atomic>
#include <functional>
#include <vector>

#include "core/measure/ipc_lab.h"

namespace coreduel::detail {

/// Open MPI's ping-pong between two ranks (ipc_lab_mpi.cpp). Throws InvalidArgument saying
/// what to install when the mpi model cannot run here.
void measureMpi(const IpcLabOptions& o, std::vector<IpcMeasurement>& out,
                const std::function<void(const IpcMeasurement&)>& progress,
                const std::atomic<bool>* stop);

}  // namespace coreduel::detail
