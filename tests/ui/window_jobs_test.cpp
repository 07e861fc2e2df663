// The window's background work (the IPC lab, real-interpreter runs) through BackgroundJobs:
// Stop works and says where it stopped, and closing the window while the work runs returns at
// once instead of freezing; plus the window defects around runs (progress after Stop, stale
// status bar errors, the heat strip's old bars, the Experiment panel during a lesson).

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QStatusBar>
#include <memory>

#include "core/lessons/lesson.h"
#include "core/util/install_paths.h"
#include "tests/test_support.h"
#include "tests/ui/ui_support.h"
#include "ui/live/background_jobs.h"
#include "ui/live/thread_join.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/lane_rects.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

MainWindow::Options testOptions() {
    MainWindow::Options o;
    o.persistSettings = false;
    return o;
}

bool allThreadsReaped(int timeoutMs = 30000) {
    return test::spinUntil(
        [] {
            BackgroundJobs::reapRetired();
            return BackgroundJobs::threadsRunning() == 0;
        },
        timeoutMs);
}

/// In-process baselines only, many points: the lab is busy for a long time.
IpcLabOptions longBaselines() {
    IpcLabOptions o;
    o.mechanisms = {"thread-queue", "spin"};
    o.sizes = {8, 64, 512, 4096, 32768, 262144};
    o.secondsPerPoint = 0.3;
    o.maxRoundTrips = 100'000'000;
    // One round: rows arrive as they are measured (with several, all in the last round), so
    // that a stop after the first rows lands in the middle of the lab.
    o.rounds = 1;
    return o;
}

QPushButton* ipcButton(MainWindow& w) {
    return w.findChild<QPushButton*>(QStringLiteral("ipc-lab-button"));
}

struct DoneSpy {
    std::vector<bool> results;
    explicit DoneSpy(MainWindow& w) {
        QObject::connect(&w, &MainWindow::experimentDone,
                         [this](bool ok) { results.push_back(ok); });
    }
    [[nodiscard]] int count() const { return static_cast<int>(results.size()); }
};

Experiment tinyExperiment() {
    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "8"}, {"ms", "20"}};
    e.models = {Model::Threads};
    e.workerCounts = {1, 2};
    return e;
}

std::size_t heatSegments(MainWindow& w) {
    std::size_t n = 0;
    for (LaneRects* lanes : w.chart(QStringLiteral("cores"))->findChildren<LaneRects*>())
        n += lanes->segmentCount();
    return n;
}

}  // namespace

TEST(WindowJobs, ClosingTheWindowWhileTheIpcLabBaselinesRunReturnsAtOnce) {
    const int joinsBefore = blockingGuiJoins();
    auto w = std::make_unique<MainWindow>(testOptions());
    w->show();
    w->runIpcLab(longBaselines());
    auto* chart = static_cast<IpcChart*>(w->chart(QStringLiteral("ipc")));
    // One point done: the lab is now inside the thread-queue baseline's next point.
    ASSERT_TRUE(test::spinUntil([&] { return !chart->measurements().empty(); }));
    QElapsedTimer t;
    t.start();
    w.reset();
    // Used to join the lab's thread here; a generous bound that a busy machine still meets.
    EXPECT_LT(t.elapsed(), 2000) << "destroying the window blocked the GUI thread";
    EXPECT_TRUE(allThreadsReaped()) << "the lab did not stop";
    EXPECT_EQ(blockingGuiJoins(), joinsBefore);
}

