#include "ui/plots/baseline_marks.h"

#include <limits>
#include <map>

#include "core/run/compare.h"

namespace coreduel::ui {

std::vector<double> baselineLevels(const std::vector<RunGroup>& now,
                                   const std::vector<RunResult>& baseline,
                                   const std::function<double(const RunResult&)>& field) {
    std::map<std::string, double> levels;
    for (const RunGroup& g : groupRuns(baseline))
        if (!g.runs.empty()) levels[configurationLabel(g.config)] = g.mean(field);
    std::vector<double> out;
    for (const RunGroup& g : now) {
        const auto it = levels.find(configurationLabel(g.config));
        out.push_back(it == levels.end() ? std::numeric_limits<double>::quiet_NaN() : it->second);
    }
    return out;
}

QCPBars* addBaselineOutlines(QCPAxis* x, QCPAxis* y, const std::vector<double>& levels,
                             double offset, double width, const QColor& colour,
                             const QString& name) {
    bool any = false;
    for (double v : levels) any = any || std::isfinite(v);
    if (!any) return nullptr;
    auto* bars = new QCPBars(x, y);
    bars->setName(name);
    bars->setWidth(width);
    bars->setBrush(Qt::NoBrush);
    QPen pen(colour, 2, Qt::DashLine);
    pen.setCosmetic(true);
    bars->setPen(pen);
    for (std::size_t i = 0; i < levels.size(); ++i)
        if (std::isfinite(levels[i])) bars->addData(double(i) + offset, levels[i]);
    return bars;
}

}  // namespace coreduel::ui
