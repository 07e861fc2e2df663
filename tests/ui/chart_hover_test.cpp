// Every bar chart tells the value under the pointer: the breakdown ("Where the time went") and
// the resources chart (wall, CPU, memory) answer hoverText at each bar's pixels with the
// configuration, the quantity and its value, and nothing where there is no bar.

#include <gtest/gtest.h>

#include "tests/ui/ui_support.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/run_groups.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

/// The sum of the bars stacked below `bars` at `key`.
double baseBelow(QCPBars* bars, double key) {
    double base = 0;
    for (QCPBars* b = bars->barBelow(); b != nullptr; b = b->barBelow()) {
        auto it = b->data()->findBegin(key, false);
        if (it != b->data()->constEnd() && it->key == key) base += it->value;
    }
    return base;
}

/// For every bar at least 6 px tall: some pixel across its slot at half its height answers
/// with the bar's name and the configuration's label. Returns how many bars were checked.
int checkEveryBar(Chart& chart, const std::vector<RunGroup>& groups) {
    int checked = 0;
    for (int p = 0; p < chart.plottableCount(); ++p) {
        auto* bars = qobject_cast<QCPBars*>(chart.plottable(p));
        if (bars == nullptr) continue;
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
            QCPAxis* x = bars->keyAxis();
            QCPAxis* y = bars->valueAxis();
            const double base = baseBelow(bars, it->key);
            const double y0 = y->coordToPixel(base);
            const double y1 = y->coordToPixel(base + it->value);
            if (std::abs(y1 - y0) < 6) continue;
            const int py = static_cast<int>((y0 + y1) / 2);
            const auto group = static_cast<std::size_t>(it->key);
            const QString label = groups.at(group).label.split(QLatin1Char('\n')).join(' ');
            // Scan the bar's slot: grouped bars sit beside the key, not on it.
            QString found;
            for (double px = x->coordToPixel(it->key - 0.5); px < x->coordToPixel(it->key + 0.5);
                 px += 2) {
                const QString text = chart.hoverText(QPoint(static_cast<int>(px), py));
                if (text.contains(bars->name()) && text.contains(label)) {
                    found = text;
                    break;
                }
            }
            EXPECT_FALSE(found.isEmpty())
                << chart.slug().toStdString() << ": no hover value for '"
                << bars->name().toStdString() << "' of " << label.toStdString();
            ++checked;
        }
    }
    return checked;
}

/// The golden result with worker time in every phase the chart stacks.
ExperimentResult withBreakdown() {
    ExperimentResult r = test::goldenResult();
    for (RunResult& run : r.runs) {
        const auto total = static_cast<std::int64_t>(run.wallSeconds * 1e9) * run.config.workers;
        run.time.startupNs = total / 20;
        run.time.computeNs = total * 6 / 10;
        run.time.blockedNs = total / 10;
        run.time.idleNs = total / 10;
        run.time.teardownNs = total / 20;
    }
    return r;
}

template <class C>
void showAndPlot(C& chart, const ExperimentResult& r) {
    chart.setRuns(r.runs);
    chart.resize(900, 620);
    chart.show();
    test::spinUntil([] { return false; }, 50);
    chart.replot(QCustomPlot::rpImmediateRefresh);
}

}  // namespace

TEST(ChartHover, BreakdownTellsEachPartOfEachBar) {
    const ExperimentResult r = withBreakdown();
    BreakdownChart chart;
    showAndPlot(chart, r);
    // Three configurations, each with compute, blocked and idle tall enough to point at.
    EXPECT_GE(checkEveryBar(chart, groupRuns(r.runs)), 3 * chart.barCount());
    const QPoint topLeft(chart.axisRect()->left() + 2, chart.axisRect()->top() + 2);
    EXPECT_TRUE(chart.hoverText(topLeft).isEmpty()) << "no bar in the corner";
}

TEST(ChartHover, ResourcesTellsWallCpuAndMemory) {
    const ExperimentResult r = test::goldenResult();
    ResourcesChart chart;
    showAndPlot(chart, r);
    const std::vector<RunGroup> groups = groupRuns(r.runs);
    EXPECT_GE(checkEveryBar(chart, groups), static_cast<int>(groups.size()) * 2);
    // The wall time of the first configuration, formatted as the axis' unit says.
    auto* wall = qobject_cast<QCPBars*>(chart.plottable(0));
    ASSERT_NE(wall, nullptr);
    const double w = groups.front().mean([](const RunResult& x) { return x.wallSeconds; });
    bool seen = false;
    const int py = static_cast<int>(wall->valueAxis()->coordToPixel(w / 2));
    for (int px = 0; px < chart.width() && !seen; ++px)
        seen = chart.hoverText(QPoint(px, py)).contains(formatSeconds(w));
    EXPECT_TRUE(seen) << formatSeconds(w).toStdString();
}
