#include "core/run/machine_load.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <vector>

#include "core/util/sys.h"

namespace coreduel {

namespace {

struct ProcEntry {
    pid_t ppid = 0;
    std::int64_t ticks = 0;  ///< utime + stime + cutime + cstime, USER_HZ ticks
};

/// /proc/PID/stat's parent and CPU fields; false for a process gone or unreadable.
bool readProcStat(const char* pid, ProcEntry& out) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%s/stat", pid);
    const UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return false;
    char buffer[1024];
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer - 1);
    if (n <= 0) return false;
    buffer[n] = '\0';
    // The command name may hold spaces and parentheses: fields restart after the last ')'.
    char* p = std::strrchr(buffer, ')');
    if (p == nullptr) return false;
    ++p;
    // Field 3 (state) is the first after ')'; ppid is field 4, utime..cstime fields 14..17.
    std::int64_t ticks = 0;
    for (int field = 3; field <= 17; ++field) {
        while (*p == ' ') ++p;
        if (*p == '\0') return false;
        char* end = nullptr;
        if (field == 4) out.ppid = static_cast<pid_t>(std::strtol(p, &end, 10));
        if (field >= 14) ticks += std::strtoll(p, &end, 10);
        while (*p != ' ' && *p != '\0') ++p;
    }
    out.ticks = ticks;
    return true;
}

std::int64_t nsPerTick() {
    static const std::int64_t ns = [] {
        const long hz = ::sysconf(_SC_CLK_TCK);
        return hz > 0 ? 1'000'000'000 / hz : 10'000'000;
    }();
    return ns;
}

/// This process's own CPU time (exact) and that of the children it reaped.
std::int64_t selfAndReapedNs() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    rusage children{};
    ::getrusage(RUSAGE_CHILDREN, &children);
    std::int64_t ns = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    for (const timeval& t : {children.ru_utime, children.ru_stime})
        ns += static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_usec * 1000;
    return ns;
}

/// Every living process descending from `root` (and `root` itself), from one pass over /proc:
/// not every kernel has /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN).
std::map<pid_t, ProcEntry> processTree(pid_t root) {
    std::map<pid_t, ProcEntry> all;
    if (DIR* d = ::opendir("/proc")) {
        while (const dirent* e = ::readdir(d)) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            ProcEntry entry;
            if (readProcStat(e->d_name, entry))
                all[static_cast<pid_t>(std::atoi(e->d_name))] = entry;
        }
        ::closedir(d);
    }
    std::map<pid_t, ProcEntry> tree;
    if (const auto it = all.find(root); it != all.end()) tree.insert(*it);
    std::vector<pid_t> parents{root};
    while (!parents.empty()) {
        const pid_t parent = parents.back();
        parents.pop_back();
        for (const auto& [pid, entry] : all) {
            if (entry.ppid != parent || pid == root) continue;
            tree[pid] = entry;
            parents.push_back(pid);
        }
    }
    return tree;
}

}  // namespace

std::int64_t processTreeCpuNs(pid_t root) {
    const bool self = root == ::getpid();
    std::int64_t ns = self ? selfAndReapedNs() : 0;
    for (const auto& [pid, entry] : processTree(root))
        if (!self || pid != root) ns += entry.ticks * nsPerTick();
    return ns;
}

std::int64_t processTreeCpuNs() {
    return processTreeCpuNs(::getpid());
}

std::int64_t MachineLoadMeter::sampleTreeCpuNs() {
    // A pass over all of /proc costs ~15 us a process: done every kRescanEvery samples to find
    // new descendants; in between only the known ones are read. One found late loses nothing:
    // its first reading holds its time since birth, and one that ended meanwhile is in its
    // parent's reaped-children account.
    std::lock_guard lk(m_treeMutex);
    const pid_t self = ::getpid();
    std::int64_t ns = selfAndReapedNs();
    // Also at a run's first sample: its workers (a fork server's among them) are new then.
    if (m_treeSamples++ % kRescanEvery == 0 || m_rescan.exchange(false)) {
        m_descendants.clear();
        for (const auto& [pid, entry] : processTree(self)) {
            if (pid == self) continue;
            m_descendants.insert(pid);
            ns += entry.ticks * nsPerTick();
        }
        return ns;
    }
    for (const pid_t pid : m_descendants) {
        char name[24];
        std::snprintf(name, sizeof name, "%d", static_cast<int>(pid));
        ProcEntry entry;
        // A pid reused by a stranger since the last pass has a parent outside the tree.
        if (readProcStat(name, entry) &&
            (entry.ppid == self || m_descendants.count(entry.ppid) > 0))
            ns += entry.ticks * nsPerTick();
    }
    return ns;
}

void MachineLoadMeter::add(const UtilizationSample& s) {
    add(s, sampleTreeCpuNs());
}

void MachineLoadMeter::add(const UtilizationSample& s, std::int64_t treeCpuNs) {
    std::lock_guard lk(m_mutex);
    // Not clamped at 0: a child counted both alive and as reaped in one reading is taken back
    // in the next, so the sum over a run stays the tree's CPU time.
    const std::int64_t ownDelta = m_lastTreeNs < 0 ? 0 : treeCpuNs - m_lastTreeNs;
    m_lastTreeNs = treeCpuNs;
    if (!m_inRun || s.windowNs <= 0 || s.cores.empty()) return;
    // Summed over the machine, then clamped: per-core subtraction would count a worker that
    // migrated within the window as "other" on the core it left, and /proc/stat's 10 ms ticks
    // are coarse per core.
    // Steal counts as other programs' use: on a VM it is the host running someone else on
    // our virtual CPU, which slows the workers exactly as a local neighbour would.
    double busy = 0;
    for (const CoreUsage& c : s.cores) busy += c.busy() + c.steal;
    const double window = static_cast<double>(s.windowNs) / 1e9;
    const double ours = static_cast<double>(ownDelta) / 1e9;
    const double cores = static_cast<double>(s.cores.size());
    const double other = std::clamp(busy * window - ours, 0.0, cores * window);
    m_otherCoreSeconds += other;
    m_ownSeconds += ours;
    m_coreSeconds += cores * window;
    m_seconds += window;
    m_runOther += other;
    m_runCores += cores * window;
}

void MachineLoadMeter::beginRun() {
    m_rescan = true;
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
    l.ownCpuSeconds = std::max(0.0, m_ownSeconds);
    if (m_coreSeconds > 0) l.otherProgramsCpuPct = 100.0 * m_otherCoreSeconds / m_coreSeconds;
    l.peakRunOtherProgramsCpuPct = m_peakRunPct;
    return l;
}

}  // namespace coreduel
