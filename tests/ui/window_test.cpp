// The main window end to end in-process: a tiny experiment runs through it and every chart and
// the table fill; Stop ends a run quickly and leaves no child behind; bad input is refused
// with a message; the timeline stays cheap to draw with 100 000 tasks.

#include <gtest/gtest.h>

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <fstream>
#include <iostream>

#include "tests/test_support.h"
#include "tests/ui/ui_support.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/results_model.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

/// Records experimentDone (QSignalSpy would need Qt6::Test for one signal).
struct DoneSpy {
    std::vector<bool> results;
    explicit DoneSpy(MainWindow& w) {
        QObject::connect(&w, &MainWindow::experimentDone,
                         [this](bool ok) { results.push_back(ok); });
    }
    [[nodiscard]] int count() const { return static_cast<int>(results.size()); }
};

MainWindow::Options testOptions() {
    MainWindow::Options o;
    o.persistSettings = false;
    return o;
}

Experiment tinyExperiment() {
    Experiment e;
    e.workload = "sleep";  // long enough for the sampler to see it, cheap on 2 cores
    e.params = {{"tasks", "8"}, {"ms", "40"}};
    e.models = {Model::Threads, Model::GilThreads, Model::Processes};
    e.workerCounts = {1, 2};
    return e;
}

}  // namespace

TEST(MainWindow, ATinyExperimentFillsEveryChartAndTheTable) {
    MainWindow w(testOptions());
    w.resize(1400, 900);
    w.show();
    DoneSpy done(w);
    ASSERT_TRUE(w.runExperiment(tinyExperiment()));
    EXPECT_TRUE(w.isRunning());
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 0; }));
    EXPECT_TRUE(done.results.front()) << w.statusText().toStdString();
    ASSERT_TRUE(w.result().has_value());
    const std::size_t runs = w.result()->runs.size();
    EXPECT_EQ(runs, 1u + 3u * 2u);
    EXPECT_EQ(w.resultsModel()->rowCount(), static_cast<int>(runs));

    auto* heat = static_cast<CoreHeatChart*>(w.chart("cores"));
    auto* timeline = static_cast<TimelineChart*>(w.chart("timeline"));
    auto* speedup = static_cast<SpeedupChart*>(w.chart("speedup"));
    auto* breakdown = static_cast<BreakdownChart*>(w.chart("breakdown"));
    EXPECT_GT(heat->sampleCount(), 2u);
    EXPECT_GT(heat->coreCount(), 0);
    EXPECT_EQ(timeline->runLabels().size(), runs);
    EXPECT_GT(timeline->shownSegments(), 0u);
    EXPECT_EQ(speedup->measuredCurves(), 3);
    EXPECT_EQ(breakdown->barCount(), static_cast<int>(runs));
    for (Chart* c : w.charts()) {
        if (c->slug() != "ipc") {
            EXPECT_TRUE(c->hasData()) << c->slug().toStdString();
        }
    }
    // The GUI thread went round its loop during the run (the stall monitor measured it).
    EXPECT_GT(w.stallMonitor().stretches(), 10);
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
}

TEST(MainWindow, StopEndsTheRunPromptlyAndLeavesNoChildren) {
    MainWindow w(testOptions());
    w.show();
    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "400"}, {"ms", "50"}};  // 20 s sequential: Stop must cut it short
    e.models = {Model::Processes};
    e.workerCounts = {2};
    e.sampleHz = 10;
    DoneSpy done(w);
    ASSERT_TRUE(w.runExperiment(e));
    // Stop once the run has really started (its first tasks are on the timeline), however
    // long a busy machine takes to get there.
    ASSERT_TRUE(test::spinUntil([&] { return w.chart("timeline")->hasData(); }, 60000));
    w.stop();
    ASSERT_TRUE(test::spinUntil([&] { return done.count() > 0; }, 10000));
    EXPECT_FALSE(done.results.front());
    EXPECT_FALSE(w.isRunning());
    // The budget is 200 ms; a loaded CI machine gets slack, a hang does not.
    EXPECT_GE(w.lastStopLatencyMs(), 0);
    EXPECT_LT(w.lastStopLatencyMs(), 2000);
    std::cout << "[ measured ] Stop took " << w.lastStopLatencyMs() << " ms (budget 200 ms)\n";
    EXPECT_TRUE(w.panel()->runButton()->isEnabled());
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
}

