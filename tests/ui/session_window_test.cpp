// Sessions in the window: an experiment (and the IPC lab after it) is saved as a session,
// reopened in a fresh window, and every chart, the table and the run picker hold the same data.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QFile>
#include <QTemporaryDir>
#include <cstdlib>

#include "tests/test_support.h"
#include "tests/ui/ui_support.h"
#include "ui/export/exporter.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/results_model.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/lane_rects.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

struct WindowData {
    std::size_t samples = 0;
    int cores = 0;
    std::vector<std::pair<int, QString>> runLabels;
    std::vector<std::size_t> segments;  ///< per run, as the timeline draws it
    std::vector<int> forcedDrops;
    int speedupCurves = 0;
    int breakdownBars = 0;
    std::vector<std::string> table;
    std::vector<std::pair<std::string, std::size_t>> ipcPoints;
    std::vector<double> ipcMedians;
};

WindowData capture(MainWindow& w) {
    WindowData d;
    auto* heat = static_cast<CoreHeatChart*>(w.chart("cores"));
    auto* timeline = static_cast<TimelineChart*>(w.chart("timeline"));
    d.samples = heat->sampleCount();
    d.cores = heat->coreCount();
    d.runLabels = timeline->runLabels();
    for (std::size_t i = 0; i < d.runLabels.size(); ++i) {
        w.showTimelineRun(static_cast<int>(i));
        d.segments.push_back(timeline->shownSegments());
        d.forcedDrops.push_back(timeline->shownForcedDrops());
    }
    d.speedupCurves = static_cast<SpeedupChart*>(w.chart("speedup"))->measuredCurves();
    d.breakdownBars = static_cast<BreakdownChart*>(w.chart("breakdown"))->barCount();
    ResultsModel* m = w.resultsModel();
    for (int r = 0; r < m->rowCount(); ++r)
        for (int c = 0; c < m->columnCount(); ++c)
            d.table.push_back(std::to_string(r) + "/" + std::to_string(c) + ": " +
                              m->data(m->index(r, c), Qt::DisplayRole).toString().toStdString());
    for (const IpcMeasurement& p : static_cast<IpcChart*>(w.chart("ipc"))->measurements()) {
        // With its placement: a reopened row must still say where its two sides ran.
        d.ipcPoints.emplace_back(p.mechanism + "/" + toString(p.placement), p.bytes);
        d.ipcMedians.push_back(p.p50Us);
    }
    return d;
}

/// Every chart and the table of a part as `before` captured them.
void expectSameCharts(const WindowData& after, const WindowData& before, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_GT(before.samples, 0u);
    EXPECT_FALSE(before.runLabels.empty());
    EXPECT_EQ(after.samples, before.samples);
    EXPECT_EQ(after.cores, before.cores);
    EXPECT_EQ(after.runLabels, before.runLabels);
    EXPECT_EQ(after.segments, before.segments);
    EXPECT_EQ(after.forcedDrops, before.forcedDrops);
    EXPECT_EQ(after.speedupCurves, before.speedupCurves);
    EXPECT_EQ(after.breakdownBars, before.breakdownBars);
    EXPECT_EQ(after.table, before.table);
}

QStringList pickerItems(MainWindow& w) {
    auto* picker = w.findChild<QComboBox*>(QStringLiteral("part-picker"));
    QStringList items;
    if (picker == nullptr) return items;
    for (int i = 0; i < picker->count(); ++i) items << picker->itemText(i);
    return items;
}

}  // namespace

