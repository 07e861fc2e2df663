#pragma once
// Live per-core utilization and per-worker statistics, sampled on a thread of its own (never
// driven by a GUI timer, whose stalls would skew the windows).
//
// Two sources, each sample says which:
// - system-wide, from /proc/stat: every process on every core, but counted in USER_HZ ticks
//   (10 ms), so a 50 ms window is quantized to 20 % and a 1 s window to 1 %;
// - ours, from /proc/PID/task/TID/schedstat: the ns our own workers spent on a CPU,
//   attributed to the core each last ran on (exact time, approximate place if a worker
//   migrated within the window).

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/measure/proc_reader.h"
#include "core/util/sys.h"

namespace coreduel {

/// Fractions of the window, 0..1.
struct CoreUsage {
    float user = 0;    ///< user + nice
    float system = 0;  ///< system + irq + softirq
    float iowait = 0;
    float steal = 0;  ///< taken by the hypervisor
    float idle = 0;
    float ours = 0;  ///< our workers, from schedstat (ns)
    [[nodiscard]] float busy() const { return user + system; }
};

/// A worker the sampler follows: a thread of this process or a worker process.
struct WatchedTask {
    std::uint32_t worker = 0;
    pid_t pid = 0;
    pid_t tid = 0;
};

struct WorkerSample {
    std::uint32_t worker = 0;
    pid_t pid = 0;
    pid_t tid = 0;
    TaskStat stat;
    std::int64_t rssKib = 0;
    std::int64_t pssKib = -1;
};

struct UtilizationSample {
    std::int64_t timeNs = 0;  ///< end of the window, CLOCK_MONOTONIC (the task timeline's clock)
    std::int64_t windowNs = 0;
    /// Where the numbers come from, and how fine they are (static strings).
    const char* systemSource = "/proc/stat";                  ///< CoreUsage user..idle
    const char* oursSource = "/proc/PID/task/TID/schedstat";  ///< CoreUsage::ours
    double systemResolutionPct = 0;  ///< one USER_HZ tick over this window, percentage points
    double oursResolutionPct = 0;    ///< 1 ns over this window: effectively exact
    std::vector<CoreUsage> cores;
    std::vector<WorkerSample> workers;
};

struct SamplerInfo {
    std::string systemSource = "/proc/stat";
    std::string oursSource = "/proc/PID/task/TID/schedstat";
    double tickSeconds = 0.01;      ///< /proc/stat resolution
    double intervalSeconds = 0.05;  ///< window length asked for
    /// One tick over one window on one core, in percentage points: the quantization of the
    /// system-wide numbers.
    [[nodiscard]] double systemResolutionPct() const {
        return 100.0 * tickSeconds / intervalSeconds;
    }
};

class CpuSampler {
public:
    using Emit = std::function<void(UtilizationSample&&)>;
    /// `emit` is called on the sampler's thread.
    CpuSampler(double hz, Emit emit);
    ~CpuSampler();
    CpuSampler(const CpuSampler&) = delete;
    CpuSampler& operator=(const CpuSampler&) = delete;

    void start();
    void stop();
    /// Replaces the set of workers followed (thread-safe; empty between runs).
    void watch(std::vector<WatchedTask> tasks);
    void addWatched(const WatchedTask& task);
    [[nodiscard]] const SamplerInfo& info() const { return m_info; }
    /// CPU time the sampler thread itself used, and for how long it ran.
    [[nodiscard]] double ownCpuSeconds() const { return m_ownCpuNs.load() / 1e9; }
    [[nodiscard]] double ranSeconds() const { return m_ranNs.load() / 1e9; }

    /// One sample from two readings (pure; public for tests).
    static std::vector<CoreUsage> usageBetween(const std::vector<CpuTimes>& before,
                                               const std::vector<CpuTimes>& after);

private:
    void loop(std::stop_token stop);

    SamplerInfo m_info;
    Emit m_emit;
    UniqueFd m_wake;  ///< eventfd: stop() wakes the sleeping sampler
    std::jthread m_thread;
    std::mutex m_mutex;
    std::vector<WatchedTask> m_watched;
    std::map<pid_t, TaskStat> m_lastFull;   ///< sampler thread only
    std::map<pid_t, TaskReader> m_readers;  ///< sampler thread only: open /proc files per task
    std::atomic<std::int64_t> m_ownCpuNs{0};
    std::atomic<std::int64_t> m_ranNs{0};
};

}  // namespace coreduel
