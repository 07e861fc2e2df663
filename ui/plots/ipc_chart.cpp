#include "ui/plots/ipc_chart.h"

#include <algorithm>
#include <map>

namespace coreduel::ui {
namespace {
void makeLog(QCPAxis* axis) {
    axis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<QCPAxisTickerLog>::create();
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

/// A curve per mechanism and placement, named short for the legend: "pipe, 1 CPU" (the peer on
/// the engine's CPU), "pipe, 2 CPUs" (across), or the bare name for an unpinned row (mpi, files
/// from before placements). The subtitle says what the two are.
std::string seriesName(const IpcMeasurement& m) {
    if (m.placement == IpcPlacement::Any) return m.mechanism;
    return m.mechanism + (m.placement == IpcPlacement::Same ? ", 1 CPU" : ", 2 CPUs");
}

struct Series {
    std::string name;
    std::string mechanism;
    int hue = 0;           ///< colour and marker: one per mechanism, both placements alike
    bool sameCpu = false;  ///< drawn dotted
};

/// The curves in first-measured order.
std::vector<Series> seriesOf(const std::vector<IpcMeasurement>& points,
                             const std::vector<IpcMeasurement>& baseline) {
    std::map<std::string, int> hues;
    std::vector<Series> out;
    for (const auto* list : {&points, &baseline})
        for (const IpcMeasurement& m : *list) {
            const int hue = hues.emplace(m.mechanism, int(hues.size())).first->second;
            const std::string name = seriesName(m);
            if (std::none_of(out.begin(), out.end(),
                             [&](const Series& s) { return s.name == name; }))
                out.push_back({name, m.mechanism, hue, m.placement == IpcPlacement::Same});
        }
    return out;
}
/// One legend entry per mechanism (`hue`): its solid, across-CPUs curve where it has one. An
/// entry per curve made 13 at 1366×768, a third of the dock; the subtitle says what dotted is.
void keepOneLegendEntry(std::map<int, QCPGraph*>& named, QCPGraph* curve, int hue, bool sameCpu) {
    if (auto it = named.find(hue); it == named.end()) {
        named.emplace(hue, curve);
    } else if (!sameCpu && it->second->pen().style() == Qt::DotLine) {
        it->second->removeFromLegend();
        it->second = curve;
    } else {
        curve->removeFromLegend();
    }
}

}  // namespace

IpcChart::IpcChart(QWidget* parent)
    : Chart(QStringLiteral("IPC lab: cost of moving a message"), parent) {
    m_throughputRect = new QCPAxisRect(this);
    // The two plots in a grid of their own: one above the other in a tall dock, side by side
    // on a wide picture (a slide), where stacked they would be too short for their titles.
    auto* plots = new QCPLayoutGrid;
    QCPAxisRect* latency = axisRect();
    plotLayout()->take(latency);
    plotLayout()->addElement(1, 0, plots);
    plots->addElement(0, 0, latency);
    plots->addElement(1, 0, m_throughputRect);
    plots->setColumnSpacing(12);
    placeLegendBelow();
    auto* margins = new QCPMarginGroup(this);
    connect(this, &QCustomPlot::beforeReplot, this, [this, plots, latency, margins] {
        const QSize size = viewport().size();
        const bool wide = size.width() >= 600 && size.width() > 1.5 * size.height();
        const bool sideBySide = plots->columnCount() > 1 && plots->hasElement(0, 1);
        if (wide == sideBySide) return;
        plots->take(m_throughputRect);
        plots->simplify();
        plots->addElement(wide ? 0 : 1, wide ? 1 : 0, m_throughputRect);
        // Aligned where they meet the eye: the plot areas' edges along the shared side.
        const QCP::MarginSides sides =
            wide ? QCP::msTop | QCP::msBottom : QCP::msLeft | QCP::msRight;
        for (QCPAxisRect* r : {latency, m_throughputRect}) {
            r->setMarginGroup(QCP::msAll, nullptr);
            r->setMarginGroup(sides, margins);
        }
    });
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_throughputRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    for (QCPAxisRect* r : {axisRect(), m_throughputRect}) {
        makeLog(r->axis(QCPAxis::atBottom));
        makeLog(r->axis(QCPAxis::atLeft));
        r->axis(QCPAxis::atBottom)->setLabel(QStringLiteral("message size each way [bytes]"));
    }
    // Short enough for a short plot; what the point and the bar are is in the subtitle.
    yAxis->setLabel(QStringLiteral("round trip [µs]"));
    m_throughputRect->axis(QCPAxis::atLeft)->setLabel(QStringLiteral("throughput [MiB/s]"));
    rebuild();
}

void IpcChart::clearData() {
    m_points.clear();
    m_partialNote.clear();
    rebuild();
    requestReplot();
}

void IpcChart::setPartial(int done, int planned) {
    m_partialNote = QStringLiteral("partial: stopped after %1 of %2 points").arg(done).arg(planned);
    rebuild();
    requestReplot();
}

void IpcChart::addMeasurement(const IpcMeasurement& m) {
    m_points.push_back(m);
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void IpcChart::setBaseline(const std::vector<IpcMeasurement>& points, const QString& name) {
    m_baseline = points;
    m_baselineName = name;
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void IpcChart::drawBaseline(const std::string& name, const QColor& c, QCPAxis* tx, QCPAxis* ty,
                            Extent& e) {
    QColor faded = c;
    faded.setAlphaF(0.55);
    QPen pen(faded, 2, Qt::DashLine);
    auto* baseLat = new QCPGraph(xAxis, yAxis);
    auto* baseThr = new QCPGraph(tx, ty);
    baseLat->setName(tr("baseline (%1): %2").arg(m_baselineName, QString::fromStdString(name)));
    baseThr->removeFromLegend();
    for (QCPGraph* g : {baseLat, baseThr}) g->setPen(pen);
    for (const IpcMeasurement& m : m_baseline) {
        if (seriesName(m) != name) continue;
        const double x = static_cast<double>(std::max<std::size_t>(1, m.bytes));
        baseLat->addData(x, m.p50Us);
        baseThr->addData(x, std::max(1e-6, m.throughputMiBs));
        e.minX = std::min(e.minX, x);
        e.maxX = std::max(e.maxX, x);
        e.minL = std::min(e.minL, m.p50Us);
        e.maxL = std::max(e.maxL, m.p50Us);
        e.minT = std::min(e.minT, m.throughputMiBs);
        e.maxT = std::max(e.maxT, m.throughputMiBs);
    }
}

QString IpcChart::subtitleText(int twoModed) const {
    return QStringLiteral(
               "ping-pong with an echo process (threads for the in-process "
               "baselines); steady clock, %1 points; round trip: median of rounds, bar: "
               "their range; dotted: the peer on the engine's CPU, solid: on another CPU%2%3")
        .arg(m_points.size())
        .arg(twoModed == 0 ? QString()
                           : tr("; %1 with two modes (hollow rings: %2 / %3, a reading "
                                "of the latency)")
                                 .arg(twoModed)
                                 .arg(QString::fromUtf8(kFastModeReading),
                                      QString::fromUtf8(kSlowModeReading)))
        .arg(m_partialNote.isEmpty() ? QString() : QStringLiteral(" — ") + m_partialNote);
}

void IpcChart::rebuild() {
    clearPlottables();
    const Theme& t = theme();
    QCPAxis* tx = m_throughputRect->axis(QCPAxis::atBottom);
    QCPAxis* ty = m_throughputRect->axis(QCPAxis::atLeft);
    Extent extent{8, 4 << 20, 1e9, 0, 1e12, 0};
    auto& [minX, maxX, minL, maxL, minT, maxT] = extent;
    int twoModed = 0;
    // Mechanisms in first-measured order, each with a colour and a marker shape of its own
    // (shapes keep curves apart in grey-scale print).
    const QCPScatterStyle::ScatterShape shapes[] = {
        QCPScatterStyle::ssDisc,    QCPScatterStyle::ssSquare, QCPScatterStyle::ssTriangle,
        QCPScatterStyle::ssDiamond, QCPScatterStyle::ssCross,  QCPScatterStyle::ssStar};
    std::map<int, QCPGraph*> named;  // the curve each mechanism's legend entry shows
    for (const auto& [name, mechanism, hue, sameCpu] : seriesOf(m_points, m_baseline)) {
        const QColor c = t.series(hue);
        const QCPScatterStyle scatter(shapes[hue % 6], c, c, 7);
        auto* lat = new QCPGraph(xAxis, yAxis);
        auto* thr = new QCPGraph(tx, ty);
        auto* spread = new QCPErrorBars(xAxis, yAxis);
        // A two-moded row's modes: hollow markers, no line (the median may fall in either).
        auto* modes = new QCPGraph(xAxis, yAxis);
        lat->setName(QString::fromStdString(mechanism));
        keepOneLegendEntry(named, lat, hue, sameCpu);
        thr->removeFromLegend();
        spread->removeFromLegend();
        modes->removeFromLegend();
        spread->setDataPlottable(lat);
        modes->setLineStyle(QCPGraph::lsNone);
        modes->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.5), Qt::NoBrush, 11));
        for (QCPGraph* g : {lat, thr}) {
            g->setPen(QPen(c, 2, sameCpu ? Qt::DotLine : Qt::SolidLine));
            g->setScatterStyle(scatter);
        }
        spread->setPen(QPen(c, 1));
        // The baseline: the same colour, faded and dashed, without markers or p99 bars.
        bool hasBase = false;
        for (const IpcMeasurement& m : m_baseline) hasBase = hasBase || seriesName(m) == name;
        if (hasBase) drawBaseline(name, c, tx, ty, extent);
        for (const IpcMeasurement& m : m_points) {
            if (seriesName(m) != name) continue;
            const double x = static_cast<double>(std::max<std::size_t>(1, m.bytes));
            lat->addData(x, m.p50Us);
            // The range of the round medians (none for a point measured without rounds).
            const bool rounds = m.spread.rounds > 0;
            spread->addData(rounds ? std::max(0.0, m.p50Us - m.spread.minUs) : 0,
                            rounds ? std::max(0.0, m.spread.maxUs - m.p50Us) : 0);
            if (m.modes.twoModes) {
                modes->addData(x, m.modes.fastUs);
                modes->addData(x, m.modes.slowUs);
                maxL = std::max(maxL, m.modes.slowUs);
                ++twoModed;
            }
            thr->addData(x, std::max(1e-6, m.throughputMiBs));
            minX = std::min(minX, x);
            maxX = std::max(maxX, x);
            minL = std::min({minL, m.p50Us, rounds ? m.spread.minUs : m.p50Us,
                             m.modes.twoModes ? m.modes.fastUs : m.p50Us});
            maxL = std::max(maxL, std::max(m.p50Us, m.spread.maxUs));
            minT = std::min(minT, m.throughputMiBs);
            maxT = std::max(maxT, m.throughputMiBs);
        }
    }
    for (QCPAxis* a : {xAxis, tx}) a->setRange(minX / 1.5, maxX * 1.5);
    yAxis->setRange(maxL > 0 ? std::max(1e-3, minL / 2) : 0.1, maxL > 0 ? maxL * 2 : 1000);
    ty->setRange(maxT > 0 ? std::max(1e-3, minT / 2) : 1, maxT > 0 ? maxT * 2 : 10000);
    // Emptied (a new session without lab points): not the last lab's "96 points" any more.
    setSubtitle(m_points.empty() ? QStringLiteral("not measured yet — press \"Run IPC lab\"")
                                 : subtitleText(twoModed));
}

}  // namespace coreduel::ui
