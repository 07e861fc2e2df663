#pragma once
// Readers for the kernel's per-CPU and per-task accounting in /proc. Plain read(2) into a
// stack buffer: they run many times a second and must cost little.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coreduel {

/// One cpuN line of /proc/stat, in USER_HZ ticks.
struct CpuTimes {
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                  steal = 0;
    [[nodiscard]] std::uint64_t total() const {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }
};

/// A /proc file kept open and re-read with pread(2) at offset 0: in /proc the path lookup and
/// open cost more than the read, and the sampler reads the same files many times a second.
class ProcFile {
public:
    ProcFile() = default;
    explicit ProcFile(std::string path) : m_path(std::move(path)) {}
    ProcFile(ProcFile&& o) noexcept
        : m_path(std::move(o.m_path)), m_fd(std::exchange(o.m_fd, -1)) {}
    ProcFile& operator=(ProcFile&& o) noexcept;
    ProcFile(const ProcFile&) = delete;
    ProcFile& operator=(const ProcFile&) = delete;
    ~ProcFile();
    /// Reads the whole file (up to size - 1 bytes) into buf, NUL-terminated; -1 on failure.
    ssize_t read(char* buf, std::size_t size);

private:
    std::string m_path;
    int m_fd = -1;
};

/// Per-CPU lines of /proc/stat, indexed by CPU number (gaps for offline CPUs stay zero).
std::vector<CpuTimes> readProcStat();

/// USER_HZ: the unit /proc/stat counts in (100 on Linux, so 10 ms per tick).
long userHz();

/// What the kernel says about one task (a thread, or a process's main thread).
struct TaskStat {
    std::int64_t runNs = 0;   ///< schedstat: time on a CPU, ns
    std::int64_t waitNs = 0;  ///< schedstat: time runnable but waiting for a CPU, ns
    int lastCpu = -1;         ///< stat field 39
    std::uint64_t minorFaults = 0;
    std::uint64_t majorFaults = 0;
    std::uint64_t voluntarySwitches = 0;
    std::uint64_t involuntarySwitches = 0;
    std::uint64_t migrations = 0;  ///< sched: se.nr_migrations (0 where the kernel hides it)
};

/// Reads /proc/PID/task/TID/{schedstat,stat}, and with `full` also status and sched (context
/// switches and migrations: larger files, needed less often). nullopt once the task is gone.
class TaskReader {
public:
    TaskReader(pid_t pid, pid_t tid);
    std::optional<TaskStat> read(bool full = true);

private:
    ProcFile m_schedstat, m_stat, m_status, m_sched;
};

/// One-off convenience over TaskReader.
std::optional<TaskStat> readTaskStat(pid_t pid, pid_t tid, bool full = true);

/// Resident and proportional set size of a process, KiB (PSS from smaps_rollup, which costs
/// a page-table walk: read it less often than the rest).
struct MemoryStat {
    std::int64_t rssKib = 0;
    std::int64_t pssKib = -1;  ///< -1 when not read or not available
};
std::optional<MemoryStat> readMemoryStat(pid_t pid, bool withPss);

}  // namespace coreduel