TEST(MainWindow, InvalidPanelInputDisablesRunAndSaysWhy) {
    ExperimentPanel panel;
    EXPECT_TRUE(panel.validationError().isEmpty()) << panel.validationError().toStdString();
    EXPECT_TRUE(panel.runButton()->isEnabled());
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workerCounts = {1, 2};
    panel.setExperiment(e);
    const QList<QLineEdit*> workers = panel.findChildren<QLineEdit*>();
    QLineEdit* workerEdit = nullptr;
    for (QLineEdit* edit : workers) {
        if (edit->text() == QStringLiteral("1,2")) workerEdit = edit;
    }
    ASSERT_NE(workerEdit, nullptr);
    workerEdit->setText(QStringLiteral("0,2"));
    EXPECT_FALSE(panel.runButton()->isEnabled());
    EXPECT_TRUE(panel.validationError().contains(QStringLiteral("0")))
        << panel.validationError().toStdString();
    EXPECT_THROW((void)panel.experiment(), InvalidArgument);
    workerEdit->setText(QStringLiteral("1-3"));
    EXPECT_TRUE(panel.runButton()->isEnabled());
    EXPECT_EQ(panel.experiment().workerCounts, (std::vector<unsigned>{1, 2, 3}));
}

TEST(MainWindow, TheGuiNeverForksWithoutExec) {
    ExperimentPanel panel;
    Experiment e;
    e.startMethod = StartMethod::Fork;
    panel.setExperiment(e);
    EXPECT_EQ(panel.experiment().startMethod, StartMethod::ForkServer);
    EXPECT_TRUE(panel.status().contains(QStringLiteral("forkserver")));
}

TEST(MainWindow, OpensResultsAndExperimentsAndRefusesBrokenFiles) {
    MainWindow w(testOptions());
    w.openFile(QString::fromStdString(test::goldenPath("result.json")));
    ASSERT_TRUE(w.result().has_value());
    EXPECT_EQ(w.resultsModel()->rowCount(), 6);
    EXPECT_TRUE(w.chart("speedup")->hasData());
    // A result file keeps no samples: the per-CPU view says so instead of empty axes.
    EXPECT_FALSE(w.chart("cores")->hasData());
    EXPECT_TRUE(w.chart("cores")->absentNote().contains(QStringLiteral("Not stored in a result")));
    EXPECT_TRUE(w.chart("speedup")->absentNote().isEmpty());

    QTemporaryDir dir;
    const std::string broken = dir.filePath("broken.json").toStdString();
    std::ofstream(broken) << "{\"schema\": \"coreduel.experiment/1\",\n \"workers\": [1, }";
    try {
        w.openFile(QString::fromStdString(broken));
        FAIL() << "a broken file was accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("broken.json:2:"), std::string::npos) << e.what();
    }
    EXPECT_EQ(w.resultsModel()->rowCount(), 6) << "a bad file loses nothing";
}

TEST(MainWindow, ThemesRecolourCharts) {
    MainWindow w(testOptions());
    w.setThemeByName(QStringLiteral("dark"));
    for (Chart* c : w.charts()) EXPECT_EQ(c->theme().name, QStringLiteral("dark"));
    const QImage dark = w.chart("speedup")->toPixmap(200, 100).toImage();
    EXPECT_LT(qGray(dark.pixel(5, 95)), 80);
    w.setThemeByName(QStringLiteral("light"));
    const QImage light = w.chart("speedup")->toPixmap(200, 100).toImage();
    EXPECT_GT(qGray(light.pixel(5, 95)), 200);
}

