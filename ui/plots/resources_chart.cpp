#include "ui/plots/resources_chart.h"

#include <cmath>
#include <limits>
#include <map>

#include "ui/plots/baseline_marks.h"
#include "ui/plots/run_groups.h"
#include "ui/plots/value_scale.h"

namespace coreduel::ui {

ResourcesChart::ResourcesChart(QWidget* parent)
    : Chart(QStringLiteral("Wall vs CPU time, and memory"), parent) {
    m_memoryRect = new QCPAxisRect(this);
    plotLayout()->addElement(plotLayout()->rowCount(), 0, m_memoryRect);
    // The legend sits in its own row under both axis rects.
    placeLegendBelow();
    xAxis->grid()->setVisible(false);
    yAxis->setLabel(QStringLiteral("time [s]"));
    m_memoryRect->axis(QCPAxis::atLeft)->setLabel(QStringLiteral("RSS [MiB]"));
    m_memoryRect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
    // One category axis under both rects (aligned by a margin group): the time bars stand
    // over the same labels, and the two rects keep the height the labels would take twice.
    xAxis->setTickLabels(false);
    m_categories = addCategoryAxis(m_memoryRect->axis(QCPAxis::atBottom));
    auto* aligned = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, aligned);
    m_memoryRect->setMarginGroup(QCP::msLeft | QCP::msRight, aligned);
    setSubtitle(QStringLiteral("no result yet"));
    rebuild();
}

void ResourcesChart::clearData() {
    m_runs.clear();
    rebuild();
    requestReplot();
}

