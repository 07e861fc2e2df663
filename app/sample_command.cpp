#include "app/sample_command.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "core/measure/cpu_sampler.h"

namespace coreduel::app {

/// Per-second averages of the sampler's windows: what mpstat -P ALL 1 prints, from our source.
int sampleCommand(double seconds, double hz) {
    std::mutex mutex;
    std::vector<double> busy, user, system;
    std::int64_t windowNs = 0;
    int printed = 0;
    CpuSampler sampler(hz, [&](UtilizationSample&& s) {
        std::lock_guard lk(mutex);
        if (busy.size() < s.cores.size())
            busy.resize(s.cores.size()), user.resize(s.cores.size()), system.resize(s.cores.size());
        for (std::size_t c = 0; c < s.cores.size(); ++c) {
            busy[c] += s.cores[c].busy() * s.windowNs;
            user[c] += s.cores[c].user * s.windowNs;
            system[c] += s.cores[c].system * s.windowNs;
        }
        windowNs += s.windowNs;
        if (windowNs < 1'000'000'000 - s.windowNs / 2) return;
        std::printf("%3d s", ++printed);
        for (std::size_t c = 0; c < busy.size(); ++c)
            std::printf("  cpu%zu %5.1f%% (usr %5.1f sys %5.1f)", c, 100 * busy[c] / windowNs,
                        100 * user[c] / windowNs, 100 * system[c] / windowNs);
        std::printf("\n");
        std::fflush(stdout);
        std::fill(busy.begin(), busy.end(), 0.0);
        std::fill(user.begin(), user.end(), 0.0);
        std::fill(system.begin(), system.end(), 0.0);
        windowNs = 0;
    });
    std::printf(
        "per-core busy = user+nice+system+irq+softirq, from %s (%s); %.0f Hz windows summed to 1 "
        "s\n",
        sampler.info().systemSource.c_str(), "USER_HZ ticks: 1 % resolution over 1 s", hz);
    sampler.start();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds + 0.02));
    sampler.stop();
    std::printf("sampler cost: %.3f %% of one core\n",
                100.0 * sampler.ownCpuSeconds() / sampler.ranSeconds());
    return 0;
}

}  // namespace coreduel::app