TEST(SessionWindow, ASavedSessionReopensWithEveryChartAsItWas) {
    QTemporaryDir dir;
    MainWindow::Options o;
    o.persistSettings = false;
    o.sessionPath = dir.filePath(QStringLiteral("recording.coreduel"));
    MainWindow first(o);
    first.resize(1400, 900);
    first.show();
    bool done = false, ok = false;
    QObject::connect(&first, &MainWindow::experimentDone, [&](bool good) {
        done = true;
        ok = good;
    });
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "300000"}, {"tasks", "24"}};
    e.models = {Model::GilThreads, Model::Processes};
    e.workerCounts = {1, 2};
    e.gilSwitchIntervalMs = 1;
    e.sampleHz = 50;
    ASSERT_TRUE(first.runExperiment(e));
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 60000));
    ASSERT_TRUE(ok) << first.statusText().toStdString();
    // The IPC lab after the experiment joins the same session.
    QString labError = QStringLiteral("not finished");
    QObject::connect(&first, &MainWindow::ipcLabDone, [&](const QString& err) { labError = err; });
    IpcLabOptions lab;
    lab.mechanisms = {"pipe", "thread-queue"};
    lab.sizes = {64, 4096};
    lab.secondsPerPoint = 0.02;
    first.runIpcLab(lab);
    ASSERT_TRUE(test::spinUntil([&] { return labError != QStringLiteral("not finished"); }, 60000));
    ASSERT_TRUE(labError.isEmpty()) << labError.toStdString();
    const WindowData before = capture(first);
    ASSERT_GT(before.samples, 0u);
    ASSERT_EQ(before.ipcPoints.size(), plannedIpcRows(lab));  // a row per placement

    const QString saved = dir.filePath(QStringLiteral("saved.coreduel"));
    first.saveSession(saved);

    MainWindow::Options quiet;
    quiet.persistSettings = false;
    MainWindow second(quiet);
    second.resize(1400, 900);
    second.show();
    ASSERT_EQ(test::openAndWait(second, saved), QString());
    const WindowData after = capture(second);
    EXPECT_EQ(after.samples, before.samples);
    EXPECT_EQ(after.cores, before.cores);
    EXPECT_EQ(after.runLabels, before.runLabels);
    EXPECT_EQ(after.segments, before.segments);
    EXPECT_EQ(after.forcedDrops, before.forcedDrops);
    EXPECT_EQ(after.speedupCurves, before.speedupCurves);
    EXPECT_EQ(after.breakdownBars, before.breakdownBars);
    ASSERT_EQ(after.table.size(), before.table.size());
    for (std::size_t i = 0; i < before.table.size(); ++i)
        EXPECT_EQ(after.table[i], before.table[i]);
    EXPECT_EQ(after.ipcPoints, before.ipcPoints);
    EXPECT_EQ(after.ipcMedians, before.ipcMedians);
    // Reopened in the window whose bar had the lab's last count: it no longer speaks of it.
    ASSERT_EQ(test::openAndWait(first, saved), QString());
    EXPECT_TRUE(first.panel()->progressText().startsWith(QStringLiteral("no run")))
        << first.panel()->progressText().toStdString();

    // The session as its own baseline: every configuration matches itself.
    ASSERT_EQ(test::loadBaselineAndWait(second, saved), QString());
    auto* breakdown = static_cast<BreakdownChart*>(second.chart("breakdown"));
    EXPECT_EQ(breakdown->baselineMarks(), breakdown->barCount());
    EXPECT_EQ(static_cast<ResourcesChart*>(second.chart("resources"))->baselineMarks(),
              3 * breakdown->barCount());
    EXPECT_EQ(static_cast<IpcChart*>(second.chart("ipc"))->baselinePoints(),
              before.ipcPoints.size());
    EXPECT_TRUE(static_cast<SpeedupChart*>(second.chart("speedup"))->hasBaseline());
    ResultsModel* m = second.resultsModel();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex i = m->index(r, ResultsModel::VsBaseline);
        EXPECT_DOUBLE_EQ(m->data(i, Qt::UserRole).toDouble(), 1.0) << "row " << r;
        EXPECT_EQ(m->data(i, Qt::DisplayRole).toString(), QStringLiteral("1.00"));
    }
    second.setBaseline(std::nullopt);
    EXPECT_EQ(breakdown->baselineMarks(), 0);
    EXPECT_EQ(m->data(m->index(0, ResultsModel::VsBaseline), Qt::DisplayRole).toString(),
              QStringLiteral("—"));
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
}

