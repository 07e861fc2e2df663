#pragma once
// What rank 0 and the worker ranks do alike: agree on who samples which host, compare clocks,
// sample a host's cores, account for their own resources.

#include <sys/resource.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/exec/mpi_wire.h"

namespace coreduel {
class CpuSampler;
}

namespace coreduel::mpi {

struct JobContext {
    int rank = 0;
    int size = 0;
    std::string host;
    std::int64_t mainEnteredNs = 0;
    bool samplesHost = false;  ///< the lowest rank on its host samples the host's cores
    double sampleHz = 0;
};

/// Collective (every rank calls it): host names are exchanged and rank 0's sample rate is
/// broadcast.
JobContext joinJob(int rank, int size, std::int64_t mainEnteredNs, double sampleHz);

/// Worker ranks: answers rank 0's clock pings until it says the exchange is over.
void serveClock();
/// Rank 0: `rounds` pings to `rank`; the best one.
mpiwire::ClockOffset measureClock(int rank, int rounds);
/// Rank 0: ends the exchange with `rank`.
void endClock(int rank);

/// This process's resource use (getrusage) and peak RSS (VmHWM).
struct Usage {
    std::int64_t userNs = 0, systemNs = 0, maxRssKib = 0;
    std::int64_t voluntary = 0, involuntary = 0, minorFaults = 0, majorFaults = 0;
};
Usage usageNow();
/// `end - start`, with the peak RSS of `end`.
void fillUsage(mpiwire::RankFinal& f, const Usage& start, const Usage& end);

/// Per-core busy shares of this host from /proc/stat, on a thread of its own, kept until the
/// run ends (the thread makes no MPI call).
class HostSampler {
public:
    HostSampler(const JobContext& job);
    ~HostSampler();
    /// Stops sampling and hands the samples over.
    mpiwire::HostSamples finish();

private:
    std::mutex m_mutex;
    mpiwire::HostSamples m_samples;
    std::unique_ptr<CpuSampler> m_sampler;
};

}  // namespace coreduel::mpi
