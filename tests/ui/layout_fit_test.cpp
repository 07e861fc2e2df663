// Issue 24 at the sizes of a lecture-hall projector and a laptop (1366×768) and a desk
// (1920×1080): the per-core strip stays readable with the warnings strip and the lesson-part
// bar above it, and labels every CPU its lanes have room for; the worker timeline thins its
// lane labels like an axis; "Where the time went" keeps its y title and names its groups; the
// results table shows the speedup without scrolling.

#include <gtest/gtest.h>

#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>

#include "tests/ui/layout_checks.h"
#include "tests/ui/layout_fixtures.h"
#include "ui/panels/results_model.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;
using namespace coreduel::test;

namespace {

struct Screen {
    int width;
    int height;
};

QString sizeName(const Screen& s) {
    return QStringLiteral("%1x%2").arg(s.width).arg(s.height);
}

/// A window on `s` (a task bar takes 40 px) showing the synthetic result.
std::unique_ptr<MainWindow> windowOn(const Screen& s, bool python = false) {
    MainWindow::Options o;
    o.persistSettings = false;
    auto w = std::make_unique<MainWindow>(o);
    w->fitToScreen(QRect(0, 0, s.width, s.height - 40));
    w->show();
    w->showResult(syntheticResult(python));
    return w;
}

QStringList tickLabels(QCPAxis* axis) {
    QStringList out;
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i)
        if (axis->range().contains(ticks[i]) && !labels[i].isEmpty()) out << labels[i];
    return out;
}

class FitOn : public ::testing::TestWithParam<Screen> {};

}  // namespace

TEST_P(FitOn, TheCoreStripReadsUnderTheWarningsAndThePartBar) {
    const Screen s = GetParam();
    // 2 and 8 CPUs after the engine's models; 2 CPUs after the GIL lesson's seven (the engine's
    // four and CPython's three: seven swatches under the strip).
    for (auto [cores, python] : {std::pair{2u, false}, std::pair{8u, false}, std::pair{2u, true}}) {
        const QString name =
            sizeName(s) + QStringLiteral(" %1 cores%2")
                              .arg(cores)
                              .arg(python ? QStringLiteral(" +CPython") : QString());
        auto w = windowOn(s);
        feedLiveCharts(*w, false, cores);
        auto* strip = dynamic_cast<CoreHeatChart*>(w->chart(QStringLiteral("cores")));
        ASSERT_NE(strip, nullptr);
        int run = 1;
        std::vector<Model> ran{Model::Sequential, Model::Threads, Model::GilThreads};
        if (python) {
            ran.insert(ran.end(), {Model::Processes, Model::PySequential, Model::PyThreads,
                                   Model::PyProcesses});
        }
        for (Model m : ran) {
            RunConfig config;
            config.model = m;
            config.workers = 2;
            strip->addRunSpan(run, config, 1'000'000'000LL * run, 1'000'000'000LL * (run + 1));
            ++run;
        }
        // What a lesson's session shows above the strip: its part picker and its warnings.
        auto* bar = w->findChild<QWidget*>(QStringLiteral("parts-bar"));
        ASSERT_NE(bar, nullptr);
        bar->show();
        auto* warnings = w->findChild<QLabel*>(QStringLiteral("warnings-strip"));
        ASSERT_NE(warnings, nullptr);
        warnings->setText(QStringLiteral("⚠ 2 warnings (hover for all): fewer than 3 repetitions"));
        warnings->show();
        replotAll(*w);
        replotAll(*w);
        Chart* heat = w->chart(QStringLiteral("cores"));
        ASSERT_NE(heat, nullptr);
        heat->grab().save(artifactDir() + QStringLiteral("/strip-%1-%2cores%3.png")
                                              .arg(sizeName(s))
                                              .arg(cores)
                                              .arg(python ? QStringLiteral("-py") : QString()));
        EXPECT_FALSE(heat->tooSmallToRead())
            << name.toStdString() << ": " << heat->width() << "×" << heat->height();
        const QStringList problems = chartProblems(*heat, name);
        EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
        const QStringList labels = tickLabels(heat->yAxis);
        EXPECT_TRUE(labels.contains(QStringLiteral("cpu0"))) << name.toStdString();
        // Two CPUs: both named (the lanes have room for two labels).
        if (cores == 2) {
            EXPECT_TRUE(labels.contains(QStringLiteral("cpu1")))
                << name.toStdString() << ": " << labels.join(QLatin1Char(' ')).toStdString();
        }
    }
}

