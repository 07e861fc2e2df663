#pragma once
// How much of the machine other programs used while our runs ran: the CPU sampler's
// system-wide busy time minus what this experiment itself used. A speedup measured while a
// compiler took half the cores says more about the compiler than about the model.
//
// "What we used" is measured, never inferred: the CPU time of this process and of every
// process it started, directly or not (worker processes, the fork server and its workers, a
// python3 interpreter and its multiprocessing Pool, mpirun and its ranks), alive or already
// ended. Only what is left of the busy time is "other programs".

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>

#include "core/measure/cpu_sampler.h"

namespace coreduel {

/// Above this share of the machine's CPUs used by other programs, a run is "on a busy
/// machine": its speedups are not the models' own (warned about; lessons say so).
inline constexpr double kBusyOtherProgramsPct = 20.0;

struct MachineLoad {
    /// Other programs' CPU time over the runs' sampled time, % of all the machine's CPUs
    /// (100 = every core busy with something else the whole time).
    double otherProgramsCpuPct = 0;
    double peakRunOtherProgramsCpuPct = 0;  ///< the busiest single run, same unit
    double sampledSeconds = 0;              ///< 0: not measured (no sampler)
    /// CPU time of this process and its descendants over the sampled windows (s): what was
    /// taken out of the busy time as ours. Not saved in result files.
    double ownCpuSeconds = 0;
    [[nodiscard]] bool measured() const { return sampledSeconds > 0; }
};

/// CPU time (user + system, ns) used so far by process `root` and every process descending
/// from it: the living ones read from /proc/PID/stat (their own time and that of the children
/// they already reaped), plus what `root` itself reaped. For this process its own time comes
/// from CLOCK_PROCESS_CPUTIME_ID (exact) and its reaped children from getrusage. A descendant
/// that moves from "alive" to "reaped by its parent" keeps its time in the sum, so differences
/// between two calls are the tree's CPU time in between (to a clock tick per process).
[[nodiscard]] std::int64_t processTreeCpuNs(pid_t root);
[[nodiscard]] std::int64_t processTreeCpuNs();  ///< of this process

/// Fed from the sampler's thread (add) and the engine thread (begin/endRun); thread-safe.
class MachineLoadMeter {
public:
    /// `treeCpuNs`: processTreeCpuNs() when the sample was taken.
    void add(const UtilizationSample& s, std::int64_t treeCpuNs);
    void add(const UtilizationSample& s);  ///< reads processTreeCpuNs() itself
    void beginRun();
    void endRun();
    [[nodiscard]] MachineLoad result() const;

private:
    /// processTreeCpuNs() of this process, with the full pass over /proc only every few calls.
    std::int64_t sampleTreeCpuNs();
    static constexpr unsigned kRescanEvery = 4;
    std::mutex m_treeMutex;
    std::set<pid_t> m_descendants;  ///< found by the last full pass
    unsigned m_treeSamples = 0;
    std::atomic<bool> m_rescan{false};  ///< set by beginRun: a full pass at the next sample

    mutable std::mutex m_mutex;
    bool m_inRun = false;
    std::int64_t m_lastTreeNs = -1;
    double m_otherCoreSeconds = 0, m_coreSeconds = 0, m_seconds = 0, m_ownSeconds = 0;
    double m_runOther = 0, m_runCores = 0;  ///< the current run
    double m_peakRunPct = 0;
};

}  // namespace coreduel
