// The time breakdown and the cross-process timeline hang together: one clock for engine and
// workers, and per-worker parts that add up to no more than the run.

#include <gtest/gtest.h>

#include "test_support.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

TEST(Timeline, ProcessTaskTimesLineUpWithTheEnginesClock) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "100000"}, {"tasks", "20"}};
    e.models = {Model::Processes};
    e.workerCounts = {2};
    e.chunksizes = {2};
    RecordingSink sink;
    const auto result = runExperiment(e, &sink);
    ASSERT_TRUE(result.allOk());
    const auto& events = sink.eventsByRun.at(1);
    ASSERT_EQ(events.size(), 20u);
    for (const auto& ev : events) {
        // Sent by the engine, computed in the worker, received by the engine: in that order on
        // CLOCK_MONOTONIC, which is the same clock in every process.
        EXPECT_GT(ev.sentNs, 0);
        EXPECT_LE(ev.sentNs, ev.startNs) << "task " << ev.task;
        EXPECT_LE(ev.startNs, ev.endNs);
        EXPECT_LE(ev.endNs, ev.receivedNs) << "task " << ev.task;
        EXPECT_GE(ev.cpuStart, 0);
    }
}

TEST(Breakdown, PartsAddUpToTheWorkersShareOfTheRun) {
    Experiment e;
    e.workload = "primes";
    // Long enough (about 0.1 s) that both threads are surely running and contending, even on a
    // loaded machine or under sanitizers.
    e.params = {{"end", "1000000"}, {"tasks", "16"}};
    e.models = {Model::Threads, Model::GilThreads, Model::Processes};
    e.gilSwitchIntervalMs = 0.5;  // many hand-offs even in a short run
    e.workerCounts = {2};
    const auto result = runExperiment(e);
    ASSERT_TRUE(result.allOk());
    for (const auto& r : result.runs) {
        if (r.config.model == Model::Sequential) continue;
        for (const auto& w : r.workers) {
            const auto& t = w.time;
            const auto parts = t.startupNs + t.computeNs + t.blockedNs + t.encodeNs + t.decodeNs +
                               t.transferNs + t.lockWaitNs + t.idleNs + t.teardownNs;
            const auto wallNs = static_cast<std::int64_t>(r.wallSeconds * 1e9);
            EXPECT_GT(t.computeNs, 0) << toString(r.config.model);
            // Worker-side and engine-side clocks meet at hand-overs, so allow a little overlap.
            EXPECT_LE(parts, wallNs * 11 / 10 + 2'000'000)
                << toString(r.config.model) << " worker " << w.worker;
            EXPECT_GE(parts, wallNs * 8 / 10) << toString(r.config.model) << " worker " << w.worker;
        }
        if (r.config.model == Model::Threads) {
            EXPECT_EQ(r.time.lockWaitNs, 0);
        }
        if (r.config.model == Model::GilThreads) {
            // Two threads behind one lock: a good part of the worker time is spent waiting (about
            // half on a quiet machine; less when other load preempts the holder too).
            EXPECT_GT(r.time.lockWaitNs, r.time.computeNs / 10);
        }
        if (r.config.model == Model::Processes) {
            EXPECT_GT(r.time.startupNs, 0);
            EXPECT_GT(r.time.engineEncodeNs + r.time.engineDecodeNs, 0);
            EXPECT_GT(r.time.teardownNs, 0);
        }
    }
}

TEST(Payload, TravelsBothWaysOnlyForProcessesAndKeepsResultsRight) {
    Experiment e;
    e.workload = "square";
    e.params = {{"count", "40"}};
    e.models = {Model::Threads, Model::Processes};
    e.workerCounts = {2};
    e.payloadBytes = 100'000;
    for (auto t : allTransports()) {
        e.transport = t;
        const auto result = runExperiment(e);
        ASSERT_TRUE(result.allOk()) << toString(t);
        const auto& proc = result.runs.back();
        EXPECT_GT(proc.bytesToWorkers, 40u * 100'000) << toString(t);
        EXPECT_GT(proc.bytesFromWorkers, 40u * 100'000) << toString(t);
        EXPECT_EQ(result.runs[1].bytesToWorkers, 0u);  // threads move nothing
    }
}