TEST_P(FitOn, TimelineLaneLabelsThinOutInsteadOfOverlapping) {
    const Screen s = GetParam();
    for (unsigned workers : {8u, 16u, 32u}) {
        const QString name = sizeName(s) + QStringLiteral(" %1 workers").arg(workers);
        auto w = windowOn(s);
        feedLiveCharts(*w, false, kCores, workers);
        w->showChart(QStringLiteral("timeline"));
        replotAll(*w);
        replotAll(*w);
        Chart* timeline = w->chart(QStringLiteral("timeline"));
        timeline->grab().save(
            artifactDir() +
            QStringLiteral("/timeline-%1-%2workers.png").arg(sizeName(s)).arg(workers));
        const QStringList problems = chartProblems(*timeline, name);
        EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
        // Thinned, not dropped: the first lane and at least one more keep their names.
        const QStringList labels = tickLabels(timeline->yAxis);
        EXPECT_TRUE(labels.contains(QStringLiteral("process 0"))) << name.toStdString();
        EXPECT_GE(labels.size(), 2) << name.toStdString();
    }
}

TEST_P(FitOn, TheTimelineUnderTheStripKeepsItsPlotWithAGilLegend) {
    // A GIL run's timeline names four or five states: on a 768-line screen, under the strip
    // and the warnings, one long name per row left the plot "too small to read".
    const Screen s = GetParam();
    auto w = windowOn(s);
    feedLiveCharts(*w, false, kCores, 4);
    // Run 1: gil-threads ×2 with its exact GIL intervals: holds (some forced), waits, the
    // gaps between chunks, time off CPU inside a task.
    auto* chart = dynamic_cast<TimelineChart*>(w->chart(QStringLiteral("timeline")));
    ASSERT_NE(chart, nullptr);
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = 2;
    chart->beginRun(1, config);
    std::vector<TaskEvent> events;
    auto gil = std::make_shared<GilTimeline>();
    gil->capPerThread = 1000;
    gil->droppedPerWorker = {0, 0};
    const std::int64_t ms = 1'000'000;
    for (std::uint64_t t = 0; t < 40; ++t) {
        TaskEvent e;
        e.task = t;
        e.worker = static_cast<std::uint32_t>(t % 2);
        e.startNs = static_cast<std::int64_t>(t / 2) * 12 * ms;
        e.endNs = e.startNs + 10 * ms;
        e.cpuNs = 4 * ms;
        events.push_back(e);
        const std::uint32_t other = 1 - e.worker;
        gil->intervals.push_back(
            GilInterval{e.startNs, e.startNs + 4 * ms, e.worker, GilInterval::Hold, t % 3 == 0});
        gil->intervals.push_back(
            GilInterval{e.startNs, e.startNs + 4 * ms, other, GilInterval::Wait, false});
    }
    chart->addEvents(1, events);
    chart->setGilTimeline(1, gil);
    chart->showRun(1);
    auto* warnings = w->findChild<QLabel*>(QStringLiteral("warnings-strip"));
    ASSERT_NE(warnings, nullptr);
    warnings->setText(QStringLiteral("⚠ 2 warnings (hover for all): fewer than 3 repetitions"));
    warnings->show();
    w->showChart(QStringLiteral("timeline"));
    replotAll(*w);
    replotAll(*w);
    Chart* timeline = w->chart(QStringLiteral("timeline"));
    timeline->grab().save(artifactDir() + QStringLiteral("/timeline-gil-%1.png").arg(sizeName(s)));
    EXPECT_GE(timeline->legend->itemCount(), 3);
    EXPECT_FALSE(timeline->tooSmallToRead())
        << sizeName(s).toStdString() << ": " << timeline->width() << "×" << timeline->height();
    const QStringList problems = chartProblems(*timeline, sizeName(s));
    EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
}

