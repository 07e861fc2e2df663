#include "ui/plots/core_heat_chart.h"

#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/model_names.h"
#include "ui/plots/interpreter_style.h"

namespace coreduel::ui {

CoreHeatChart::CoreHeatChart(QWidget* parent)
    : Chart(QStringLiteral("Per-core utilization"), parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    xAxis->setLabel(QStringLiteral("time since start [s]"));  // of the experiment
    yAxis->setLabel(QStringLiteral("CPU"));  // logical CPUs, as /proc/stat numbers them
    yAxis->grid()->setVisible(false);
    m_heat = new LaneRects(xAxis, yAxis);
    m_heat->setBarHeight(0.92);
    m_runs = new LaneRects(xAxis, yAxis);
    m_runs->setBarHeight(0.7);
    m_hostHeat = new LaneRects(xAxis, yAxis);
    m_hostHeat->setBarHeight(0.92);
    // Legend swatches for the run lane's model colours, below the chart.
    // Until a run is on the lane the legend lists the engine's models; then the models that
    // ran, the interpreter's included (all seven would squeeze the strip out of a small dock).
    for (Model m : everyModel()) {
        auto* swatch = new QCPBars(xAxis, yAxis);
        // The names the run lane writes on its runs ("py:threads"): seven swatches of full
        // names ("py:threads (CPython 3.11)") take three rows a short strip needs for its
        // lanes; the tooltip over a run names its interpreter.
        swatch->setName(QString::fromLatin1(toString(m)));
        m_modelSwatches.push_back(swatch);
    }
    updateSwatches();
    // As many columns as the width holds: one row of swatches leaves the lanes their height.
    placeLegendBelow(4);
    // Colour squares, not line samples: a narrow icon leaves room for a third column.
    legend->setIconSize(14, 12);
    // The lanes and their colour scale share one cell of the chart's column (row 0: title):
    // the legend below then has the whole width, not the lanes' (a scale column beside it
    // would leave the legend a column less and a short strip a row less of lanes).
    auto* lanes = new QCPLayoutGrid;
    QCPAxisRect* rect = axisRect();
    plotLayout()->take(rect);
    plotLayout()->addElement(1, 0, lanes);
    lanes->addElement(0, 0, rect);
    m_scale = new QCPColorScale(this);
    lanes->addElement(0, 1, m_scale);
    lanes->setColumnStretchFactor(1, 0.01);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setDataRange(QCPRange(0, 100));
    m_scale->axis()->setLabel(QStringLiteral("busy [%]"));
    m_scale->setBarWidth(14);
    auto* margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange&) {
                // Dragging or zooming means the user wants to look at a moment: stop following.
                if (QApplication::mouseButtons() != Qt::NoButton) m_follow = false;
            });
    connect(this, &QCustomPlot::mouseWheel, this, [this] { m_follow = false; });
    // The CPU labels follow the lane height (updateAxes thins them out), as laid out for this
    // replot: before the layout, the height is the last replot's, and a strip that grew back
    // (leaving presentation mode, a dock closed) kept the labels of its smallest size.
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        if (m_cores > 0) updateAxes();
    });
    setSubtitle(
        QStringLiteral("colour: each CPU's busy share, user + system, all processes "
                       "(/proc/stat); run lane: which model ran"));
    // On screen only: an exported picture cannot be zoomed or followed.
    setInteractionHint(QStringLiteral("live: wheel to zoom, double-click to follow"));
    rebuild();
}

void CoreHeatChart::clearData() {
    // The drawn cells and run marks too, not only the bookkeeping behind the tooltips.
    m_heat->clear();
    m_runs->clear();
    m_hostHeat->clear();
    m_hosts.clear();
    m_hostLanes = 0;
    m_samples.clear();
    m_firstTag = 0;
    m_runMarks.clear();
    m_runSpans.clear();
    updateSwatches();
    m_latest = 0;
    m_follow = true;
    rebuild();
    requestReplot();
}

void CoreHeatChart::setOrigin(std::int64_t originNs) {
    m_originNs = originNs;
}

void CoreHeatChart::setCoreCount(int cores) {
    if (cores == m_cores) return;
    m_cores = cores;
    updateAxes();
}

void CoreHeatChart::appendSample(const Sample& s, std::uint32_t tag) {
    for (std::size_t c = 0; c < s.cores.size(); ++c) {
        m_heat->add(static_cast<int>(c), LaneSegment{s.t0, s.t1, s.cores[c].busy(), tag});
    }
}