void ResourcesChart::setRuns(const std::vector<RunResult>& runs) {
    m_runs = runs;
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void ResourcesChart::setBaselineRuns(const std::vector<RunResult>& runs, const QString& name) {
    m_baseline = runs;
    m_baselineName = name;
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void ResourcesChart::rebuild() {
    clearPlottables();
    const Theme& t = theme();
    const std::vector<RunGroup> groups = groupRuns(m_runs);
    const double n = std::max<double>(1, groups.size());
    QCPAxis* memX = m_memoryRect->axis(QCPAxis::atBottom);
    QCPAxis* memY = m_memoryRect->axis(QCPAxis::atLeft);
    m_categories->setCategories(categoriesOf(groups));
    for (QCPAxis* axis : {xAxis, memX}) {
        axis->setTickLength(0, 0);
        axis->setRange(-0.6, n - 0.4);
    }

    auto* group = new QCPBarsGroup(this);
    auto* wall = new QCPBars(xAxis, yAxis);
    wall->setName(QStringLiteral("wall time"));
    auto* cpu = new QCPBars(xAxis, yAxis);
    cpu->setName(QStringLiteral("CPU time (user + system)"));
    auto* engine = new QCPBars(memX, memY);
    engine->setName(QStringLiteral("engine peak RSS"));
    auto* workers = new QCPBars(memX, memY);
    workers->setName(QStringLiteral("workers' peak RSS"));
    workers->moveAbove(engine);
    const std::pair<QCPBars*, QColor> styles[] = {
        {wall, t.series(0)}, {cpu, t.series(3)}, {engine, t.series(5)}, {workers, t.series(2)}};
    for (const auto& [bars, colour] : styles) {
        bars->setBrush(colour);
        bars->setPen(QPen(t.background, 1));
    }
    m_bars = {{wall, false}, {cpu, false}, {engine, true}, {workers, true}};
    m_labels.clear();
    for (const RunGroup& g : groups)
        m_labels.push_back(QString(g.label).replace(QLatin1Char('\n'), QLatin1Char(' ')));
    wall->setBarsGroup(group);
    cpu->setBarsGroup(group);
    wall->setWidth(0.38);
    cpu->setWidth(0.38);
    engine->setWidth(0.6);
    workers->setWidth(0.6);
    double maxT = 0, maxM = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const RunGroup& g = groups[i];
        const double w = g.mean([](const RunResult& r) { return r.wallSeconds; });
        const double c =
            g.mean([](const RunResult& r) { return r.cpuUserSeconds + r.cpuSystemSeconds; });
        const double e = g.mean([](const RunResult& r) { return r.enginePeakRssKib / 1024.0; });
        const double k = g.mean([](const RunResult& r) { return r.workersPeakRssKib / 1024.0; });
        wall->addData(double(i), w);
        cpu->addData(double(i), c);
        engine->addData(double(i), e);
        workers->addData(double(i), k);
        maxT = std::max({maxT, w, c});
        maxM = std::max(maxM, e + k);
    }
    m_baselineMarks = 0;
    if (!m_baseline.empty()) {
        // Wall and CPU stand side by side (a bars group, 0.38 wide each): the outlines stand on
        // their places; memory is one stacked bar.
        const auto baseWall =
            baselineLevels(groups, m_baseline, [](const RunResult& r) { return r.wallSeconds; });
        const auto baseCpu = baselineLevels(groups, m_baseline, [](const RunResult& r) {
            return r.cpuUserSeconds + r.cpuSystemSeconds;
        });
        const auto baseMem = baselineLevels(groups, m_baseline, [](const RunResult& r) {
            return (r.enginePeakRssKib + r.workersPeakRssKib) / 1024.0;
        });
        const QString name = tr("baseline (%1)").arg(m_baselineName);
        QCPBars* a = addBaselineOutlines(xAxis, yAxis, baseWall, -0.19, 0.38, t.foreground,
                                         name + tr(": wall, CPU, total RSS"));
        QCPBars* b =
            addBaselineOutlines(xAxis, yAxis, baseCpu, 0.19, 0.38, t.foreground, QString());
        QCPBars* m = addBaselineOutlines(memX, memY, baseMem, 0, 0.6, t.foreground, QString());
        for (QCPBars* g : {b, m})
            if (g != nullptr) g->removeFromLegend();
        for (QCPBars* g : {a, b, m})
            if (g != nullptr) m_baselineMarks += g->data()->size();
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (std::isfinite(baseWall[i])) maxT = std::max(maxT, baseWall[i]);
            if (std::isfinite(baseCpu[i])) maxT = std::max(maxT, baseCpu[i]);
            if (std::isfinite(baseMem[i])) maxM = std::max(maxM, baseMem[i]);
        }
    }
    setBarValueScale(*this, yAxis, maxT, QStringLiteral("time [s]"));  // log where needed
    memY->setRange(0, maxM > 0 ? maxM * 1.1 : 1);
    setSubtitle(groups.empty() ? QStringLiteral("no result yet")
                               : QStringLiteral("top: CPU above wall = cores working in parallel; "
                                                "bottom: memory, threads share one process"));
}

QString ResourcesChart::valueAt(const QPoint& pos) const {
    for (const auto& [bars, memory] : m_bars) {
        QVariant details;
        // QCPBars' own hit test: the bar's rectangle (stacked and grouped), with its data point.
        if (bars->selectTest(QPointF(pos), false, &details) < 0) continue;
        const QCPDataSelection hit = details.value<QCPDataSelection>();
        if (hit.isEmpty()) continue;
        const auto point = bars->data()->at(hit.dataRange().begin());
        const auto i = static_cast<std::size_t>(point->key);
        if (i >= m_labels.size()) continue;
        const QString value = memory ? QStringLiteral("%1 MiB").arg(point->value, 0, 'f', 1)
                                     : formatSeconds(point->value);
        // The legend's short names; how each was measured, here.
        static const std::map<QString, QString> sources = {
            {QStringLiteral("wall time"), QStringLiteral("steady clock")},
            {QStringLiteral("CPU time (user + system)"), QStringLiteral("getrusage")},
            {QStringLiteral("engine peak RSS"), QStringLiteral("VmHWM; this app included")},
            {QStringLiteral("workers' peak RSS"), QStringLiteral("getrusage, summed")}};
        const auto source = sources.find(bars->name());
        return tr("%1 — %2: %3 (mean%4)")
            .arg(m_labels[i], bars->name(), value,
                 source == sources.end() ? QString() : QStringLiteral("; ") + source->second);
    }
    return {};
}

}  // namespace coreduel::ui
