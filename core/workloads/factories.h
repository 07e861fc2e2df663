#pragma once
// Private to core/workloads: one declaration pair per workload file, collected by registry.cpp.

#include <memory>

#include "core/workloads/workload.h"

namespace coreduel::workloads {

#define COREDUEL_DECLARE_WORKLOAD(id) \
    const WorkloadInfo& id##Info();   \
    std::unique_ptr<Workload> create##id(ParamValues params);

COREDUEL_DECLARE_WORKLOAD(Primes)
COREDUEL_DECLARE_WORKLOAD(Mandelbrot)
COREDUEL_DECLARE_WORKLOAD(Factorial)
COREDUEL_DECLARE_WORKLOAD(Square)
COREDUEL_DECLARE_WORKLOAD(Image)
COREDUEL_DECLARE_WORKLOAD(Sleep)
COREDUEL_DECLARE_WORKLOAD(FileIo)
COREDUEL_DECLARE_WORKLOAD(Memory)
COREDUEL_DECLARE_WORKLOAD(Fault)
COREDUEL_DECLARE_WORKLOAD(Amdahl)
COREDUEL_DECLARE_WORKLOAD(Counter)
COREDUEL_DECLARE_WORKLOAD(Startup)
COREDUEL_DECLARE_WORKLOAD(Native)
COREDUEL_DECLARE_WORKLOAD(PythonFunction)
COREDUEL_DECLARE_WORKLOAD(Convoy)

#undef COREDUEL_DECLARE_WORKLOAD

/// Half-open slice [first, last) of [begin, end) that task `index` of `tasks` covers.
inline std::pair<std::uint64_t, std::uint64_t> sliceOf(std::uint64_t begin, std::uint64_t end,
                                                       std::size_t index, std::size_t tasks) {
    // len / tasks * i + (len % tasks) * i / tasks == floor(len * i / tasks) without overflow:
    // (len % tasks) * i < tasks^2 <= 10^12.
    const auto len = end - begin;
    const auto at = [&](std::uint64_t i) { return len / tasks * i + (len % tasks) * i / tasks; };
    const auto first = begin + at(index);
    const auto last = begin + at(index + 1);
    return {first, last};
}

}  // namespace coreduel::workloads
