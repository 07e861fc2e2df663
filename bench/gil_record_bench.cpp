// What recording every GIL acquire and release costs: gil-threads primes (2 threads, a short
// switch interval so hand-overs are frequent) with recording on vs off, in alternating pairs
// so that drifting machine load hits both sides alike. Prints each pair and the median ratio.
//
//   coreduel-gil-record-bench [pairs=7] [end=3000000]

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/exec/executor.h"
#include "core/util/clock.h"
#include "core/workloads/workload.h"

using namespace coreduel;

namespace {

struct Sample {
    double seconds = 0;
    std::size_t intervals = 0;
    std::uint64_t switches = 0;
};

Sample runOnce(const Workload& workload, std::size_t cap) {
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = 2;
    config.chunksize = 1;
    config.gilSwitchInterval = std::chrono::microseconds(500);
    std::atomic<bool> cancel{false};
    ExecRequest req{workload, config, cancel, {}, {}, {}};
    req.gilTraceCap = cap;
    const auto t0 = monotonicNs();
    const auto out = runInProcess(req);
    const auto t1 = monotonicNs();
    if (!out.error.empty()) {
        std::fprintf(stderr, "run failed: %s\n", out.error.c_str());
        std::exit(1);
    }
    return {static_cast<double>(t1 - t0) / 1e9, out.gilTimeline.intervals.size(), out.gilSwitches};
}

}  // namespace

int main(int argc, char** argv) {
    const int pairs = argc > 1 ? std::atoi(argv[1]) : 7;
    const std::string end = argc > 2 ? argv[2] : "3000000";
    auto workload = createWorkload("primes", {{"end", end}, {"tasks", "256"}});
    runOnce(*workload, 0);  // warm-up
    std::vector<double> ratios;
    for (int i = 0; i < pairs; ++i) {
        // Alternate which side goes first: no side always gets the warmer cache.
        const bool onFirst = i % 2 == 0;
        const Sample a = runOnce(*workload, onFirst ? kDefaultGilTraceCap : 0);
        const Sample b = runOnce(*workload, onFirst ? 0 : kDefaultGilTraceCap);
        const Sample& on = onFirst ? a : b;
        const Sample& off = onFirst ? b : a;
        ratios.push_back(on.seconds / off.seconds);
        std::printf("pair %d: on %.4f s (%zu intervals, %llu switches), off %.4f s, ratio %.4f\n",
                    i, on.seconds, on.intervals, static_cast<unsigned long long>(on.switches),
                    off.seconds, ratios.back());
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("median ratio on/off: %.4f (min %.4f, max %.4f, %d pairs)\n",
                ratios[ratios.size() / 2], ratios.front(), ratios.back(), pairs);
    return 0;
}