TEST(Timeline, HundredThousandTasksDrawAsAFewThousandRectangles) {
    TimelineChart chart;
    chart.resize(1200, 400);
    RunConfig config;
    config.model = Model::Threads;
    config.workers = 4;
    chart.beginRun(0, config);
    std::vector<TaskEvent> events;
    const std::int64_t t0 = 1'000'000'000;
    for (std::uint64_t i = 0; i < 100'000; ++i) {
        TaskEvent e;
        e.task = i;
        e.worker = static_cast<std::uint32_t>(i % 4);
        e.startNs = t0 + static_cast<std::int64_t>(i / 4) * 20'000;
        e.endNs = e.startNs + 15'000;
        events.push_back(e);
    }
    chart.addEvents(0, events);
    EXPECT_EQ(chart.shownSegments(), 100'000u);
    chart.toPixmap(1200, 400);  // draws once
    auto* bars = chart.findChild<LaneRects*>();
    ASSERT_NE(bars, nullptr);
    // Sub-pixel tasks merge into at most a few rectangles per pixel column and lane.
    EXPECT_GT(bars->lastDrawnRects(), 0u);
    EXPECT_LT(bars->lastDrawnRects(), 4u * 1200u * 2u);
    // Zoomed in, every task is its own rectangle again.
    chart.xAxis->setRange(0, 1.0);  // 1 ms: 50 tasks per lane
    chart.toPixmap(1200, 400);
    EXPECT_GE(bars->lastDrawnRects(), 4u * 45u);
}

TEST(MainWindow, TheIpcLabRunsOffTheGuiThreadAndFillsItsChart) {
    const long shmBefore = test::shmEntries();
    MainWindow w(testOptions());
    w.show();
    QString error = QStringLiteral("not finished");
    QObject::connect(&w, &MainWindow::ipcLabDone, [&](const QString& e) { error = e; });
    w.runIpcLab(0.005);
    // While the lab measures, an experiment must not start (they would skew each other).
    EXPECT_FALSE(w.runExperiment(tinyExperiment()));
    ASSERT_TRUE(test::spinUntil([&] { return error != QStringLiteral("not finished"); }, 60000));
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    auto* ipc = static_cast<IpcChart*>(w.chart("ipc"));
    EXPECT_GE(ipc->measurements().size(), 6u * 8u);
    EXPECT_GT(w.stallMonitor().stretches(), 10);
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
    EXPECT_EQ(test::shmEntries(), shmBefore) << "the shared-memory transport cleaned up";
}

TEST(MainWindow, ABaselineIsDrawnBehindTheCurrentResult) {
    MainWindow w(testOptions());
    auto* speedup = static_cast<SpeedupChart*>(w.chart("speedup"));
    w.openFile(QString::fromStdString(test::goldenPath("result.json")));
    const int alone = speedup->plottableCount();
    ExperimentResult baseline = test::goldenResult();
    w.setBaseline(baseline);
    EXPECT_TRUE(speedup->hasBaseline());
    EXPECT_GT(speedup->plottableCount(), alone);
    bool faded = false;
    for (int i = 0; i < speedup->plottableCount(); ++i) {
        if (speedup->plottable(i)->name().startsWith(QStringLiteral("baseline: "))) {
            faded = faded || speedup->plottable(i)->pen().color().alpha() < 255;
        }
    }
    EXPECT_TRUE(faded);
    w.setBaseline(std::nullopt);
    EXPECT_EQ(speedup->plottableCount(), alone);
}

TEST(MainWindow, ANewRunDoesNotKeepTheLastResultsWarnings) {
    // The walkthrough ran its own experiment after a lesson on a busy machine: the lesson's
    // "5 warnings … 49 %" stayed above the new run's strip, during and after it.
    MainWindow w(testOptions());
    w.resize(1400, 900);
    w.show();
    ExperimentResult old;
    old.experiment = tinyExperiment();
    old.analysis.warnings = {"a warning of the result shown before this run"};
    w.showResult(old);
    auto* warnings = w.findChild<QLabel*>(QStringLiteral("warnings-strip"));
    ASSERT_NE(warnings, nullptr);
    ASSERT_TRUE(warnings->isVisible());
    bool done = false;
    QObject::connect(&w, &MainWindow::experimentDone, [&](bool) { done = true; });
    ASSERT_TRUE(w.runExperiment(tinyExperiment()));
    ASSERT_TRUE(test::spinUntil([&] { return !warnings->isVisible() || done; }, 30000));
    EXPECT_FALSE(done && warnings->toolTip().contains(QStringLiteral("shown before this run")))
        << "the old warning is still shown";
    EXPECT_FALSE(warnings->toolTip().contains(QStringLiteral("shown before this run")));
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 60000));
    EXPECT_FALSE(warnings->toolTip().contains(QStringLiteral("shown before this run")));
}