TEST(WindowJobs, StoppingTheIpcLabSaysWhereItStoppedAndTheChartSaysPartial) {
    MainWindow w(testOptions());
    w.show();
    QString error = QStringLiteral("not finished");
    QObject::connect(&w, &MainWindow::ipcLabDone, [&](const QString& e) { error = e; });
    QPushButton* button = ipcButton(w);
    ASSERT_NE(button, nullptr);
    EXPECT_EQ(button->text(), QStringLiteral("Run IPC lab"));
    w.runIpcLab(longBaselines());
    EXPECT_TRUE(w.isIpcLabRunning());
    EXPECT_EQ(button->text(), QStringLiteral("Stop IPC lab")) << "the button reflects the run";
    EXPECT_TRUE(w.panel()->stopButton()->isEnabled()) << "Stop is offered while the lab runs";
    auto* chart = static_cast<IpcChart*>(w.chart(QStringLiteral("ipc")));
    ASSERT_TRUE(test::spinUntil([&] { return chart->measurements().size() >= 2; }));
    w.panel()->stopButton()->click();
    ASSERT_TRUE(test::spinUntil([&] { return error != QStringLiteral("not finished"); }, 30000));
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_FALSE(w.isIpcLabRunning());
    const int done = static_cast<int>(chart->measurements().size());
    // A row per placement (thread-queue on one CPU and across, spin across only): 18 rows with
    // two CPUs, 6 with one.
    const int planned = static_cast<int>(plannedIpcRows(longBaselines()));
    EXPECT_LT(done, planned);
    const QString status = w.statusBar()->currentMessage();
    EXPECT_TRUE(status.contains(
        QStringLiteral("IPC lab stopped after %1 of %2 points").arg(done).arg(planned)))
        << status.toStdString();
    EXPECT_TRUE(chart->partialNote().contains(QStringLiteral("partial")))
        << chart->partialNote().toStdString();
    EXPECT_EQ(button->text(), QStringLiteral("Run IPC lab"));
    EXPECT_FALSE(w.panel()->stopButton()->isEnabled());
    EXPECT_TRUE(allThreadsReaped());
}

TEST(WindowJobs, StoppingOrClosingDuringARealInterpreterRunReturnsAtOnce) {
    // The lessons run CPython as py: models now (no lesson has a script part left): the
    // interpreter is the engine's child, and Stop or closing the window must end it promptly.
    if (findOnPath("python3").empty()) GTEST_SKIP() << "python3 is not installed";
    const int joinsBefore = blockingGuiJoins();
    for (const bool close : {false, true}) {
        SCOPED_TRACE(close ? "close" : "stop");
        std::vector<bool> done;  // outlives the window, which may be destroyed first
        auto w = std::make_unique<MainWindow>(testOptions());
        w->show();
        QObject::connect(w.get(), &MainWindow::experimentDone,
                         [&done](bool ok) { done.push_back(ok); });
        Experiment e;
        e.workload = "primes";  // a fraction of a second native, tens of seconds in CPython
        e.params = {{"end", "2000000"}, {"tasks", "64"}};
        e.models = {Model::PyThreads};
        e.workerCounts = {2};
        ASSERT_TRUE(w->runExperiment(e)) << w->statusText().toStdString();
        // The interpreter has started once the engine has a child.
        ASSERT_TRUE(test::spinUntil([] { return !test::childPids().empty(); }, 60000));
        QElapsedTimer t;
        t.start();
        if (close) {
            w.reset();
            EXPECT_LT(t.elapsed(), 2000) << "destroying the window blocked the GUI thread";
        } else {
            w->stop();
            EXPECT_LT(t.elapsed(), 2000);
            ASSERT_TRUE(test::spinUntil([&] { return !done.empty(); }, 30000));
            EXPECT_FALSE(done.front());
            EXPECT_FALSE(w->isRunning());
        }
        EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 10000))
            << "the interpreter outlived the run";
    }
    EXPECT_EQ(blockingGuiJoins(), joinsBefore);
}

TEST(WindowJobs, AStoppedRunShowsWhereItStoppedInTheProgressBar) {
    MainWindow w(testOptions());
    w.show();
    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "80"}, {"ms", "25"}};  // long enough to be stopped half-way
    e.models = {Model::Threads};
    e.workerCounts = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    DoneSpy done(w);
    ASSERT_TRUE(w.runExperiment(e));
    // Stop a few runs in (some 12 s of runs): the status line moves once per live refresh
    // while measured, so the test does not wait for a particular run's line.
    test::spinUntil([] { return false; }, 4500);
    ASSERT_EQ(done.count(), 0) << "the run ended before it could be stopped";
    w.stop();
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 0; }, 30000));
    // Where it stopped: a run between the first and the last, as the bar says it.
    const QString progress = w.panel()->progressText();
    EXPECT_TRUE(progress.contains(QStringLiteral("stopped"))) << progress.toStdString();
    const auto at = QRegularExpression(QStringLiteral("run (\\d+)/10")).match(progress);
    ASSERT_TRUE(at.hasMatch()) << progress.toStdString();
    EXPECT_GE(at.captured(1).toInt(), 2) << progress.toStdString();
    EXPECT_FALSE(progress.contains(QStringLiteral("10/10"))) << progress.toStdString();
}

