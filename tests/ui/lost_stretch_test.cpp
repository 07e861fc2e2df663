// A reopened run whose events were damaged in its session file shows the lost stretch on its
// timeline (never as a worker that sat idle); an intact run shows none.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QWidget>

#include "tests/helpers/made_results.h"
#include "ui/live/run_views.h"
#include "ui/plots/timeline_chart.h"

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
    // A reopened session is not live: its picker says so (it said "newest run (live)").
    ASSERT_GT(views.runPicker()->count(), 0);
    EXPECT_EQ(views.runPicker()->itemText(0), QStringLiteral("newest run"));
    EXPECT_TRUE(timeline->showsLostStretch());
    timeline->showRun(0);
    EXPECT_FALSE(timeline->showsLostStretch());
    timeline->showRun(1);
    EXPECT_TRUE(timeline->showsLostStretch());
}

// While runs go on the speedup chart draws points, not a law: whether the points support one
// depends on the load over the whole experiment, known at its end (a busy run drew
// 'serial 88.9 %' live that its result refused). The result at the end draws what it fits.
TEST(LiveSpeedup, NoLawIsDrawnBeforeTheExperimentEnds) {
    QWidget window;
    RunViews views(&window);
    ExperimentResult r = madeResult({{Model::Sequential, 1, {1.00, 1.01, 0.99}},
                                     {Model::Threads, 1, {1.00, 1.01, 0.99}},
                                     {Model::Threads, 2, {0.60, 0.61, 0.59}}});
    r.experiment.workload = "primes";
    ASSERT_FALSE(r.analysis.scaling.empty());
    ASSERT_TRUE(r.analysis.scaling.front().fit.valid) << "the made result fits a law";
    views.begin(r.experiment, r.environment, 0, static_cast<int>(r.runs.size()));
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
        views.runStarted(static_cast<int>(i), r.runs[i].config);
        views.runFinished(static_cast<int>(i), r.runs[i]);
    }
    auto laws = [&views] {
        return views.chart(QStringLiteral("speedup"))
            ->legendNames()
            .filter(QStringLiteral("serial"))
            .size();
    };
    EXPECT_EQ(views.runPicker()->itemText(0), QStringLiteral("newest run (live)"));
    EXPECT_EQ(laws(), 0) << views.chart(QStringLiteral("speedup"))
                                ->legendNames()
                                .join(QStringLiteral(" | "))
                                .toStdString();
    views.showResult(r);
    EXPECT_GT(laws(), 0) << views.chart(QStringLiteral("speedup"))
                                ->legendNames()
                                .join(QStringLiteral(" | "))
                                .toStdString();
}
