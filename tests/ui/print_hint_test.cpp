// An exported chart says what was measured, not how to use the window: the per-core chart's
// interaction hint ("wheel to zoom, double-click to follow") is on screen and in no picture.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QWheelEvent>

#include "ui/export/chart_export.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/report/report_charts.h"

using namespace coreduel::ui;

namespace {

/// Every text element's text, joined.
QString texts(Chart& chart) {
    QString all;
    for (QCPLayoutElement* e : chart.plotLayout()->elements(true))
        if (auto* t = qobject_cast<QCPTextElement*>(e)) all += t->text() + QLatin1Char('\n');
    return all;
}

}  // namespace

TEST(PrintHint, TheHintIsOnScreenAndNotInAPicture) {
    CoreHeatChart chart;
    chart.resize(900, 500);
    chart.replot(QCustomPlot::rpImmediateRefresh);  // the layout fits the subtitle to the width
    EXPECT_TRUE(texts(chart).contains(QStringLiteral("double-click")))
        << texts(chart).toStdString();
    EXPECT_FALSE(chart.title().contains(QStringLiteral("(live)")));
    {
        ExportLayout printing(chart, ImageOptions{QSize(1920, 1080), 144});
        EXPECT_FALSE(texts(chart).contains(QStringLiteral("double-click")))
            << texts(chart).toStdString();
        EXPECT_FALSE(texts(chart).contains(QStringLiteral("wheel")));
    }
    chart.replot(QCustomPlot::rpImmediateRefresh);
    EXPECT_TRUE(texts(chart).contains(QStringLiteral("double-click")));
}

namespace {

/// 60 s of samples, half a second each, on 2 cores.
void fillMinute(CoreHeatChart& chart) {
    chart.setOrigin(0);
    std::vector<coreduel::UtilizationSample> samples;
    for (int i = 1; i <= 120; ++i) {
        coreduel::UtilizationSample s;
        s.windowNs = 500'000'000;
        s.timeNs = i * s.windowNs;
        for (int c = 0; c < 2; ++c) {
            coreduel::CoreUsage u;
            u.user = 0.8F;
            u.idle = 0.2F;
            s.cores.push_back(u);
        }
        samples.push_back(s);
    }
    chart.addSamples(samples);
}

}  // namespace

// The window follows the last 30 s of a run; an exported picture (and a report's figure, whose
// caption names the span) shows the whole experiment, and the window is put back afterwards.
TEST(PrintHint, APrintedPerCoreChartCoversTheWholeExperiment) {
    CoreHeatChart chart;
    chart.resize(900, 500);
    fillMinute(chart);
    const QCPRange live = chart.xAxis->range();
    EXPECT_GT(live.lower, 20.0) << "the window follows the live edge";
    EXPECT_NEAR(chart.printedSpan().lower, 0.0, 1e-9);
    EXPECT_NEAR(chart.printedSpan().upper, 60.0, 1e-9);
    {
        ExportLayout printing(chart, ImageOptions{QSize(1920, 1080), 144});
        EXPECT_NEAR(chart.xAxis->range().lower, 0.0, 1e-9);
        EXPECT_NEAR(chart.xAxis->range().upper, 60.0, 1e-9);
    }
    EXPECT_NEAR(chart.xAxis->range().lower, live.lower, 1e-9);
    EXPECT_NEAR(chart.xAxis->range().upper, live.upper, 1e-9);
}

// A span the user zoomed to is printed as it is, and the caption says which span it is.
TEST(PrintHint, AZoomedPerCoreChartIsPrintedAsZoomed) {
    CoreHeatChart chart;
    chart.resize(900, 500);
    fillMinute(chart);
    QWheelEvent wheel(QPointF(400, 200), QPointF(400, 200), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(&chart, &wheel);  // the user zooms: no longer following
    chart.xAxis->setRange(10, 20);
    {
        ExportLayout printing(chart, ImageOptions{QSize(1920, 1080), 144});
        EXPECT_NEAR(chart.xAxis->range().lower, 10.0, 1e-9);
        EXPECT_NEAR(chart.xAxis->range().upper, 20.0, 1e-9);
    }
    EXPECT_NEAR(chart.printedSpan().lower, 10.0, 1e-9);
}

namespace {

/// Remembers what the chart's texts said while it was printing.
class WatchedHeatChart : public CoreHeatChart {
public:
    QString whilePrinting;
    QCPRange spanWhilePrinting;

protected:
    void printingChanged(bool printing) override {
        CoreHeatChart::printingChanged(printing);
        if (printing) {
            whilePrinting = texts(*this);
            spanWhilePrinting = xAxis->range();
        }
    }
};

}  // namespace

// A report's figures are drawn by drawChartForPrint, not an image export: they left the hint
// in every report's per-CPU figure ("live: wheel to zoom, double-click to follow") and showed
// the last 30 s the window follows instead of the whole experiment.
TEST(PrintHint, AReportFigureIsPrintedAsAnExportIs) {
    WatchedHeatChart chart;
    chart.resize(900, 500);
    fillMinute(chart);
    QImage page(800, 500, QImage::Format_ARGB32);
    QCPPainter painter(&page);
    drawChartForPrint(chart, painter, 800, 500, 900);
    painter.end();
    EXPECT_FALSE(chart.whilePrinting.isEmpty()) << "the figure was drawn printing";
    EXPECT_FALSE(chart.whilePrinting.contains(QStringLiteral("wheel")))
        << chart.whilePrinting.toStdString();
    EXPECT_NEAR(chart.spanWhilePrinting.lower, 0.0, 1e-9);
    EXPECT_FALSE(chart.printing()) << "the window's chart is put back";
}

// The CPU labels follow the strip's height as laid out for the replot that draws them: a strip
// that grew back (leaving presentation mode at 1366x768) kept cpu1's label dropped for its
// smallest size until something else replotted it.
TEST(CoreLabels, AStripThatGrowsBackLabelsEveryCpuAtItsNextReplot) {
    CoreHeatChart chart;
    fillMinute(chart);
    chart.show();  // a hidden widget gets its resize events only when shown
    const auto labels = [&chart] {
        auto ticker = chart.yAxis->ticker().dynamicCast<QCPAxisTickerText>();
        return ticker ? ticker->ticks().values() : QList<QString>{};
    };
    // Shrink until the lanes are too low for a label each (every 2nd CPU is then labelled).
    bool thinned = false;
    for (int height = 300; height >= 60 && !thinned; height -= 10) {
        chart.resize(600, height);
        chart.replot(QCustomPlot::rpImmediateRefresh);
        chart.replot(QCustomPlot::rpImmediateRefresh);
        thinned = !labels().contains(QStringLiteral("cpu1"));
    }
    ASSERT_TRUE(thinned) << "a low strip labels every 2nd CPU";
    chart.resize(600, 420);  // its resize event replots once; nothing else does
    EXPECT_TRUE(labels().contains(QStringLiteral("cpu1")));
    EXPECT_TRUE(labels().contains(QStringLiteral("cpu0")));
}
