// A reopened run whose events were damaged in its session file shows the lost stretch on its
// timeline (never as a worker that sat idle); an intact run shows none.

#include <gtest/gtest.h>

#include <QWidget>

#include "ui/plots/timeline_chart.h"
#include "ui/live/run_views.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

SessionRun runWithEvents(std::int64_t fromNs, std::int64_t toNs) {
    SessionRun run;
    run.config.model = Model::Threads;
    run.config.workers = 2;
    for (std::int64_t t = fromNs; t < toNs; t += 1'000'000) {
        TaskEvent e;
        e.task = static_cast<std::uint64_t>((t - fromNs) / 1'000'000);
        e.worker = static_cast<std::uint32_t>(e.task % 2);
        e.startNs = t;
        e.endNs = t + 900'000;
        e.cpuNs = 900'000;
        run.events.push_back(e);
    }
    return run;
}

}  // namespace

TEST(LostStretch, ADamagedRunMarksWhatWasLostAndAnIntactOneDoesNot) {
    QWidget window;
    RunViews views(&window);
    SessionPart part;
    part.plannedRuns = 2;
    // Run 0: intact. Run 1: events from 10 ms to 20 ms and from 60 ms to 70 ms; what was
    // between went with a damaged record.
    part.runs[0] = runWithEvents(1'000'000'000, 1'010'000'000);
    SessionRun damaged = runWithEvents(2'010'000'000, 2'020'000'000);
    const SessionRun after = runWithEvents(2'060'000'000, 2'070'000'000);
    damaged.events.insert(damaged.events.end(), after.events.begin(), after.events.end());
    damaged.eventsDamaged = true;
    damaged.gapFromNs = 2'020'000'000;
    damaged.gapToNs = 2'060'000'000;
    part.runs[1] = damaged;
    views.replay(part);
    TimelineChart* timeline = views.timeline();
    EXPECT_EQ(timeline->shownRun(), 1);  // the newest, as at the end of a live run
    EXPECT_TRUE(timeline->showsLostStretch());
    timeline->showRun(0);
    EXPECT_FALSE(timeline->showsLostStretch());
    timeline->showRun(1);
    EXPECT_TRUE(timeline->showsLostStretch());
}
