#pragma once
// What an `mpi` run adds to a run's numbers: where each rank ran, how its clock compared with
// the engine's, and the per-core busy shares of every host taking part.

#include <cstdint>
#include <string>
#include <vector>

namespace coreduel {

struct MpiRank {
    std::uint32_t rank = 0;  ///< 0 coordinates; worker w is rank w + 1
    std::string host;
    std::int32_t pid = 0;
    /// Same kernel as the engine (same boot id): the task times need no correction and are
    /// placed exactly. Otherwise they are moved by offsetNs, known to +- uncertaintyNs.
    bool sharedClock = false;
    /// The rank's clock minus the engine's, estimated by ping-pong at the start and at the
    /// end (rank 0 to the engine over TCP, plus the rank to rank 0 over MPI), NTP style.
    std::int64_t offsetNs = 0;
    std::int64_t uncertaintyNs = 0;
    std::int64_t endOffsetNs = 0;
    std::int64_t endUncertaintyNs = 0;
};

/// One host's cores over the run, sampled from /proc/stat by the lowest rank on it.
struct HostUtilization {
    std::string host;
    std::uint32_t rank = 0;  ///< the rank that sampled it
    std::uint32_t cores = 0;
    std::vector<std::int64_t> timeNs;  ///< end of each window, the engine's clock
    std::vector<std::int64_t> windowNs;
    std::vector<std::vector<float>> busy;  ///< [sample][core], user + system, 0..1
};

struct MpiRunInfo {
    std::string mpirun;         ///< the launcher that ran the job
    std::string hostfile;       ///< "" for this machine only
    std::int64_t launchNs = 0;  ///< mpirun started -> every rank ready (outside the wall time)
    std::vector<MpiRank> ranks;
    std::vector<HostUtilization> hosts;
};

}  // namespace coreduel
