#pragma once
// The charts a saved result can draw, for reports made without the window (coreduel-cli
// report, tests): speedup, where the time went, and resources. The live views (per-core load,
// the timeline) are not stored in result files. Needs a QApplication (charts are widgets).

#include <qcustomplot.h>

#include <QByteArray>
#include <QSize>
#include <memory>
#include <vector>

#include "core/run/result.h"

namespace coreduel::ui {

class Chart;
class SpeedupChart;
class BreakdownChart;
class ResourcesChart;

class ResultCharts {
public:
    explicit ResultCharts(const ExperimentResult& result);
    ~ResultCharts();
    ResultCharts(const ResultCharts&) = delete;
    ResultCharts& operator=(const ResultCharts&) = delete;

    [[nodiscard]] std::vector<Chart*> all() const;

private:
    std::unique_ptr<SpeedupChart> m_speedup;
    std::unique_ptr<BreakdownChart> m_breakdown;
    std::unique_ptr<ResourcesChart> m_resources;
};

/// Draws `chart` into `painter` as vector graphics filling width × height (device pixels). The
/// chart is laid out at `layoutWidth` and scaled to fit, so its fonts keep their proportion to
/// the page's text; titles, legends and axis labels are fitted to that size first (the chart
/// widget is resized for the moment and put back).
void drawChartForPrint(Chart& chart, QCPPainter& painter, double width, double height,
                       double layoutWidth);
/// The chart as a PNG of `pixels` at `dpi`, fitted to that size first (as drawChartForPrint).
QByteArray chartPngForPrint(Chart& chart, QSize pixels, int dpi);

}  // namespace coreduel::ui
