#pragma once
// One time base for the whole engine: CLOCK_MONOTONIC in nanoseconds. It is system-wide, so
// timestamps taken in worker processes line up with the engine's own.

#include <sys/time.h>

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

/// A getrusage/wait4 time (microsecond resolution) in nanoseconds.
inline std::int64_t toNs(const timeval& t) {
    return (static_cast<std::int64_t>(t.tv_sec) * 1'000'000 + t.tv_usec) * 1000;
}

}  // namespace coreduel
