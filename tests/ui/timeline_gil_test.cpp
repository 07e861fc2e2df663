// The worker timeline draws what the engine measured: on CPU vs blocked inside tasks, and the
// GIL's exact holds and waits where they happened (no unexplained white gaps).

#include <gtest/gtest.h>

#include "ui/plots/timeline_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

TaskEvent task(std::uint64_t id, std::uint32_t worker, std::int64_t startMs, std::int64_t endMs,
               std::int64_t cpuMs) {
    TaskEvent e;
    e.task = id;
    e.worker = worker;
    e.startNs = startMs * 1'000'000;
    e.endNs = endMs * 1'000'000;
    e.cpuNs = cpuMs * 1'000'000;
    return e;
}

GilInterval iv(std::uint32_t w, GilInterval::Kind k, std::int64_t a, std::int64_t b,
               bool forced = false) {
    return GilInterval{a * 1'000'000, b * 1'000'000, w, k, forced};
}

}  // namespace

TEST(TimelineGil, ASleepingTaskIsDrawnOffCpuNotComputing) {
    TimelineChart chart;
    RunConfig c;
    c.model = Model::Threads;
    c.workers = 1;
    chart.beginRun(0, c);
    chart.addEvents(0, {task(0, 0, 0, 100, 1)});
    // 1 ms on CPU, 99 ms blocked: most of the bar is the blocked state.
    EXPECT_EQ(chart.shownSegments(), 2u);
}

TEST(TimelineGil, ExactHoldsAndWaitsLeaveNoGaps) {
    TimelineChart chart;
    RunConfig c;
    c.model = Model::GilThreads;
    c.workers = 2;
    chart.beginRun(0, c);
    // Worker 0 holds 0-10 (tasks 0-10), waits 10-20, holds 20-30; worker 1 the other way round.
    chart.addEvents(0, {task(0, 0, 0, 10, 10), task(1, 1, 10, 20, 10), task(2, 0, 20, 30, 10)});
    auto t = std::make_shared<GilTimeline>();
    t->capPerThread = 100;
    t->droppedPerWorker = {0, 0};
    t->intervals = {iv(0, GilInterval::Hold, 0, 10, true), iv(1, GilInterval::Wait, 0, 10),
                    iv(0, GilInterval::Wait, 10, 20),      iv(1, GilInterval::Hold, 10, 20, true),
                    iv(0, GilInterval::Hold, 20, 30),      iv(1, GilInterval::Wait, 20, 30)};
    chart.setGilTimeline(0, t);
    EXPECT_EQ(chart.shownSegments(), 6u) << "one segment per hold and per wait";
    EXPECT_EQ(chart.shownForcedDrops(), 2);
}
