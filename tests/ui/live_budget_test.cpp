// The live view's budget (LiveBudget) and the stall monitor beside it: the refresh follows the
// view's measured cost towards its share of a core, within the chosen refresh and a slowest
// one that is still live; a GUI thread blocked for 200 ms reads as a 200 ms stall, an idle one
// waiting between events as none.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <thread>

#include "ui/live/live_budget.h"
#include "ui/live/stall_monitor.h"
#include "ui/plots/speedup_chart.h"

using coreduel::ui::LiveBudget;
using coreduel::ui::StallMonitor;

namespace {

/// Runs the event loop for `ms`: replots wait on timers.
void settle(int ms) {
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

}  // namespace

TEST(LiveBudget, SlowsAnExpensiveViewAndSpeedsACheapOneBackWithinItsBounds) {
    const double budget = LiveBudget::kGuiPercent;
    // Twice the budget: slower, by less than the overrun (half-way, in log terms).
    const int slower = LiveBudget::adjusted(1000, 2 * budget, 1000);
    EXPECT_GT(slower, 1000);
    EXPECT_LT(slower, 2000);
    // Within 10 % of the budget: left as it is.
    EXPECT_EQ(LiveBudget::adjusted(3000, budget * 1.05, 1000), 3000);
    // Cheap again: faster, never faster than the refresh the user chose.
    EXPECT_LT(LiveBudget::adjusted(4000, budget / 4, 1000), 4000);
    EXPECT_EQ(LiveBudget::adjusted(1000, budget / 10, 1000), 1000);
    // However expensive: never slower than the slowest live refresh.
    int refresh = 1000;
    for (int i = 0; i < 20; ++i) refresh = LiveBudget::adjusted(refresh, 100 * budget, 1000);
    EXPECT_EQ(refresh, LiveBudget::kMaxRefreshMs);
}

TEST(StallMonitor, ABlockedGuiThreadReadsAtItsLengthAndAnIdleOneAsNoStall) {
    StallMonitor stall;
    auto spin = [](int ms) {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < ms)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    };
    // An idle loop woken a few times: short stretches, however long it waited between them
    // (a monitor that counted the waiting would read 100 ms here).
    for (int i = 1; i <= 4; ++i) QTimer::singleShot(100 * i, [] {});
    spin(500);
    EXPECT_GE(stall.stretches(), 4);
    EXPECT_LT(stall.maxStallMs(), 50.0);
    EXPECT_EQ(stall.stallsOver50Ms(), 0);
    // One handler that blocks the loop for 200 ms: read at its whole length, counted once.
    QTimer::singleShot(20, [] { std::this_thread::sleep_for(std::chrono::milliseconds(200)); });
    spin(400);
    EXPECT_GE(stall.maxStallMs(), 200.0);
    EXPECT_LT(stall.maxStallMs(), 400.0);
    EXPECT_EQ(stall.stallsOver50Ms(), 1);
    stall.reset();
    EXPECT_EQ(stall.maxStallMs(), 0.0);
}

TEST(LiveBudget, TheRunsEndDoesNotWaitOutTheMeasuringPace) {
    // While measured a chart redraws at most every 32 s; the whole picture at the run's end
    // comes at the interactive pace, not when the long wait is over.
    coreduel::ui::SpeedupChart chart;
    chart.resize(480, 320);
    chart.show();
    settle(100);
    chart.setMinimumReplotIntervalMs(32000);
    chart.requestReplot();
    settle(100);
    chart.requestReplot();  // waits out the 32 s
    const int before = chart.replotCount();
    settle(200);
    EXPECT_EQ(chart.replotCount(), before);
    chart.setMinimumReplotIntervalMs(33);  // the run ended
    settle(300);
    EXPECT_GT(chart.replotCount(), before);
}

TEST(LiveBudget, ARunsFirstDataIsDrawnAtOnceThenAtTheMeasuringPace) {
    // The cleared chart at a run's start drew at once, and the run's first data then waited a
    // whole measuring interval: the timeline said "no run yet" for seven short runs.
    coreduel::ui::SpeedupChart chart;
    chart.resize(480, 320);
    chart.show();
    settle(100);
    chart.setMinimumReplotIntervalMs(32000);
    chart.requestReplot();  // the clear
    chart.replotNextAtOnce();
    settle(100);
    const int cleared = chart.replotCount();
    chart.requestReplot();  // the first data: at once
    settle(200);
    EXPECT_GT(chart.replotCount(), cleared);
    const int first = chart.replotCount();
    chart.requestReplot();  // then the pace again
    settle(200);
    EXPECT_EQ(chart.replotCount(), first);
}
