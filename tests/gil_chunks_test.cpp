// gil-threads keep the lock across chunks, as a CPython pool thread does: taking the next work
// item from a queue that has one does not block, so it does not let the GIL go.

#include <gtest/gtest.h>

#include <atomic>

#include "core/exec/executor.h"
#include "core/workloads/workload.h"

using namespace coreduel;

namespace {

ExecOutcome runGilThreads(const char* end, std::chrono::microseconds interval) {
    auto workload = createWorkload("primes", {{"end", end}, {"tasks", "32"}});
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = 2;
    config.chunksize = 1;
    config.gilSwitchInterval = interval;
    std::atomic<bool> cancel{false};
    ExecRequest req{*workload, config, cancel, {}, {}, {}};
    return runInProcess(req);
}

}  // namespace

// With a switch interval far longer than the run, nothing forces a switch: whichever thread
// takes the lock first runs every chunk, the other takes it once, finds the queue empty and
// ends. A thread that let go between chunks would take it once per chunk (32 here).
TEST(GilChunks, TheLockIsKeptFromOneChunkToTheNext) {
    const auto out = runGilThreads("400000", std::chrono::seconds(30));
    ASSERT_TRUE(out.error.empty()) << out.error;
    std::uint64_t acquisitions = 0, forced = 0, tasks = 0;
    for (const auto& w : out.workers) {
        acquisitions += w.gil.acquisitions;
        forced += w.gil.forcedDrops;
        tasks += w.tasks;
    }
    EXPECT_EQ(tasks, 32u);
    EXPECT_EQ(forced, 0u);
    EXPECT_EQ(acquisitions, 2u) << "one acquisition per thread, not one per chunk";
}

// The switch interval still hands the lock over between and inside chunks.
TEST(GilChunks, TheSwitchIntervalStillHandsItOver) {
    const auto out = runGilThreads("3000000", std::chrono::microseconds(500));
    ASSERT_TRUE(out.error.empty()) << out.error;
    std::uint64_t forced = 0;
    for (const auto& w : out.workers) {
        forced += w.gil.forcedDrops;
        EXPECT_GT(w.tasks, 0u) << "both threads got work";
    }
    EXPECT_GT(forced, 0u);
}
