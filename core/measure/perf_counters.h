#pragma once
// Kernel performance counters (perf_event_open) around one run: software events always where
// the kernel allows them, hardware events where the CPU (or the VM) exposes them. Counters
// are opened on the engine thread with `inherit`, so they also count the worker threads and
// worker processes it starts during the run (not the fork server's children: not ours).
// Each counter that cannot be had says why.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/sys.h"

namespace coreduel {

struct CounterValue {
    std::string name;  ///< "task-clock", "context-switches", "cycles", ...
    std::string unit;  ///< "ns", "count"
    std::optional<std::uint64_t> value;
    std::string unavailable;  ///< why there is no value ("EACCES: perf_event_paranoid=3", ...)
    double scaled = 1.0;      ///< fraction of the run the counter was live (multiplexing)
};

class PerfCounters {
public:
    PerfCounters();  ///< opens (disabled) every counter it can
    PerfCounters(const PerfCounters&) = delete;
    PerfCounters& operator=(const PerfCounters&) = delete;
    void start();
    std::vector<CounterValue> stop();

    /// Whether hardware counters (cycles) can be opened here, and if not, why.
    static std::string hardwareAvailability();

private:
    struct Counter {
        std::string name;
        std::string unit;
        UniqueFd fd;
        std::string error;
    };
    std::vector<Counter> m_counters;
};

}  // namespace coreduel
