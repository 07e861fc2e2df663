// The sampler against a known load: a busy thread pinned to one core reads near 100 % there,
// the per-core numbers add up to what /proc/stat says over the same span, and our own-workers
// view attributes the thread's time (as much as the machine gave it) to that core. Nothing
// assumes an idle machine: other tests or a CPU hog may run beside it.

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <time.h>
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
    // Every check compares the sampler with what the machine really gave: other processes
    // may load any core (a CI machine with a CPU hog, tests run in parallel), so nothing here
    // assumes an idle core or that the busy thread got its core to itself.
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
    clockid_t busyClock;
    ASSERT_EQ(::pthread_getcpuclockid(busy.native_handle(), &busyClock), 0);
    const auto busyCpuNs = [&] {
        timespec ts{};
        ::clock_gettime(busyClock, &ts);
        return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
    };

    std::mutex m;
    std::vector<double> system(cpus, 0), ours(cpus, 0);
    std::int64_t total = 0;
    std::size_t samples = 0;
    // The test's own readings at the edges of the counted windows, taken right after the
    // sampler's: /proc/stat (every process) and the busy thread's CPU clock (the scheduler's
    // own account of what the thread got, independent of schedstat).
    std::vector<CpuTimes> statFirst, statLast;
    std::int64_t threadFirst = 0, threadLast = 0;
    CpuSampler sampler(20, [&](UtilizationSample&& s) {
        std::lock_guard lk(m);
        statLast = readProcStat();
        threadLast = busyCpuNs();
        if (samples++ == 0) {  // the first window may predate the pinning
            statFirst = statLast;
            threadFirst = threadLast;
            return;
        }
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

    std::lock_guard lk(m);
    ASSERT_GT(total, 800'000'000);  // about one second of windows
    ASSERT_GE(statFirst.size(), cpus);
    ASSERT_GE(statLast.size(), cpus);
    // The pinned, always-runnable thread keeps its core busy whoever else runs there.
    const double sysBusy = 100 * system[busyCpu] / total;
    EXPECT_GT(sysBusy, 90.0) << "/proc/stat view of the busy core";
    // Each core's share, summed window by window, is what /proc/stat says over the whole
    // span: the windows neither drop nor double-count time, and core numbers are not mixed
    // up (the busy core's load does not show up on another).
    for (unsigned c = 0; c < cpus; ++c) {
        const auto& a = statFirst[c];
        const auto& b = statLast[c];
        const double ticks = static_cast<double>(b.total() - a.total());
        if (ticks <= 0) continue;  // an offline CPU
        const double busyTicks =
            static_cast<double>((b.user + b.nice + b.system + b.irq + b.softirq) -
                                (a.user + a.nice + a.system + a.irq + a.softirq));
        EXPECT_NEAR(100 * system[c] / total, 100 * busyTicks / ticks, 6.0)
            << "core " << c << ": the sampler's windows against /proc/stat over the same span";
    }
    if (haveSchedstat) {
        double oursAll = 0;
        for (unsigned c = 0; c < cpus; ++c) oursAll += ours[c];
        // What the thread really ran, whatever share of its core the machine gave it.
        const double ranNs = static_cast<double>(threadLast - threadFirst);
        ASSERT_GT(ranNs, 0.0) << "the busy thread never ran";
        EXPECT_NEAR(oursAll, ranNs, 0.05 * ranNs + 5e6)
            << "schedstat view: the busy thread's time, all cores";
        EXPECT_GT(ours[busyCpu], 0.95 * oursAll) << "the pinned thread's time went to another core";
    }
    EXPECT_LT(100.0 * sampler.ownCpuSeconds() / sampler.ranSeconds(), 5.0);
}
