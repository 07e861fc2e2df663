// Every chart of the window as it is exported (ExportLayout: what renderPng, renderSvg and
// renderPdf all draw) at 1366×768 and 1920×1080: no text outside its box, no title or axis
// title cut (a file has no hover to give the rest), every series visible where magnitudes
// differ (the engine's models beside the interpreter's), and the speedup axis keeps its tick
// at 1 with interval bars on it. The PNGs go to test-artifacts/export/ to look at.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>

#include "tests/ui/layout_checks.h"
#include "tests/ui/layout_fixtures.h"
#include "ui/export/chart_export.h"
#include "ui/export/exporter.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;
using namespace coreduel::test;

namespace {

void feedIpc(MainWindow& w) {
    auto* ipc = dynamic_cast<IpcChart*>(w.chart(QStringLiteral("ipc")));
    ASSERT_NE(ipc, nullptr);
    // As the lab's default gives them: a row per placement (two curves per mechanism), the
    // large messages with two latency modes (the subtitle then explains the hollow rings: a
    // picture must carry all of it).
    for (const char* mechanism : {"pipe", "unix", "mqueue", "shm", "thread-queue", "spin"}) {
        for (std::size_t bytes = 64; bytes <= (1u << 20); bytes *= 16) {
            for (auto where : {IpcPlacement::Same, IpcPlacement::Split}) {
                IpcMeasurement m;
                m.mechanism = mechanism;
                m.placement = where;
                m.bytes = bytes;
                m.roundTrips = 1000;
                m.p50Us = (5.0 + static_cast<double>(bytes) / 2000.0) *
                          (where == IpcPlacement::Split ? 4.0 : 1.0);
                m.p99Us = m.p50Us * 3;
                m.meanUs = m.p50Us * 1.2;
                m.throughputMiBs = 2.0 * static_cast<double>(bytes) / m.p50Us / 1.048576;
                if (bytes >= (1u << 16)) {
                    m.modes.twoModes = true;
                    m.modes.fastUs = m.p50Us / 2;
                    m.modes.slowUs = m.p50Us * 4;
                    m.modes.fastShare = 0.6;
                    m.modes.slowShare = 0.4;
                }
                ipc->addMeasurement(m);
            }
        }
    }
}

/// Bars shorter than `minPixels` where their value is not zero: a series lost beside a larger
/// one (the interpreter's seconds beside the engine's).
QStringList invisibleBars(Chart& chart, const QString& where, double minPixels = 3) {
    QStringList out;
    for (int i = 0; i < chart.plottableCount(); ++i) {
        auto* bars = qobject_cast<QCPBars*>(chart.plottable(i));
        if (bars == nullptr || !bars->visible() || bars->barBelow() != nullptr) continue;
        QCPAxis* value = bars->valueAxis();
        const double base =
            value->scaleType() == QCPAxis::stLogarithmic ? value->range().lower : 0.0;
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
            // The whole stack on this key.
            double top = it->value;
            for (QCPBars* above = bars->barAbove(); above != nullptr; above = above->barAbove()) {
                auto a = above->data()->findBegin(it->key, false);
                if (a != above->data()->constEnd() && qFuzzyCompare(a->key, it->key))
                    top += a->value;
            }
            if (!(top > 0)) continue;
            const double pixels = std::fabs(value->coordToPixel(top) - value->coordToPixel(base));
            if (pixels < minPixels)
                out << where + QStringLiteral(": the bar \"%1\" at %2 (%3) is %4 px tall")
                                   .arg(bars->name())
                                   .arg(it->key)
                                   .arg(top)
                                   .arg(pixels, 0, 'f', 1);
        }
    }
    return out;
}

struct Size {
    QSize pixels;
    int dpi;
};

}  // namespace

TEST(ExportLayoutTest, EveryChartIsWholeAtBothSizes) {
    const QString dir = artifactDir() + QStringLiteral("/export");
    QDir().mkpath(dir);
    QStringList problems;
    for (bool python : {false, true}) {
        MainWindow::Options o;
        o.persistSettings = false;
        MainWindow w(o);
        w.fitToScreen(QRect(0, 0, 1920, 1040));
        w.show();
        w.showResult(syntheticResult(python));
        feedLiveCharts(w, python);
        feedIpc(w);
        replotAll(w);
        for (Chart* chart : w.charts()) {
            if (!chart->hasData()) continue;
            for (const Size& s : {Size{QSize(1366, 768), 96}, Size{QSize(1920, 1080), 144}}) {
                const ImageOptions options{s.pixels, s.dpi};
                const QString name = QStringLiteral("export %1x%2%3")
                                         .arg(s.pixels.width())
                                         .arg(s.pixels.height())
                                         .arg(python ? QStringLiteral(" python") : QString());
                {
                    ExportLayout layout(*chart, options);
                    problems << chartProblems(*chart, name, true);
                    problems << invisibleBars(*chart, name + QStringLiteral(" / ") + chart->slug());
                }
                QFile f(dir + QStringLiteral("/%1-%2x%3%4.png")
                                  .arg(chart->slug())
                                  .arg(s.pixels.width())
                                  .arg(s.pixels.height())
                                  .arg(python ? QStringLiteral("-python") : QString()));
                if (f.open(QIODevice::WriteOnly)) f.write(renderPng(*chart, options));
            }
        }
    }
    EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
}

