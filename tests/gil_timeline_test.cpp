// Exact GIL intervals: every hold and wait of every thread, delivered to the sink, bounded.

#include <gtest/gtest.h>

#include <algorithm>

#include "core/exec/executor.h"
#include "core/workloads/workload.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

namespace {

class GilSink : public RecordingSink {
public:
    void gilTimeline(std::size_t runIndex, const GilTimeline& t) override {
        timelines.emplace(runIndex, t);
    }
    std::map<std::size_t, GilTimeline> timelines;
};

Experiment twoGilThreads(const std::string& end) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", end}, {"tasks", "16"}};
    e.models = {Model::GilThreads};
    e.workerCounts = {2};
    e.warmups = 0;
    e.repetitions = 1;
    e.gilSwitchIntervalMs = 1.0;
    // One chunk per thread: no thread lets go of the lock between chunks, where a busy
    // machine could preempt it before it asks again (a gap nobody holds).
    e.chunksizes = {8};
    return e;
}

const RunResult& gilRun(const ExperimentResult& r) {
    for (const auto& run : r.runs)
        if (run.config.model == Model::GilThreads) return run;
    throw std::runtime_error("no gil-threads run");
}

}  // namespace

// Two CPU-bound threads behind the GIL: never two holders at once, and the holds cover all
// the computing the threads did.
TEST(GilTimeline, HoldsNeverOverlapAndCoverTheComputing) {
    GilSink sink;
    const auto result = runExperiment(twoGilThreads("4000000"), &sink);
    ASSERT_TRUE(result.allOk());
    ASSERT_EQ(sink.timelines.size(), 1u) << "delivered to the sink, for the gil-threads run";
    const GilTimeline& t = sink.timelines.begin()->second;
    ASSERT_TRUE(t.recorded());
    ASSERT_FALSE(t.truncated());
    const auto& r = gilRun(result);
    std::vector<GilInterval> holds;
    std::uint64_t forced = 0;
    for (const auto& iv : t.intervals) {
        EXPECT_LE(iv.startNs, iv.endNs);
        EXPECT_LT(iv.worker, 2u);
        if (iv.kind == GilInterval::Hold) {
            holds.push_back(iv);
            forced += iv.forced ? 1 : 0;
        }
    }
    ASSERT_FALSE(holds.empty());
    EXPECT_TRUE(std::is_sorted(t.intervals.begin(), t.intervals.end(),
                               [](const auto& a, const auto& b) { return a.startNs < b.startNs; }));
    std::sort(holds.begin(), holds.end(),
              [](const auto& a, const auto& b) { return a.startNs < b.startNs; });
    std::int64_t held = 0;
    for (std::size_t i = 0; i < holds.size(); ++i) {
        held += holds[i].endNs - holds[i].startNs;
        if (i > 0) {
            EXPECT_GE(holds[i].startNs, holds[i - 1].endNs) << "two holders at once";
        }
    }
    // Computing happens only while holding the lock, so the holds account for (at least) the
    // threads' CPU time over their tasks; dropping or shortening intervals breaks this. It is
    // not compared with the span: each hand-over waits for the next thread to wake, which a
    // busy machine or a sanitizer stretches (gaps nobody holds), while CPU time is unaffected.
    std::int64_t cpu = 0;
    // The sequential baseline runs too; only the gil-threads run's tasks count here.
    for (const auto& e : sink.eventsByRun[sink.timelines.begin()->first]) {
        ASSERT_GE(e.cpuNs, 0) << "gil-threads measure each task's CPU time";
        cpu += e.cpuNs;
    }
    ASSERT_GT(cpu, 0);
    EXPECT_GE(static_cast<double>(held), 0.9 * static_cast<double>(cpu))
        << "holds " << held << " ns, tasks on CPU " << cpu << " ns";
    const double span = static_cast<double>(holds.back().endNs - holds.front().startNs);
    EXPECT_LE(held, static_cast<std::int64_t>(span)) << "disjoint holds fit in their span";
    EXPECT_GT(span, 0.8 * r.wallSeconds * 1e9) << "the lock was in use for most of the run";
    // Exact: every hold and forced drop the statistics count is in the trace.
    EXPECT_EQ(holds.size(), r.gil.acquisitions);
    EXPECT_EQ(forced, r.gil.forcedDrops);
    EXPECT_GT(forced, 0u) << "1 ms interval, two CPU-bound threads: forced switches happen";
}

// A thread's own holds and waits alternate and never overlap.
TEST(GilTimeline, EachThreadsIntervalsAreDisjoint) {
    GilSink sink;
    const auto result = runExperiment(twoGilThreads("1000000"), &sink);
    ASSERT_TRUE(result.allOk());
    ASSERT_EQ(sink.timelines.size(), 1u);
    const GilTimeline& t = sink.timelines.begin()->second;
    for (std::uint32_t w = 0; w < 2; ++w) {
        std::int64_t lastEnd = 0;
        for (const auto& iv : t.intervals) {
            if (iv.worker != w) continue;
            EXPECT_GE(iv.startNs, lastEnd) << "worker " << w;
            lastEnd = iv.endNs;
        }
    }
}

TEST(GilTimeline, RecordingStopsAtTheCapAndSaysSo) {
    auto workload = createWorkload("primes", {{"end", "2000000"}, {"tasks", "64"}});
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = 2;
    config.chunksize = 1;
    config.gilSwitchInterval = std::chrono::microseconds(200);
    std::atomic<bool> cancel{false};
    ExecRequest req{*workload, config, cancel, {}, {}, {}};
    req.gilTraceCap = 10;
    const auto out = runInProcess(req);
    ASSERT_TRUE(out.error.empty()) << out.error;
    const auto& t = out.gilTimeline;
    EXPECT_EQ(t.capPerThread, 10u);
    ASSERT_EQ(t.droppedPerWorker.size(), 2u);
    EXPECT_TRUE(t.truncated());
    for (std::uint32_t w = 0; w < 2; ++w) {
        const auto n = std::count_if(t.intervals.begin(), t.intervals.end(),
                                     [w](const GilInterval& iv) { return iv.worker == w; });
        EXPECT_EQ(n, 10) << "worker " << w;
        EXPECT_GT(t.droppedPerWorker[w], 0u);
    }
    // The statistics stay exact past the bound.
    std::uint64_t acquisitions = 0;
    for (const auto& w : out.workers) acquisitions += w.gil.acquisitions;
    EXPECT_GT(acquisitions, 20u);

    req.gilTraceCap = 0;  // off: nothing recorded, nothing delivered
    const auto off = runInProcess(req);
    EXPECT_FALSE(off.gilTimeline.recorded());
    EXPECT_TRUE(off.gilTimeline.intervals.empty());
}