void CoreHeatChart::addSamples(const std::vector<UtilizationSample>& samples) {
    if (samples.empty()) return;
    for (const UtilizationSample& u : samples) {
        if (u.cores.empty()) continue;
        setCoreCount(static_cast<int>(u.cores.size()));
        Sample s;
        s.t1 = static_cast<double>(u.timeNs - m_originNs) / 1e9;
        s.t0 = s.t1 - static_cast<double>(u.windowNs) / 1e9;
        s.cores = u.cores;
        m_latest = std::max(m_latest, s.t1);
        m_resolutionNote = QStringLiteral("%1 ms windows, ±%2 percentage points (one USER_HZ tick)")
                               .arg(u.windowNs / 1e6, 0, 'f', 0)
                               .arg(u.systemResolutionPct, 0, 'f', 0);
        m_samples.push_back(std::move(s));
        appendSample(m_samples.back(),
                     m_firstTag + static_cast<std::uint32_t>(m_samples.size() - 1));
    }
    // Bounded memory: a long session keeps only the last m_historySeconds.
    const double horizon = m_latest - m_historySeconds;
    std::size_t dropped = 0;
    while (!m_samples.empty() && m_samples.front().t1 < horizon) {
        m_samples.pop_front();
        ++dropped;
    }
    if (dropped > 0) {
        m_firstTag += static_cast<std::uint32_t>(dropped);
        m_heat->trimBefore(horizon);
        m_runs->trimBefore(horizon);
    }
    if (m_follow) {
        xAxis->setRange(std::max(0.0, m_latest - m_visibleSeconds),
                        std::max(m_latest, std::min(m_visibleSeconds, 1.0)));
    }
    requestReplot();
}

void CoreHeatChart::addRunSpan(int runIndex, const RunConfig& config, std::int64_t startNs,
                               std::int64_t endNs) {
    const double t0 = static_cast<double>(startNs - m_originNs) / 1e9;
    const double t1 = static_cast<double>(endNs - m_originNs) / 1e9;
    auto it = m_runSpans.find(runIndex);
    if (it == m_runSpans.end()) {
        // The short name: the lane is narrow; the tooltip has the full label.
        QString label = QString::fromLatin1(toString(config.model));
        if (!isSequential(config.model)) label += QStringLiteral(" ×%1").arg(config.workers);
        QString full = modelRunLabel(config);
        if (!isSequential(config.model)) full += QStringLiteral(" ×%1").arg(config.workers);
        if (isPython(config.model)) full += QStringLiteral(": in the real interpreter");
        m_runMarks[runIndex] =
            RunMark{config.model, isPython(config.model) ? config.interpreter : 0U, label, full};
        updateSwatches();
        m_runSpans[runIndex] = {t0, t1};
        m_runs->add(0, LaneSegment{t0, t1, 0, static_cast<std::uint32_t>(runIndex)});
    } else {
        it->second.first = std::min(it->second.first, t0);
        it->second.second = std::max(it->second.second, t1);
        m_runs->extendLast(0, t1);
    }
    m_latest = std::max(m_latest, t1);
    requestReplot();
}

int CoreHeatChart::hostLane(const QString& host, int cores, int core) {
    auto it = std::find_if(m_hosts.begin(), m_hosts.end(),
                           [&](const HostLanes& h) { return h.host == host; });
    if (it == m_hosts.end()) {
        m_hosts.push_back(HostLanes{host, cores, m_hostLanes});
        m_hostLanes += cores;
        it = std::prev(m_hosts.end());
    }
    return it->first + std::min(core, it->cores - 1);
}

void CoreHeatChart::addHostSamples(const MpiRunInfo& mpi) {
    if (mpi.hostfile.empty()) return;  // this machine: already the lanes below
    for (const HostUtilization& h : mpi.hosts) {
        if (h.cores == 0) continue;
        const QString host = QString::fromStdString(h.host);
        for (std::size_t i = 0; i < h.timeNs.size() && i < h.busy.size(); ++i) {
            const double t1 = static_cast<double>(h.timeNs[i] - m_originNs) / 1e9;
            const double t0 = t1 - static_cast<double>(h.windowNs[i]) / 1e9;
            for (std::size_t c = 0; c < h.busy[i].size(); ++c) {
                const int lane = hostLane(host, static_cast<int>(h.cores), static_cast<int>(c));
                m_hostHeat->add(lane, LaneSegment{t0, t1, h.busy[i][c], h.rank});
            }
            m_latest = std::max(m_latest, t1);
        }
    }
    updateAxes();
    requestReplot();
}