TEST(ExportLayoutTest, TheSpeedupAxisKeepsOneWithIntervalBars) {
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.fitToScreen(QRect(0, 0, 1920, 1040));
    w.show();
    // Wide intervals (a noisy machine): the axis runs to 3 × the fastest speedup, where
    // QCustomPlot's own ticks step by 2 or 5 and pass 1 by.
    ExperimentResult r = syntheticResult();
    for (ConfigSummary& c : r.analysis.configs)
        if (c.speedup && c.speedup->hasRange) c.speedup->high = 3 * c.speedup->value;
    w.showResult(r);
    replotAll(w);
    auto* speedup = dynamic_cast<SpeedupChart*>(w.chart(QStringLiteral("speedup")));
    ASSERT_NE(speedup, nullptr);
    for (const QSize& pixels : {QSize(1366, 768), QSize(1920, 1080)}) {
        ExportLayout layout(*speedup, ImageOptions{pixels, 144});
        const QVector<double> ticks = speedup->yAxis->tickVector();
        EXPECT_TRUE(std::any_of(ticks.begin(), ticks.end(),
                                [](double t) { return std::fabs(t - 1.0) < 1e-9; }))
            << pixels.width() << ": no tick at 1";
    }
}

TEST(ExportLayoutTest, TheIpcLegendNamesEachMechanismOnce) {
    // Two curves per mechanism (the peer on the engine's CPU, dotted, and across, solid): one
    // legend entry each, its solid line, and the subtitle says what dotted is. An entry per
    // curve took a third of the dock at 1366×768 (the walkthrough).
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.fitToScreen(QRect(0, 0, 1366, 728));
    w.show();
    feedIpc(w);
    replotAll(w);
    Chart* ipc = w.chart(QStringLiteral("ipc"));
    ASSERT_NE(ipc, nullptr);
    QStringList names;
    for (int i = 0; i < ipc->legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(ipc->legend->item(i));
        ASSERT_NE(item, nullptr);
        names << item->plottable()->name();
        auto* graph = qobject_cast<QCPGraph*>(item->plottable());
        ASSERT_NE(graph, nullptr);
        EXPECT_EQ(graph->pen().style(), Qt::SolidLine) << graph->name().toStdString();
    }
    names.sort();
    EXPECT_EQ(names.join(QLatin1Char(',')),
              QStringLiteral("mqueue,pipe,shm,spin,thread-queue,unix"));
    EXPECT_TRUE(ipc->subtitle().contains(QStringLiteral("dotted: the peer on the engine's CPU")))
        << ipc->subtitle().toStdString();
    // Emptied (a session without lab points opened): the subtitle no longer counts the old
    // lab's points over an empty plot.
    ipc->clearData();
    EXPECT_TRUE(ipc->subtitle().startsWith(QStringLiteral("not measured yet")))
        << ipc->subtitle().toStdString();
}

TEST(ExportLayoutTest, NoLawFitsIsNotDrawnLikeTheIdealLine) {
    // Both were a grey dotted line in the legend (the walkthrough took one for the other).
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.fitToScreen(QRect(0, 0, 1920, 1040));
    w.show();
    w.showResult(syntheticResult());
    replotAll(w);
    Chart* speedup = w.chart(QStringLiteral("speedup"));
    ASSERT_NE(speedup, nullptr);
    QCPGraph* none = nullptr;
    QCPGraph* ideal = nullptr;
    for (int i = 0; i < speedup->graphCount(); ++i) {
        QCPGraph* g = speedup->graph(i);
        if (g->name().startsWith(QStringLiteral("no law fits"))) none = g;
        if (g->name().startsWith(QStringLiteral("ideal"))) ideal = g;
    }
    ASSERT_NE(ideal, nullptr);
    if (none == nullptr) GTEST_SKIP() << "every model has a law in this result";
    EXPECT_EQ(none->lineStyle(), QCPGraph::lsNone);
    EXPECT_NE(none->scatterStyle().shape(), QCPScatterStyle::ssNone);
}
