// An exported chart says what was measured, not how to use the window: the per-core chart's
// interaction hint ("wheel to zoom, double-click to follow") is on screen and in no picture.

#include <gtest/gtest.h>

#include "ui/chart_export.h"
#include "ui/plots/core_heat_chart.h"

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
