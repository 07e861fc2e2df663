#pragma once
// Facts about this process from /proc/self and getrusage.

#include <cstdint>

namespace coreduel {

/// Resets the process's peak RSS (VmHWM) by writing 5 to /proc/self/clear_refs, so the peak of
/// one run is not the peak of an earlier one. False where the kernel does not allow it.
bool resetPeakRss();
/// VmHWM from /proc/self/status, in KiB; 0 if unreadable.
std::int64_t peakRssKib();

struct ThreadUsage {
    std::int64_t userNs = 0;
    std::int64_t systemNs = 0;
    std::uint64_t voluntary = 0;
    std::uint64_t involuntary = 0;
};
/// getrusage(RUSAGE_THREAD) of the calling thread.
ThreadUsage threadUsage();

}  // namespace coreduel
