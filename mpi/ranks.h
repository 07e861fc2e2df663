#pragma once
// The roles of coreduel-mpi-worker's ranks (each runs after MPI_Init and joinJob).

#include <string>
#include <vector>

#include "mpi/rank_common.h"

namespace coreduel::mpi {

/// Where rank 0 finds the engine: "HOST:PORT:TOKEN".
struct EngineAddress {
    std::string host;
    std::string port;
    std::string token;
};
EngineAddress parseEngineAddress(const std::string& text);

/// Rank 0: connects to the engine, reads the job, joins it (collective), coordinates.
/// Returns the exit status.
int runCoordinator(const EngineAddress& engine, int size, std::int64_t mainEnteredNs);

/// Ranks 1..N.
int runWorkerRank(const JobContext& job);

/// The IPC lab's ping-pong between ranks 0 and 1 (pingpong.cpp says what rank 0 prints).
struct PingPongOptions {
    std::vector<std::size_t> sizes;
    double secondsPerSize = 0.2;
    long minTrips = 5;
    long maxTrips = 20000;
};
PingPongOptions parsePingPong(const std::string& sizes, const std::string& seconds,
                              const std::string& minTrips, const std::string& maxTrips);
int runPingPong(int rank, const PingPongOptions& options);

}  // namespace coreduel::mpi