TEST(WindowJobs, AGoodRunClearsAnOldErrorFromTheStatusBar) {
    MainWindow w(testOptions());
    w.show();
    // An earlier error, as reportError leaves it (a file that did not open, a failed export).
    w.statusBar()->showMessage(QStringLiteral("Cannot open: broken.json:1:3: syntax error"));
    DoneSpy done(w);
    ASSERT_TRUE(w.runExperiment(tinyExperiment()));
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 0; }));
    ASSERT_TRUE(done.results.front());
    EXPECT_FALSE(w.statusBar()->currentMessage().contains(QStringLiteral("Cannot open")))
        << w.statusBar()->currentMessage().toStdString();
}

TEST(WindowJobs, ANewExperimentReplacesTheStripWhenTheEngineStartsIt) {
    MainWindow w(testOptions());
    w.show();
    DoneSpy done(w);
    ASSERT_TRUE(w.runExperiment(tinyExperiment()));
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 0; }));
    const std::size_t first = heatSegments(w);
    ASSERT_GT(first, 0u) << "the first experiment drew cells and run marks";
    ASSERT_TRUE(w.runExperiment(tinyExperiment()));
    // Until the engine says the new experiment began, the old picture stays (an experiment
    // refused on the engine thread leaves it, see below); the start clears it, before the new
    // experiment's first cells are drawn (RunViews::begin, then the engine's events in order).
    EXPECT_EQ(heatSegments(w), first);
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 1; }));
    EXPECT_GT(heatSegments(w), 0u);
}

TEST(WindowJobs, AnExperimentRefusedOnTheEngineThreadLeavesWhatWasShown) {
    // A user's library is loaded on the engine thread: one that is not there fails the
    // experiment after Run. The walkthrough saw every chart emptied by it ("no result yet").
    MainWindow w(testOptions());
    w.show();
    DoneSpy done(w);
    ASSERT_TRUE(w.runExperiment(tinyExperiment()));
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 0; }));
    const std::size_t shown = heatSegments(w);
    ASSERT_GT(shown, 0u);
    Experiment missing = tinyExperiment();
    missing.workload = "native";
    missing.params = {{"library", "/nonexistent/libmine.so"}};
    ASSERT_TRUE(w.runExperiment(missing));
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 1; }));
    EXPECT_EQ(heatSegments(w), shown) << "the previous experiment's picture stays";
    EXPECT_TRUE(
        w.panel()->findChild<QProgressBar*>() == nullptr ||
        !w.panel()->findChild<QProgressBar*>()->format().contains(QStringLiteral("starting")));
}

TEST(WindowJobs, ALessonGivesTheUsersExperimentBackWhenItEnds) {
    MainWindow w(testOptions());
    w.show();
    Experiment mine = tinyExperiment();
    mine.params = {{"tasks", "7"}, {"ms", "3"}};
    w.panel()->setExperiment(mine);
    const Experiment before = w.panel()->experiment();
    ASSERT_TRUE(w.lessonsPanel()->selectLesson(QStringLiteral("gil")));
    w.lessonsPanel()->setQuick(true);
    bool lessonDone = false;
    QObject::connect(&w, &MainWindow::lessonDone, [&](bool) { lessonDone = true; });
    ASSERT_TRUE(w.runLesson());
    EXPECT_NE(w.panel()->experiment().workload, before.workload) << "the lesson's own experiment";
    ASSERT_TRUE(test::spinUntil([&] { return lessonDone; }, 120000));
    const Experiment after = w.panel()->experiment();
    EXPECT_EQ(after.workload, before.workload);
    EXPECT_EQ(after.params, before.params);
    EXPECT_EQ(after.workerCounts, before.workerCounts);
    EXPECT_TRUE(w.statusText().contains(QStringLiteral("your experiment")))
        << w.statusText().toStdString();
}
