// The sampler against a known load: a busy thread pinned to one core reads near 100 % there,
// and our own-workers view attributes its time to that core. Runs serially (RUN_SERIAL): other
// tests would load the "idle" core.

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "core/measure/cpu_sampler.h"
#include "core/util/clock.h"

using namespace coreduel;

TEST(Sampler, UsageBetweenTwoReadings) {
    CpuTimes a, b;
    b.user = 30;
    b.nice = 10;
    b.system = 5;
    b.irq = 3;
    b.softirq = 2;
    b.iowait = 10;
    b.steal = 5;
    b.idle = 35;  // 100 ticks in all
    const auto u = CpuSampler::usageBetween({a}, {b});
    ASSERT_EQ(u.size(), 1u);
    EXPECT_FLOAT_EQ(u[0].user, 0.40f);
    EXPECT_FLOAT_EQ(u[0].system, 0.10f);
    EXPECT_FLOAT_EQ(u[0].iowait, 0.10f);
    EXPECT_FLOAT_EQ(u[0].steal, 0.05f);
    EXPECT_FLOAT_EQ(u[0].idle, 0.35f);
    EXPECT_FLOAT_EQ(u[0].busy(), 0.50f);
}

TEST(Sampler, APinnedBusyThreadFillsItsCore) {
    const unsigned cpus = std::thread::hardware_concurrency();
    if (cpus < 2) GTEST_SKIP() << "needs two cores";
    const int busyCpu = static_cast<int>(cpus) - 1;
    std::atomic<bool> stop{false};
    std::atomic<pid_t> busyTid{0};
    std::jthread busy([&] {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(busyCpu, &set);
        ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set);
        busyTid = ::gettid();
        while (!stop.load(std::memory_order_relaxed)) {
        }
    });
    while (busyTid.load() == 0) std::this_thread::yield();

    std::mutex m;
    std::vector<double> system(cpus, 0), ours(cpus, 0);
    std::int64_t total = 0;
    std::size_t samples = 0;
    CpuSampler sampler(20, [&](UtilizationSample&& s) {
        std::lock_guard lk(m);
        if (total == 0 && samples++ == 0) return;  // the first window may predate the pinning
        for (std::size_t c = 0; c < s.cores.size() && c < cpus; ++c) {
            system[c] += s.cores[c].busy() * s.windowNs;
            ours[c] += s.cores[c].ours * s.windowNs;
        }
        total += s.windowNs;
    });
    sampler.addWatched({0, ::getpid(), busyTid.load()});
    sampler.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    sampler.stop();
    // Kernels without CONFIG_SCHED_INFO report no schedstat: then there is no "ours" view.
    const auto stat = readTaskStat(::getpid(), busyTid.load());
    const bool haveSchedstat = stat && stat->runNs > 0;
    stop = true;

    ASSERT_GT(total, 800'000'000);  // about one second of windows
    const double sysBusy = 100 * system[busyCpu] / total;
    const double oursBusy = 100 * ours[busyCpu] / total;
    double oursElsewhere = 0;
    for (unsigned c = 0; c < cpus; ++c)
        if (static_cast<int>(c) != busyCpu) oursElsewhere += 100 * ours[c] / total;
    EXPECT_GT(sysBusy, 90.0) << "/proc/stat view of the busy core";
    if (haveSchedstat) {
        EXPECT_GT(oursBusy, 90.0) << "schedstat view of the busy core";
        EXPECT_LT(oursElsewhere, 5.0) << "the pinned thread's time went to another core";
    }
    if (cpus == 2) {
        // With the test running alone (RUN_SERIAL) the other core is near idle.
        const int other = 1 - busyCpu;
        EXPECT_LT(100 * system[other] / total, 35.0);
    }
    EXPECT_LT(100.0 * sampler.ownCpuSeconds() / sampler.ranSeconds(), 5.0);
}
