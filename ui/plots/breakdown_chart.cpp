#include "ui/plots/breakdown_chart.h"

#include "ui/plots/baseline_marks.h"
#include "ui/plots/run_groups.h"

namespace coreduel::ui {
namespace {
struct Part {
    const char* name;
    std::int64_t TimeBreakdown::*field;
    int colour;  // Theme::series index; -1: the grid grey (idle is the absence of work);
                 // -2: the mid grey of off-CPU time (as on the worker timeline)
};
// Bottom to top in the order a task lives through them; on CPU, blocked, GIL wait and transfer
// keep the colours they have on the worker timeline.
constexpr Part kParts[] = {
    {"start-up", &TimeBreakdown::startupNs, 5},
    {"decode", &TimeBreakdown::decodeNs, 2},
    {"transfer", &TimeBreakdown::transferNs, 3},
    {"on CPU (in tasks)", &TimeBreakdown::computeNs, 0},
    {"off CPU in tasks (I/O, sleep, page faults, or preempted)", &TimeBreakdown::blockedNs, -2},
    {"waiting for the GIL", &TimeBreakdown::lockWaitNs, 1},
    {"encode", &TimeBreakdown::encodeNs, 4},
    {"idle", &TimeBreakdown::idleNs, -1},
    {"teardown", &TimeBreakdown::teardownNs, 6},
};
}  // namespace

BreakdownChart::BreakdownChart(QWidget* parent)
    : Chart(QStringLiteral("Where the time went"), parent) {
    // Short enough never to be cut; how it is summed is said in the subtitle and the hover.
    yAxis->setLabel(QStringLiteral("worker time [s]"));
    m_categories = addCategoryAxis(xAxis);
    placeLegendBelow();
    setSubtitle(QStringLiteral("no result yet"));
    rebuild();
}

void BreakdownChart::clearData() {
    m_runs.clear();
    rebuild();
    requestReplot();
}

void BreakdownChart::setRuns(const std::vector<RunResult>& runs) {
    m_runs = runs;
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void BreakdownChart::setBaselineRuns(const std::vector<RunResult>& runs, const QString& name) {
    m_baseline = runs;
    m_baselineName = name;
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void BreakdownChart::rebuild() {
    clearPlottables();
    const Theme& t = theme();
    const std::vector<RunGroup> groups = groupRuns(m_runs);
    m_bars = static_cast<int>(groups.size());
    m_parts.clear();
    m_labels.clear();
    m_repetitions.clear();
    for (const RunGroup& g : groups) {
        m_labels.push_back(QString(g.label).replace(QLatin1Char('\n'), QLatin1Char(' ')));
        m_repetitions.push_back(g.runs.size());
    }
    m_categories->setCategories(categoriesOf(groups));
    xAxis->setTickLength(0, 0);
    xAxis->grid()->setVisible(false);
    QCPBars* below = nullptr;
    double top = 0;
    std::vector<double> stacked(groups.size(), 0.0);
    bool inferred = false;
    for (const RunResult& r : m_runs) inferred = inferred || r.gilWaitInferred;
    for (const Part& part : kParts) {
        auto* bars = new QCPBars(xAxis, yAxis);
        bars->setName(QString::fromLatin1(part.name));
        // The real interpreter reports no GIL: py:threads' waits are its off-CPU time.
        if (inferred && part.field == &TimeBreakdown::lockWaitNs)
            bars->setName(QStringLiteral("waiting for the GIL (py:threads: inferred)"));
        const QColor c = part.colour == -2 ? QColor(0x9a, 0x9a, 0x9a)
                         : part.colour < 0 ? t.grid
                                           : t.series(part.colour);
        bars->setBrush(c);
        bars->setPen(QPen(t.background, 1));
        bars->setWidth(0.6);
        for (std::size_t i = 0; i < groups.size(); ++i) {
            const double s = groups[i].mean([&part](const RunResult& r) {
                return static_cast<double>(r.time.*part.field) / 1e9;
            });
            bars->addData(double(i), s);
            stacked[i] += s;
            top = std::max(top, stacked[i]);
        }
        if (below != nullptr) bars->moveAbove(below);
        below = bars;
        m_parts.push_back(bars);
    }
    m_baselineMarks = 0;
    if (!m_baseline.empty()) {
        const auto levels = baselineLevels(groups, m_baseline, [](const RunResult& r) {
            double total = 0;
            for (const Part& part : kParts) total += static_cast<double>(r.time.*part.field) / 1e9;
            return total;
        });
        if (QCPBars* g =
                addBaselineOutlines(xAxis, yAxis, levels, 0, 0.6, t.foreground,
                                    tr("baseline (%1): total worker time").arg(m_baselineName))) {
            m_baselineMarks = g->data()->size();
            for (double v : levels)
                if (std::isfinite(v)) top = std::max(top, v);
        }
    }
    xAxis->setRange(-0.6, std::max<double>(1, groups.size()) - 0.4);
    yAxis->setRange(0, top > 0 ? top * 1.08 : 1);
    setSubtitle(groups.empty()
                    ? QStringLiteral("no result yet")
                    : QStringLiteral("summed over the workers, mean of repetitions; worker side, "
                                     "from clock_gettime around each phase; the engine's own "
                                     "encode/decode runs in parallel"));
}

QString BreakdownChart::valueAt(const QPoint& pos) const {
    for (std::size_t p = 0; p < m_parts.size(); ++p) {
        QCPBars* bars = m_parts[p];
        QVariant details;
        // QCPBars' own hit test: the stacked bar's rectangle, with the data point it shows.
        if (bars->selectTest(QPointF(pos), false, &details) < 0) continue;
        const QCPDataSelection hit = details.value<QCPDataSelection>();
        if (hit.isEmpty()) continue;
        const int index = hit.dataRange().begin();
        const auto i = static_cast<std::size_t>(bars->data()->at(index)->key);
        if (i >= m_labels.size()) continue;
        const double seconds = bars->data()->at(index)->value;
        double total = 0;
        for (QCPBars* b : m_parts) total += b->data()->at(index)->value;
        const std::size_t n = m_repetitions[i];
        return tr("%1 — %2: %3\n%4 % of %5 worker time, mean of %6")
            .arg(m_labels[i], bars->name(), formatSeconds(seconds))
            .arg(total > 0 ? 100 * seconds / total : 0.0, 0, 'f', 0)
            .arg(formatSeconds(total), n == 1 ? tr("1 run") : tr("%1 runs").arg(n));
    }
    return {};
}

}  // namespace coreduel::ui
