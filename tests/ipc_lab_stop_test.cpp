// Stopping the IPC lab: wherever it is (a transport, the thread-queue or the spin baseline),
// it must return promptly with what it measured. A lab that cannot be stopped froze the
// window (its runner is destroyed when the window closes).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "core/measure/ipc_lab.h"
#include "core/util/clock.h"
#include "test_support.h"

using namespace coreduel;

namespace {

struct Stop {};

/// Runs `f` on a thread of its own and fails (and ends the test binary: a hung thread cannot be
/// cleaned up) if it does not return within a generous bound.
template <class F>
void mustReturn(F f, const char* what) {
    std::packaged_task<void()> task(f);
    auto done = task.get_future();
    std::thread t(std::move(task));
    if (done.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        ADD_FAILURE() << what << " did not return: the lab cannot be stopped";
        std::fflush(nullptr);
        std::_Exit(1);
    }
    t.join();
    done.get();
}

IpcLabOptions longLab(std::vector<std::string> mechanisms) {
    IpcLabOptions o;
    o.mechanisms = std::move(mechanisms);
    o.sizes = {8, 64, 512, 4096, 32768};
    o.secondsPerPoint = 5;  // far longer than any test waits: only stopping ends it
    o.maxRoundTrips = 100'000'000;
    return o;
}

}  // namespace

TEST(IpcLabStop, AnExceptionFromProgressInABaselineUnwindsWithoutHanging) {
    for (const char* mechanism : {"thread-queue", "spin"}) {
        auto o = longLab({mechanism});
        o.secondsPerPoint = 0.001;
        o.minRoundTrips = 2;
        mustReturn(
            [&] { EXPECT_THROW(runIpcLab(o, [](const IpcMeasurement&) { throw Stop{}; }), Stop); },
            mechanism);
    }
}

TEST(IpcLabStop, TheStopFlagEndsEveryMechanismMidPoint) {
    for (const char* mechanism : {"thread-queue", "spin", "pipe", "shm"}) {
        const auto fds = countOpenFds();
        std::atomic<bool> stop{false};
        std::vector<IpcMeasurement> got;
        mustReturn(
            [&] {
                std::jthread stopper([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                    stop = true;
                });
                got = runIpcLab(longLab({mechanism}), {}, &stop);
            },
            mechanism);
        // Stopped long before the end (each point is sized to take seconds).
        EXPECT_LT(got.size(), longLab({}).sizes.size()) << mechanism;
        EXPECT_EQ(countOpenFds(), fds) << mechanism;
        EXPECT_TRUE(coreduel::test::childPids().empty()) << mechanism;
    }
}
