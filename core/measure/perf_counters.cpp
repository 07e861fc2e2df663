#include "core/measure/perf_counters.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

namespace coreduel {

namespace {

struct EventDef {
    const char* name;
    const char* unit;
    std::uint32_t type;
    std::uint64_t config;
};

const EventDef kEvents[] = {
    {"task-clock", "ns", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {"context-switches", "count", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu-migrations", "count", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
    {"page-faults", "count", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {"cycles", "count", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", "count", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"cache-misses", "count", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
};

std::string paranoia() {
    std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
    std::string v;
    in >> v;
    return v.empty() ? "?" : v;
}

int openCounter(const EventDef& e, bool excludeKernel) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = e.type;
    attr.config = e.config;
    attr.disabled = 1;
    attr.inherit = 1;
    attr.exclude_kernel = excludeKernel ? 1 : 0;
    attr.exclude_hv = 1;
    attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    return static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

std::string explain(int err) {
    switch (err) {
        case EACCES:
        case EPERM:
            return std::string(strerrorname_np(err)) +
                   ": not permitted (kernel.perf_event_paranoid=" + paranoia() + ")";
        case ENOENT:
        case EOPNOTSUPP:
        case ENODEV:
            return std::string(strerrorname_np(err)) + ": this CPU or VM exposes no such counter";
        case ENOSYS:
            return "ENOSYS: the kernel has no perf_event_open";
        default:
            return std::string(strerrorname_np(err) ? strerrorname_np(err) : "error") + ": " +
                   std::strerror(err);
    }
}

}  // namespace

PerfCounters::PerfCounters() {
    for (const auto& e : kEvents) {
        Counter c{e.name, e.unit, UniqueFd(), ""};
        int fd = openCounter(e, false);
        // Unprivileged users may count their own user-space work only.
        if (fd < 0 && (errno == EACCES || errno == EPERM)) fd = openCounter(e, true);
        if (fd < 0)
            c.error = explain(errno);
        else
            c.fd.reset(fd);
        m_counters.push_back(std::move(c));
    }
}

void PerfCounters::start() {
    for (auto& c : m_counters) {
        if (!c.fd.valid()) continue;
        ::ioctl(c.fd.get(), PERF_EVENT_IOC_RESET, 0);
        ::ioctl(c.fd.get(), PERF_EVENT_IOC_ENABLE, 0);
    }
}

std::vector<CounterValue> PerfCounters::stop() {
    std::vector<CounterValue> out;
    for (auto& c : m_counters) {
        CounterValue v{c.name, c.unit, std::nullopt, c.error, 1.0};
        if (c.fd.valid()) {
            ::ioctl(c.fd.get(), PERF_EVENT_IOC_DISABLE, 0);
            std::uint64_t data[3] = {0, 0, 0};  // value, time enabled, time running
            if (::read(c.fd.get(), data, sizeof data) == static_cast<ssize_t>(sizeof data)) {
                if (data[2] == 0 && data[1] > 0) {
                    v.unavailable = "never scheduled on the PMU (all counters busy)";
                } else {
                    v.scaled = data[1] > 0
                                   ? static_cast<double>(data[2]) / static_cast<double>(data[1])
                                   : 1.0;
                    // Multiplexed counters are extrapolated to the whole run, as perf stat does.
                    v.value = v.scaled > 0 && v.scaled < 1
                                  ? static_cast<std::uint64_t>(data[0] / v.scaled)
                                  : data[0];
                }
            } else {
                v.unavailable = "read failed";
            }
        }
        out.push_back(std::move(v));
    }
    return out;
}

std::string PerfCounters::hardwareAvailability() {
    const int fd = openCounter(kEvents[4], true);
    if (fd < 0) return explain(errno);
    ::close(fd);
    return "available";
}

}  // namespace coreduel
