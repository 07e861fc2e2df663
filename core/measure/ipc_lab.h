#pragma once
// The IPC lab: round trips of messages from 8 B to 4 MiB over each transport, against an echo
// process, with two in-process baselines (a mutex/condition-variable queue between threads,
// and two threads spinning on shared memory, no kernel at all).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/ipc/channel.h"

namespace coreduel {

struct IpcMeasurement {
    std::string mechanism;  ///< "pipe", "unix", "mqueue", "shm", "thread-queue", "spin", "mpi"
    std::size_t bytes = 0;  ///< message size, each way
    std::size_t roundTrips = 0;
    double p50Us = 0;  ///< round-trip latency percentiles, microseconds (steady clock)
    double p99Us = 0;
    double meanUs = 0;
    double throughputMiBs = 0;  ///< 2 x bytes / median round trip
    double engineCpuUs = 0;     ///< CPU per round trip on the sending side (thread CPU clock)
    double peerCpuUs = 0;       ///< CPU per round trip on the echoing side
};

/// The transports, the two baselines, and mpi (Open MPI's ping-pong) where it can run.
std::vector<std::string> defaultIpcMechanisms();

struct IpcLabOptions {
    std::vector<std::string> mechanisms = defaultIpcMechanisms();
    std::vector<std::size_t> sizes = {8, 64, 512, 4096, 32768, 262144, 1048576, 4194304};
    double secondsPerPoint = 0.2;  ///< time budget per mechanism and size
    std::size_t maxRoundTrips = 20000;
    std::size_t minRoundTrips = 5;
};

/// Runs the lab; `progress` (may be empty) gets each measurement as it is done. When `stop`
/// becomes true the lab ends within one round trip and returns the points completed so far;
/// an exception thrown by `progress` ends it too (every peer thread and process is stopped
/// and reaped on the way out).
std::vector<IpcMeasurement> runIpcLab(const IpcLabOptions& options,
                                      const std::function<void(const IpcMeasurement&)>& progress,
                                      const std::atomic<bool>* stop = nullptr);

/// The echo peer's loop (coreduel-worker --echo): returns the exit status.
int runEchoPeer(Transport transport);

/// Minimal ping-pong of 8-byte messages between this process and a forked child over the
/// bare kernel mechanism (two pipes, or two Unix socket pairs), blocking read/write and
/// nothing else: the floor the transports are held to. Median round trip in microseconds.
/// Call only from a single-threaded process (it forks without exec).
double rawPingPongUs(Transport t, std::size_t roundTrips);

}  // namespace coreduel