TEST_P(FitOn, ALongWarningIsCutWithAnEllipsisNotMidWord) {
    // The walkthrough read "… the standard deviation is 38 % of the mear" at 1366×768.
    const Screen s = GetParam();
    auto w = windowOn(s);
    ExperimentResult r = syntheticResult();
    r.analysis.warnings = {
        "processes x2: noisy: the standard deviation is 38 % of the mean over 3 repetitions, "
        "more than the 10 % a speedup can be read against; repeat it on a quiet machine",
        "fewer than 3 repetitions"};
    w->showResult(r);
    replotAll(*w);
    auto* warnings = w->findChild<QLabel*>(QStringLiteral("warnings-strip"));
    ASSERT_NE(warnings, nullptr);
    ASSERT_TRUE(warnings->isVisible());
    const QString shown = warnings->text();
    EXPECT_TRUE(shown.endsWith(QChar(0x2026))) << shown.toStdString();
    EXPECT_LE(warnings->fontMetrics().horizontalAdvance(shown), warnings->contentsRect().width())
        << shown.toStdString();
    EXPECT_TRUE(warnings->toolTip().contains(QStringLiteral("repeat it on a quiet machine")));
}

TEST_P(FitOn, WhereTheTimeWentKeepsItsTitleAndNamesItsGroups) {
    const Screen s = GetParam();
    auto w = windowOn(s);
    w->showChart(QStringLiteral("breakdown"));
    replotAll(*w);
    replotAll(*w);
    auto* chart = dynamic_cast<BreakdownChart*>(w->chart(QStringLiteral("breakdown")));
    ASSERT_NE(chart, nullptr);
    chart->grab().save(artifactDir() + QStringLiteral("/breakdown-%1.png").arg(sizeName(s)));
    EXPECT_EQ(chart->yAxis->label(), QStringLiteral("worker time [s]"))
        << sizeName(s).toStdString();
    const QStringList problems = chartProblems(*chart, sizeName(s));
    EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
    // Every model under its bars by a name a reader knows without hovering: the full name or
    // one the chart spells out in its legend of abbreviations.
    QCPAxis* groupAxis = chart->xAxis->axisRect()->axes(QCPAxis::atBottom).last();
    const QStringList groups = tickLabels(groupAxis);
    EXPECT_EQ(groups.size(), 4) << groups.join(QLatin1Char(' ')).toStdString();
    for (const QString& g : groups) {
        const bool full = g == QLatin1String("sequential") || g == QLatin1String("threads") ||
                          g == QLatin1String("gil-threads") || g == QLatin1String("processes");
        EXPECT_TRUE(full || groupAxis->label().contains(g + QStringLiteral(" = ")))
            << sizeName(s).toStdString() << ": \"" << g.toStdString() << "\" unexplained";
    }
}

TEST_P(FitOn, TheResultsTableShowsTheSpeedupWithoutScrolling) {
    // With CPython's models too: "py:processes/spawn (CPython 3.11)" is the longest label.
    for (bool python : {false, true}) {
        const Screen s = GetParam();
        auto w = windowOn(s, python);
        w->showChart(QStringLiteral("table"));
        replotAll(*w);
        auto* table = w->findChild<QTableView*>();
        ASSERT_NE(table, nullptr);
        ASSERT_TRUE(table->isVisible());
        w->grab().save(artifactDir() + QStringLiteral("/table-%1%2.png")
                                           .arg(sizeName(s))
                                           .arg(python ? QStringLiteral("-py") : QString()));
        const QHeaderView* header = table->horizontalHeader();
        for (int column : {int(ResultsModel::ModelCol), int(ResultsModel::Workers),
                           int(ResultsModel::Speedup)}) {
            const int left = header->sectionViewportPosition(column);
            const int right = left + header->sectionSize(column);
            EXPECT_GE(left, 0) << column;
            EXPECT_LE(right, table->viewport()->width())
                << sizeName(s).toStdString() << ": column "
                << header->model()->headerData(column, Qt::Horizontal).toString().toStdString()
                << " ends at " << right << " of " << table->viewport()->width();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Screens, FitOn, ::testing::Values(Screen{1366, 768}, Screen{1920, 1080}),
                         [](const auto& info) { return sizeName(info.param).toStdString(); });
