#include "ui/plots/breakdown_chart.h"

#include <cmath>
#include <limits>

#include "ui/plots/baseline_marks.h"
#include "ui/plots/run_groups.h"
#include "ui/plots/value_scale.h"

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
    {"off CPU in tasks", &TimeBreakdown::blockedNs, -2},
    {"waiting for the GIL", &TimeBreakdown::lockWaitNs, 1},
    {"encode", &TimeBreakdown::encodeNs, 4},
    {"idle", &TimeBreakdown::idleNs, -1},
    {"teardown", &TimeBreakdown::teardownNs, 6},
};
/// What the short legend names leave out, for the hover.
constexpr const char* kOffCpuDetail = " (I/O, sleep, page faults, or preempted)";

/// One part's bars on `y`, named and coloured as on the worker timeline.
QCPBars* partBars(QCPAxis* x, QCPAxis* y, const Part& part, const Theme& t, bool inferred) {
    auto* b = new QCPBars(x, y);
    b->setName(QString::fromLatin1(part.name));
    // The real interpreter reports no GIL: py:threads' waits are its off-CPU time.
    if (inferred && part.field == &TimeBreakdown::lockWaitNs)
        b->setName(QStringLiteral("waiting for the GIL (py:threads: inferred)"));
    const QColor c = part.colour == -2 ? QColor(0x9a, 0x9a, 0x9a)
                     : part.colour < 0 ? t.grid
                                       : t.series(part.colour);
    b->setBrush(c);
    b->setPen(QPen(t.background, 1));
    b->setWidth(0.6);
    return b;
}

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
    std::vector<QCPBars*> unused;  // parts no bar has
    for (const Part& part : kParts) {
        QCPBars* bars = partBars(xAxis, yAxis, part, t, inferred);
        bool any = false;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            const double s = groups[i].mean([&part](const RunResult& r) {
                return static_cast<double>(r.time.*part.field) / 1e9;
            });
            bars->addData(double(i), s);
            stacked[i] += s;
            top = std::max(top, stacked[i]);
            any = any || s > 0;
        }
        if (!any) unused.push_back(bars);
        if (below != nullptr) bars->moveAbove(below);
        below = bars;
        m_parts.push_back(bars);
    }
    // A swatch only for a part some bar has (nothing to look for otherwise), unless none has.
    if (unused.size() < m_parts.size()) {
        for (QCPBars* b : unused) b->removeFromLegend();
        // Removed entries leave empty cells in the legend's grid: re-flowed without them.
        legend->simplify();
        legend->setFillOrder(legend->fillOrder(), true);
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
    // Every stack visible: a log axis where the interpreter's worker time dwarfs the engine's.
    double lowest = std::numeric_limits<double>::infinity();
    for (double v : stacked) lowest = v > 0 ? std::min(lowest, v) : lowest;
    const bool log = setBarValueScale(*this, yAxis, lowest, top, QStringLiteral("worker time [s]"));
    setSubtitle(groups.empty()
                    ? QStringLiteral("no result yet")
                    : QStringLiteral("summed over the workers, mean of repetitions; worker side, "
                                     "from clock_gettime around each phase; the engine's own "
                                     "encode/decode runs in parallel%1")
                          .arg(log ? QStringLiteral("; log scale: a part's height is not its "
                                                    "share")
                                   : QString()));
    // On screen only: a picture cannot be hovered (its report lists the seconds).
    setInteractionHint(log ? QStringLiteral("hover a part for its seconds") : QString());
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
        for (QCPBars* b : m_parts) {
            const auto at = b->data()->findBegin(double(i), false);
            if (at != b->data()->constEnd() && std::lround(at->key) == long(i)) total += at->value;
        }
        const std::size_t n = m_repetitions[i];
        const QString name = bars->name() == QLatin1String("off CPU in tasks")
                                 ? bars->name() + QString::fromLatin1(kOffCpuDetail)
                                 : bars->name();
        return tr("%1 — %2: %3\n%4 % of %5 worker time, mean of %6")
            .arg(m_labels[i], name, formatSeconds(seconds))
            .arg(total > 0 ? 100 * seconds / total : 0.0, 0, 'f', 0)
            .arg(formatSeconds(total), n == 1 ? tr("1 run") : tr("%1 runs").arg(n));
    }
    return {};
}

}  // namespace coreduel::ui
