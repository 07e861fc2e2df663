#include "ui/report/report_charts.h"

#include <cmath>

#include "ui/export/exporter.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"

namespace coreduel::ui {

ResultCharts::ResultCharts(const ExperimentResult& result)
    : m_speedup(std::make_unique<SpeedupChart>()),
      m_breakdown(std::make_unique<BreakdownChart>()),
      m_resources(std::make_unique<ResourcesChart>()) {
    m_speedup->setResult(result);
    m_breakdown->setRuns(result.runs);
    m_resources->setRuns(result.runs);
}

ResultCharts::~ResultCharts() = default;

std::vector<Chart*> ResultCharts::all() const {
    return {m_speedup.get(), m_breakdown.get(), m_resources.get()};
}

}  // namespace coreduel::ui

namespace coreduel::ui {
namespace {

/// Resizes a chart for an export and puts the old size back; a replot at the new size lets
/// the chart fit its titles, legend and labels to it (toPainter alone lays out, but does not
/// run the chart's fitting, which reads the widget's size).
class ExportSize {
public:
    ExportSize(Chart& chart, QSize size)
        : m_chart(chart), m_old(chart.size()), m_wasPrinting(chart.printing()) {
        // A printed chart says what was measured, not how to use the window ("live: wheel to
        // zoom" was in every report's per-CPU figure).
        m_chart.setPrinting(true);
        m_chart.resize(size);
        m_chart.replot(QCustomPlot::rpImmediateRefresh);
    }
    ~ExportSize() {
        m_chart.setPrinting(m_wasPrinting);
        m_chart.resize(m_old);
        m_chart.replot(QCustomPlot::rpQueuedReplot);
    }
    ExportSize(const ExportSize&) = delete;
    ExportSize& operator=(const ExportSize&) = delete;

private:
    Chart& m_chart;
    QSize m_old;
    bool m_wasPrinting;
};

}  // namespace

void drawChartForPrint(Chart& chart, QCPPainter& painter, double width, double height,
                       double layoutWidth) {
    const double scale = width / layoutWidth;
    const QSize layout(static_cast<int>(std::lround(layoutWidth)),
                       static_cast<int>(std::lround(height / scale)));
    ExportSize sized(chart, layout);
    painter.save();
    painter.scale(scale, scale);
    chart.toPainter(&painter, layout.width(), layout.height());
    painter.restore();
}

QByteArray chartPngForPrint(Chart& chart, QSize pixels, int dpi) {
    const double scale = dpi / 96.0;
    ExportSize sized(chart, QSize(static_cast<int>(std::lround(pixels.width() / scale)),
                                  static_cast<int>(std::lround(pixels.height() / scale))));
    return renderPng(chart, ImageOptions{pixels, dpi});
}

}  // namespace coreduel::ui
