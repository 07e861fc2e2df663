#pragma once
// One time base for the whole engine: CLOCK_MONOTONIC in nanoseconds. It is system-wide, so
// timestamps taken in worker processes line up with the engine's own.

#include <cstdint>
#include <ctime>

namespace coreduel {

inline std::int64_t monotonicNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// CPU time consumed by the calling thread (user + system), in nanoseconds.
inline std::int64_t threadCpuNs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace coreduel
