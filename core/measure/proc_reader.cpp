#include "core/measure/proc_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace coreduel {

namespace {

/// Reads a small /proc file into `buf` (NUL-terminated). Returns bytes read, or -1.
ssize_t slurp(const char* path, char* buf, std::size_t size) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    std::size_t got = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf + got, size - 1 - got);
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
        if (got == size - 1) break;
    }
    ::close(fd);
    buf[got] = '\0';
    return static_cast<ssize_t>(got);
}

std::uint64_t fieldAfter(const char* text, const char* key) {
    const char* p = std::strstr(text, key);
    if (p == nullptr) return 0;
    p += std::strlen(key);
    while (*p == ' ' || *p == '\t' || *p == ':') ++p;
    return std::strtoull(p, nullptr, 10);
}

}  // namespace

ProcFile& ProcFile::operator=(ProcFile&& o) noexcept {
    if (this != &o) {
        if (m_fd >= 0) ::close(m_fd);
        m_path = std::move(o.m_path);
        m_fd = std::exchange(o.m_fd, -1);
    }
    return *this;
}

ProcFile::~ProcFile() {
    if (m_fd >= 0) ::close(m_fd);
}

ssize_t ProcFile::read(char* buf, std::size_t size) {
    if (m_fd < 0) m_fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) return -1;
    std::size_t got = 0;
    for (;;) {
        const ssize_t n = ::pread(m_fd, buf + got, size - 1 - got, static_cast<off_t>(got));
        if (n <= 0) {
            if (n < 0 && got == 0) return -1;  // e.g. ESRCH: the task is gone
            break;
        }
        got += static_cast<std::size_t>(n);
        if (got == size - 1) break;
    }
    buf[got] = '\0';
    return static_cast<ssize_t>(got);
}

long userHz() {
    static const long hz = ::sysconf(_SC_CLK_TCK);
    return hz > 0 ? hz : 100;
}

std::vector<CpuTimes> readProcStat() {
    static thread_local std::string buf(1 << 16, '\0');
    static thread_local ProcFile file("/proc/stat");
    const ssize_t n = file.read(buf.data(), buf.size());
    std::vector<CpuTimes> cpus;
    if (n <= 0) return cpus;
    const char* p = buf.data();
    while (*p != '\0') {
        if (std::strncmp(p, "cpu", 3) == 0 && p[3] >= '0' && p[3] <= '9') {
            char* end = nullptr;
            const auto index = std::strtoul(p + 3, &end, 10);
            CpuTimes t;
            std::uint64_t* fields[] = {&t.user,   &t.nice, &t.system,  &t.idle,
                                       &t.iowait, &t.irq,  &t.softirq, &t.steal};
            const char* q = end;
            for (auto* f : fields) {
                char* next = nullptr;
                *f = std::strtoull(q, &next, 10);
                q = next;
            }
            if (index >= cpus.size()) cpus.resize(index + 1);
            cpus[index] = t;
        } else if (std::strncmp(p, "cpu", 3) != 0 && !cpus.empty()) {
            break;  // the cpu lines come first; nothing more to read
        }
        const char* nl = std::strchr(p, '\n');
        if (nl == nullptr) break;
        p = nl + 1;
    }
    return cpus;
}

TaskReader::TaskReader(pid_t pid, pid_t tid) {
    const std::string base = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/";
    m_schedstat = ProcFile(base + "schedstat");
    m_stat = ProcFile(base + "stat");
    m_status = ProcFile(base + "status");
    m_sched = ProcFile(base + "sched");
}

std::optional<TaskStat> readTaskStat(pid_t pid, pid_t tid, bool full) {
    return TaskReader(pid, tid).read(full);
}

std::optional<TaskStat> TaskReader::read(bool full) {
    TaskStat s;
    char buf[4096];
    if (m_schedstat.read(buf, sizeof buf) <= 0) return std::nullopt;
    char* end = nullptr;
    s.runNs = std::strtoll(buf, &end, 10);
    s.waitNs = std::strtoll(end, nullptr, 10);

    if (m_stat.read(buf, sizeof buf) <= 0) return std::nullopt;
    // Fields after the command name, which may itself hold spaces and parentheses.
    const char* p = std::strrchr(buf, ')');
    if (p == nullptr) return std::nullopt;
    p += 2;  // now at field 3 (state)
    int field = 3;
    while (*p != '\0' && field <= 39) {
        if (field == 10) s.minorFaults = std::strtoull(p, nullptr, 10);
        if (field == 12) s.majorFaults = std::strtoull(p, nullptr, 10);
        if (field == 39) s.lastCpu = static_cast<int>(std::strtol(p, nullptr, 10));
        p = std::strchr(p, ' ');
        if (p == nullptr) break;
        ++p;
        ++field;
    }

    if (!full) return s;
    if (m_status.read(buf, sizeof buf) > 0) {
        s.voluntarySwitches = fieldAfter(buf, "\nvoluntary_ctxt_switches");
        s.involuntarySwitches = fieldAfter(buf, "nonvoluntary_ctxt_switches");
    }
    char sched[8192];
    if (m_sched.read(sched, sizeof sched) > 0) s.migrations = fieldAfter(sched, "se.nr_migrations");
    return s;
}

std::optional<MemoryStat> readMemoryStat(pid_t pid, bool withPss) {
    char path[64];
    char buf[4096];
    std::snprintf(path, sizeof path, "/proc/%d/statm", pid);
    if (slurp(path, buf, sizeof buf) <= 0) return std::nullopt;
    MemoryStat m;
    char* end = nullptr;
    std::strtoll(buf, &end, 10);  // size
    m.rssKib = std::strtoll(end, nullptr, 10) * (::sysconf(_SC_PAGESIZE) / 1024);
    if (withPss) {
        std::snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
        if (slurp(path, buf, sizeof buf) > 0 && std::strstr(buf, "Pss:") != nullptr)
            m.pssKib = static_cast<std::int64_t>(fieldAfter(buf, "\nPss"));
    }
    return m;
}

}  // namespace coreduel