void CoreHeatChart::updateSwatches() {
    for (std::size_t i = 0; i < m_modelSwatches.size(); ++i) {
        const Model m = everyModel()[i];
        const bool ran = std::any_of(m_runMarks.begin(), m_runMarks.end(),
                                     [m](const auto& mark) { return mark.second.model == m; });
        const bool shown = m_runMarks.empty() ? !isPython(m) : ran;
        const bool listed = legend->itemWithPlottable(m_modelSwatches[i]) != nullptr;
        if (shown && !listed) m_modelSwatches[i]->addToLegend();
        if (!shown && listed) m_modelSwatches[i]->removeFromLegend();
    }
    // In display order whatever order the runs came in: re-listed from the first.
    for (std::size_t i = 0; i < m_modelSwatches.size(); ++i) {
        if (legend->itemWithPlottable(m_modelSwatches[i]) == nullptr) continue;
        m_modelSwatches[i]->removeFromLegend();
        m_modelSwatches[i]->addToLegend();
    }
    // Removed entries leave empty rows behind in the legend's grid: taken out, and the rest
    // re-flowed, so the strip keeps its height.
    legend->simplify();
    legend->setFillOrder(legend->fillOrder(), true);
}

void CoreHeatChart::updateAxes() {
    m_runs->setLaneOffset(m_cores);
    m_hostHeat->setLaneOffset(m_cores + 1);
    const int lanes = m_cores + 1 + m_hostLanes;
    // Every CPU labelled where the lanes are tall enough, else every 2nd, 4th, … (the tooltip
    // names the CPU under the pointer).
    const int laneHeight = axisRect()->height() > 0 ? axisRect()->height() / lanes : 20;
    const int lineHeight = QFontMetrics(yAxis->tickLabelFont()).height();
    int step = 1;
    while (step * laneHeight < lineHeight + 1 && step < std::max(m_cores, m_hostLanes)) step *= 2;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < m_cores; ++c) {
        if (c % step == 0 && m_cores - c >= step)
            ticker->addTick(c, QStringLiteral("cpu%1").arg(c));
    }
    ticker->addTick(m_cores, QStringLiteral("run"));
    for (const HostLanes& h : m_hosts) {
        // "beta cpu3": a long host name is cut, the tooltip has it whole.
        const QString name = h.host.size() > 12 ? h.host.left(11) + QChar(0x2026) : h.host;
        for (int c = 0; c < h.cores; ++c)
            if (c % step == 0 && h.cores - c >= std::min(step, h.cores))
                ticker->addTick(m_cores + 1 + h.first + c,
                                QStringLiteral("%1 cpu%2").arg(name).arg(c));
    }
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.5, lanes - 0.5);
}

void CoreHeatChart::rebuild() {
    const Theme& t = theme();
    m_heat->setColorFunction([t](const LaneSegment& s) { return t.heat(s.value); });
    m_hostHeat->setColorFunction([t](const LaneSegment& s) { return t.heat(s.value); });
    m_runs->setColorFunction([this](const LaneSegment& s) {
        auto it = m_runMarks.find(static_cast<int>(s.tag));
        // Each interpreter of the axis in its own shade of the model's colour, as on every
        // chart (interpreter_style.h): "py:threads 3.11" and "… 3.13t" are not one run.
        return it == m_runMarks.end()
                   ? theme().subtle
                   : interpreterStyle(theme().modelColor(it->second.model), it->second.interpreter)
                         .color;
    });
    m_runs->setLabelFunction([this](const LaneSegment& s) {
        auto it = m_runMarks.find(static_cast<int>(s.tag));
        return it == m_runMarks.end() ? QString() : it->second.label;
    });
    m_runs->setLabelColor(Qt::white);
    for (std::size_t i = 0; i < m_modelSwatches.size(); ++i) {
        m_modelSwatches[i]->setPen(Qt::NoPen);
        m_modelSwatches[i]->setBrush(t.modelColor(everyModel()[i]));
    }
    QCPColorGradient g;
    g.setColorStopAt(0, t.heat(0));
    g.setColorStopAt(1, t.heat(1));
    m_scale->setGradient(g);
    m_scale->axis()->setLabelColor(t.foreground);
    m_scale->axis()->setTickLabelColor(t.foreground);
    m_scale->axis()->setBasePen(QPen(t.foreground));
    m_scale->axis()->setTickPen(QPen(t.foreground));
    m_scale->axis()->setSubTickPen(QPen(t.foreground));
    m_scale->axis()->setLabelFont(chartFont(12));
    m_scale->axis()->setTickLabelFont(chartFont(11));
    if (m_cores == 0) {
        yAxis->setRange(-0.5, 1.5);
        xAxis->setRange(0, m_visibleSeconds);
    } else {
        updateAxes();
    }
}