TEST(SessionWindow, WithoutASessionSavingSaysWhy) {
    MainWindow::Options quiet;
    quiet.persistSettings = false;
    MainWindow w(quiet);
    try {
        w.saveSession(QStringLiteral("/tmp/never.coreduel"));
        FAIL() << "saved a session that does not exist";
    } catch (const ExportError& e) {
        EXPECT_NE(std::string(e.what()).find("run an experiment"), std::string::npos);
    }
}

TEST(SessionWindow, ALessonsPartsReopenEachAsTheWindowShowedItAtTheEndOfThatPart) {
    // tests/fixtures/lessons/01-two-parts.json: primes with gil-threads and processes, then
    // sleeping threads: parts that differ in every chart.
    ::setenv("COREDUEL_LESSONS", COREDUEL_FIXTURE_DIR "/lessons", 1);
    QTemporaryDir dir;
    MainWindow::Options o;
    o.persistSettings = false;
    o.sessionPath = dir.filePath(QStringLiteral("lesson.coreduel"));
    MainWindow first(o);
    first.resize(1400, 900);
    first.show();
    ASSERT_TRUE(first.lessonsPanel()->selectLesson(QStringLiteral("two-parts")));
    first.lessonsPanel()->setQuick(true);
    // Each part as the window shows it the moment that part ends (the next one then clears the
    // charts), and how long the file was then.
    std::vector<WindowData> live;
    std::vector<qint64> fileSizeAtEnd;
    QObject::connect(&first, &MainWindow::experimentDone, [&](bool) {
        live.push_back(capture(first));
        fileSizeAtEnd.push_back(QFileInfo(o.sessionPath).size());
    });
    bool finished = false, ok = false;
    QObject::connect(&first, &MainWindow::lessonDone, [&](bool good) {
        finished = true;
        ok = good;
    });
    ASSERT_TRUE(first.runLesson());
    EXPECT_EQ(pickerItems(first).size(), 2) << "the running lesson's parts are listed";
    ASSERT_TRUE(test::spinUntil([&] { return finished; }, 120000));
    ASSERT_TRUE(ok) << first.lessonsPanel()->outcomeText().toStdString();
    ASSERT_EQ(live.size(), 2u);
    const QString outcome = first.lessonsPanel()->outcomeText();
    EXPECT_NE(outcome.indexOf(QStringLiteral("with 3 threads")), -1) << outcome.toStdString();

    // The window that ran it: the last part on the charts, the first a pick away.
    ASSERT_EQ(first.partCount(), 2);
    EXPECT_EQ(first.shownPart(), 1);
    EXPECT_EQ(pickerItems(first), (QStringList{QStringLiteral("1 of 2: primes behind a GIL"),
                                               QStringLiteral("2 of 2: sleeping threads")}));
    first.showPart(0);
    expectSameCharts(capture(first), live[0], "part 1, picked after the lesson");
    first.showPart(1);
    expectSameCharts(capture(first), live[1], "part 2, picked again");

    const QString saved = dir.filePath(QStringLiteral("saved.coreduel"));
    first.saveSession(saved);
    MainWindow::Options quiet;
    quiet.persistSettings = false;
    MainWindow second(quiet);
    second.resize(1400, 900);
    second.show();
    ASSERT_EQ(test::openAndWait(second, saved), QString());
    ASSERT_EQ(second.partCount(), 2);
    EXPECT_EQ(second.shownPart(), 1);
    EXPECT_EQ(pickerItems(second), pickerItems(first));
    expectSameCharts(capture(second), live[1], "reopened: part 2 as the lesson ended");
    second.showPart(0);
    expectSameCharts(capture(second), live[0], "reopened: part 1");
    second.showPart(1);
    expectSameCharts(capture(second), live[1], "reopened: back to part 2");
    // The Lessons panel as the lesson left it, and every chart exports again (both parts).
    EXPECT_EQ(second.lessonsPanel()->outcomeText(), outcome);
    const QString html = dir.filePath(QStringLiteral("report.html"));
    second.exportReport(html);
    QFile page(html);
    ASSERT_TRUE(page.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(page.readAll());
    EXPECT_NE(text.indexOf(QStringLiteral("Part 1 of 2: primes behind a GIL")), -1);
    EXPECT_NE(text.indexOf(QStringLiteral("Part 2 of 2: sleeping threads")), -1);
    EXPECT_EQ(second.shownPart(), 1) << "the report put the shown part back";
    expectSameCharts(capture(second), live[1], "after the report");
    // The session as a baseline: the part the window shows is compared with itself.
    second.showPart(0);
    expectSameCharts(capture(second), live[0], "reopened: part 1 again, after the report");
    ASSERT_EQ(test::loadBaselineAndWait(second, saved), QString());
    auto* breakdown = static_cast<BreakdownChart*>(second.chart("breakdown"));
    EXPECT_GT(breakdown->barCount(), 0);
    EXPECT_EQ(breakdown->baselineMarks(), breakdown->barCount());
    second.setBaseline(std::nullopt);

    // Cut in the middle of part 2, as a crash would leave it: part 1 whole, part 2 cut off.
    const QString cut = dir.filePath(QStringLiteral("cut.coreduel"));
    ASSERT_TRUE(QFile::copy(saved, cut));
    ASSERT_TRUE(QFile::resize(cut, fileSizeAtEnd[0] + (fileSizeAtEnd[1] - fileSizeAtEnd[0]) / 2));
    MainWindow third(quiet);
    third.resize(1400, 900);
    third.show();
    ASSERT_EQ(test::openAndWait(third, cut), QString());
    ASSERT_EQ(third.partCount(), 2);
    const QStringList items = pickerItems(third);
    ASSERT_EQ(items.size(), 2);
    EXPECT_TRUE(items[1].endsWith(QStringLiteral("(cut off)"))) << items[1].toStdString();
    EXPECT_NE(third.statusText().indexOf(QStringLiteral("did not finish")), -1);
    third.showPart(0);
    expectSameCharts(capture(third), live[0], "cut file: part 1 whole");
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
}

TEST(SessionWindow, FilesFromBeforePartsStillOpen) {
    MainWindow::Options quiet;
    quiet.persistSettings = false;
    MainWindow w(quiet);
    w.resize(1366, 768);
    w.show();
    // A coreduel.session/1 file (tests/fixtures: sequential, gil-threads ×2, processes ×2, and
    // two IPC-lab points): one part, no part picker.
    ASSERT_EQ(test::openAndWait(w, QString::fromStdString(std::string(COREDUEL_FIXTURE_DIR) +
                                                          "/session_v1.coreduel")),
              QString());
    EXPECT_EQ(w.partCount(), 1);
    auto* bar = w.findChild<QWidget*>(QStringLiteral("parts-bar"));
    ASSERT_NE(bar, nullptr);
    EXPECT_FALSE(bar->isVisible());
    const WindowData d = capture(w);
    EXPECT_GT(d.samples, 0u);
    EXPECT_EQ(d.runLabels.size(), 3u);
    EXPECT_EQ(w.resultsModel()->rowCount(), 3);
    EXPECT_EQ(d.ipcPoints.size(), 2u);
    EXPECT_GT(static_cast<TimelineChart*>(w.chart("timeline"))->shownSegments(), 0u);
    // A coreduel.result/1 file: the table and the speedup, no session behind them.
    w.openFile(QString::fromStdString(test::goldenPath("result_v1.json")));
    EXPECT_EQ(w.partCount(), 0);
    EXPECT_FALSE(bar->isVisible());
    EXPECT_GT(w.resultsModel()->rowCount(), 0);
    EXPECT_TRUE(w.sessionFile().isEmpty());
}

TEST(SessionWindow, OpensOffTheGuiThreadAndRunsWaitForIt) {
    // A session large enough that reading it is work: 300 000 task events of a gil-threads run.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("big.coreduel"));
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = 8;
    {
        SessionRecorder recorder(path.toStdString());
        Experiment e;
        e.workload = "primes";
        recorder.experimentStarted(e, 1);
        recorder.runStarted(0, config);
        std::vector<TaskEvent> events(4096);
        for (std::size_t batch = 0; batch < 300'000 / events.size(); ++batch) {
            for (std::size_t i = 0; i < events.size(); ++i) {
                const std::size_t t = batch * events.size() + i;
                events[i].task = t;
                events[i].worker = static_cast<std::uint32_t>(t % 8);
                events[i].startNs = 1'000'000'000 + static_cast<std::int64_t>(t / 8) * 20'000;
                events[i].endNs = events[i].startNs + 15'000;
                events[i].cpuNs = 12'000;
            }
            recorder.taskEvents(0, events);
        }
        recorder.close();
    }
    MainWindow::Options quiet;
    quiet.persistSettings = false;
    MainWindow w(quiet);
    w.resize(1366, 768);
    w.show();
    auto* timeline = static_cast<TimelineChart*>(w.chart("timeline"));
    bool done = false;
    QString error = QStringLiteral("not finished");
    w.openFile(path, [&](const QString& e) {
        done = true;
        error = e;
    });
    // openFile returned before the file was read: the GUI thread did not wait for it.
    EXPECT_FALSE(done);
    EXPECT_TRUE(w.isOpening());
    EXPECT_FALSE(timeline->hasData());
    // A run would rewrite the session file being read: it waits, and says why.
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "20000"}, {"tasks", "4"}};
    e.models = {Model::Threads};
    e.workerCounts = {1};
    EXPECT_FALSE(w.runExperiment(e));
    EXPECT_NE(w.statusText().indexOf(QStringLiteral("being read")), -1)
        << w.statusText().toStdString();
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 60000));
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_FALSE(w.isOpening());
    EXPECT_TRUE(timeline->hasData());
    EXPECT_GT(timeline->shownSegments(), 300'000u);
    // Its lanes were built on the job's thread: the same as the GUI thread builds them.
    const std::size_t prepared = timeline->shownSegments();
    auto* lanes = timeline->findChild<LaneRects*>();
    ASSERT_NE(lanes, nullptr);
    (void)timeline->toPixmap(800, 300);
    const std::size_t drawn = lanes->lastDrawnRects();
    timeline->showRun(timeline->shownRun());
    EXPECT_EQ(timeline->shownSegments(), prepared);
    (void)timeline->toPixmap(800, 300);
    EXPECT_EQ(lanes->lastDrawnRects(), drawn);

    // The trace is written off the GUI thread too, and is a whole JSON document.
    const QString trace = dir.filePath(QStringLiteral("trace.json"));
    done = false;
    error = QStringLiteral("not finished");
    w.exportTrace(trace, [&](const QString& e) {
        done = true;
        error = e;
    });
    EXPECT_FALSE(done);
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 60000));
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    QFile file(trace);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const auto j = nlohmann::json::parse(file.readAll().toStdString());
    std::size_t slices = 0;
    for (const auto& ev : j.at("traceEvents"))
        if (ev.value("ph", "") == "X" && ev.value("cat", "") == "task") ++slices;
    EXPECT_EQ(slices, 300'000u - 300'000u % 4096u);

    // A damaged session: the error arrives through done, and the charts keep what they show.
    const QString broken = dir.filePath(QStringLiteral("broken.coreduel"));
    {
        QFile b(broken);
        ASSERT_TRUE(b.open(QIODevice::WriteOnly));
        b.write("coreduel.session/2\n");
        b.write(QByteArray(64, '\x07'));
    }
    done = false;
    w.openFile(broken, [&](const QString& e) {
        done = true;
        error = e;
    });
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 60000));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_TRUE(timeline->hasData()) << "a failed open must not clear what the window showed";
}
