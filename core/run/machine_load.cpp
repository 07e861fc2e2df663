#include "core/run/machine_load.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>

namespace coreduel {

void MachineLoadMeter::add(const UtilizationSample& s) {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    add(s, static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
}

void MachineLoadMeter::add(const UtilizationSample& s, std::int64_t ownCpuNs) {
    std::lock_guard lk(m_mutex);
    const std::int64_t ownDelta =
        m_lastOwnNs < 0 ? 0 : std::max<std::int64_t>(0, ownCpuNs - m_lastOwnNs);
    m_lastOwnNs = ownCpuNs;
    // Worker processes: schedstat's run time since the last sample (since their start for a
    // new one: they are watched from their first instant). Our own threads are inside
    // ownDelta already, with the engine and sampler threads that no schedstat reading covers.
    const pid_t self = ::getpid();
    std::int64_t workersNs = 0;
    for (const WorkerSample& w : s.workers) {
        if (w.pid == self) continue;
        const auto it = m_lastRunNs.find(w.tid);
        const std::int64_t before = it == m_lastRunNs.end() ? 0 : it->second;
        workersNs += std::max<std::int64_t>(0, w.stat.runNs - before);
        m_lastRunNs[w.tid] = w.stat.runNs;
    }
    if (!m_inRun || s.windowNs <= 0 || s.cores.empty()) return;
    // Summed over the machine, then clamped: per-core subtraction would count a worker that
    // migrated within the window as "other" on the core it left (schedstat places all of a
    // task's time on its last CPU), and /proc/stat's 10 ms ticks are coarse per core.
    // Steal counts as other programs' use: on a VM it is the host running someone else on
    // our virtual CPU, which slows the workers exactly as a local neighbour would.
    double busy = 0;
    for (const CoreUsage& c : s.cores) busy += c.busy() + c.steal;
    const double window = static_cast<double>(s.windowNs) / 1e9;
    const double ours = static_cast<double>(ownDelta + workersNs) / 1e9;
    const double cores = static_cast<double>(s.cores.size());
    const double other = std::clamp(busy * window - ours, 0.0, cores * window);
    m_otherCoreSeconds += other;
    m_coreSeconds += cores * window;
    m_seconds += window;
    m_runOther += other;
    m_runCores += cores * window;
}

void MachineLoadMeter::beginRun() {
    std::lock_guard lk(m_mutex);
    m_inRun = true;
    m_runOther = m_runCores = 0;
}

void MachineLoadMeter::endRun() {
    std::lock_guard lk(m_mutex);
    m_inRun = false;
    if (m_runCores > 0) m_peakRunPct = std::max(m_peakRunPct, 100.0 * m_runOther / m_runCores);
}

MachineLoad MachineLoadMeter::result() const {
    std::lock_guard lk(m_mutex);
    MachineLoad l;
    l.sampledSeconds = m_seconds;
    if (m_coreSeconds > 0) l.otherProgramsCpuPct = 100.0 * m_otherCoreSeconds / m_coreSeconds;
    l.peakRunOtherProgramsCpuPct = m_peakRunPct;
    return l;
}

}  // namespace coreduel