QCPRange CoreHeatChart::keptSpan() const {
    if (m_samples.empty()) return xAxis->range();
    return QCPRange(m_samples.front().t0, std::max(m_latest, m_samples.front().t0 + 1e-3));
}

void CoreHeatChart::printingChanged(bool printing) {
    if (printing && m_follow && !m_samples.empty()) {
        m_rangeBeforePrint = xAxis->range();
        xAxis->setRange(keptSpan());
    } else if (!printing && m_rangeBeforePrint) {
        xAxis->setRange(*m_rangeBeforePrint);
        m_rangeBeforePrint.reset();
    }
}

void CoreHeatChart::mouseDoubleClickEvent(QMouseEvent* event) {
    m_follow = true;
    xAxis->setRange(std::max(0.0, m_latest - m_visibleSeconds),
                    std::max(m_latest, std::min(m_visibleSeconds, 1.0)));
    requestReplot();
    Chart::mouseDoubleClickEvent(event);
}

void CoreHeatChart::mouseMoveEvent(QMouseEvent* event) {
    Chart::mouseMoveEvent(event);
    const double key = xAxis->pixelToCoord(event->position().x());
    const int lane = static_cast<int>(std::lround(yAxis->pixelToCoord(event->position().y())));
    QString text;
    if (lane >= 0 && lane < m_cores) {
        if (const LaneSegment* s = m_heat->segmentAt(key, lane)) {
            const std::size_t i = s->tag - m_firstTag;
            if (i < m_samples.size() &&
                static_cast<std::size_t>(lane) < m_samples[i].cores.size()) {
                const CoreUsage& u = m_samples[i].cores[static_cast<std::size_t>(lane)];
                text = QStringLiteral(
                           "cpu%1, %2–%3 s\nbusy %4 % (user %5 %, system %6 %) — /proc/stat\n"
                           "iowait %7 %, steal %8 %\nour workers %9 % — schedstat\n%10")
                           .arg(lane)
                           .arg(m_samples[i].t0, 0, 'f', 2)
                           .arg(m_samples[i].t1, 0, 'f', 2)
                           .arg(100 * u.busy(), 0, 'f', 0)
                           .arg(100 * u.user, 0, 'f', 0)
                           .arg(100 * u.system, 0, 'f', 0)
                           .arg(100 * u.iowait, 0, 'f', 0)
                           .arg(100 * u.steal, 0, 'f', 0)
                           .arg(100 * u.ours, 0, 'f', 0)
                           .arg(m_resolutionNote);
            }
        }
    } else if (lane == m_cores) {
        if (const LaneSegment* s = m_runs->segmentAt(key, 0)) {
            auto span = m_runSpans.find(static_cast<int>(s->tag));
            auto mark = m_runMarks.find(static_cast<int>(s->tag));
            if (span != m_runSpans.end() && mark != m_runMarks.end()) {
                text = QStringLiteral("run %1: %2\n%3 of tasks (first start to last end)")
                           .arg(s->tag + 1)
                           .arg(mark->second.fullLabel)
                           .arg(formatSeconds(span->second.second - span->second.first));
            }
        }
    } else if (lane > m_cores && lane <= m_cores + m_hostLanes) {
        const int hostLane = lane - m_cores - 1;
        for (const HostLanes& h : m_hosts) {
            if (hostLane < h.first || hostLane >= h.first + h.cores) continue;
            if (const LaneSegment* s = m_hostHeat->segmentAt(key, hostLane))
                text = QStringLiteral(
                           "host %1, cpu%2, %3–%4 s\nbusy %5 % (user + system) — "
                           "/proc/stat there, sampled by MPI rank %6\nplaced on "
                           "this timeline by the rank's clock offset")
                           .arg(h.host)
                           .arg(hostLane - h.first)
                           .arg(s->start, 0, 'f', 2)
                           .arg(s->end, 0, 'f', 2)
                           .arg(100 * s->value, 0, 'f', 0)
                           .arg(s->tag);
        }
    }
    if (text.isEmpty()) {
        QToolTip::hideText();
    } else {
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    }
}

}  // namespace coreduel::ui
