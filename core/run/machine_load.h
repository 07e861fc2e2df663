#pragma once
// How much of the machine other programs used while our runs ran: the CPU sampler's
// system-wide busy time minus what this experiment itself used. A speedup measured while a
// compiler took half the cores says more about the compiler than about the model.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <mutex>

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
    [[nodiscard]] bool measured() const { return sampledSeconds > 0; }
};

/// Fed from the sampler's thread (add) and the engine thread (begin/endRun); thread-safe.
class MachineLoadMeter {
public:
    /// `ownCpuNs`: this process's CPU time (all threads) when the sample was taken; worker
    /// processes' time comes from the sample's schedstat readings.
    void add(const UtilizationSample& s, std::int64_t ownCpuNs);
    void add(const UtilizationSample& s);  ///< reads CLOCK_PROCESS_CPUTIME_ID itself
    void beginRun();
    void endRun();
    [[nodiscard]] MachineLoad result() const;

private:
    mutable std::mutex m_mutex;
    bool m_inRun = false;
    std::int64_t m_lastOwnNs = -1;
    std::map<pid_t, std::int64_t> m_lastRunNs;  ///< worker process -> schedstat run ns
    double m_otherCoreSeconds = 0, m_coreSeconds = 0, m_seconds = 0;
    double m_runOther = 0, m_runCores = 0;  ///< the current run
    double m_peakRunPct = 0;
};

}  // namespace coreduel
