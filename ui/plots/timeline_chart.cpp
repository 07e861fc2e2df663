#include "ui/plots/timeline_chart.h"

#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/model_names.h"
#include "ui/plots/lane_ticker.h"
#include "ui/plots/timeline_states.h"

namespace coreduel::ui {
using namespace timeline_states;  // Seg, its colours and names

TimelineChart::TimelineChart(QWidget* parent) : Chart(QStringLiteral("Worker timeline"), parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    xAxis->setLabel(
        QStringLiteral("time since first task [ms]"));  // CLOCK_MONOTONIC, every process
    yAxis->setLabel(QStringLiteral("worker"));
    yAxis->grid()->setVisible(false);
    yAxis->setRangeReversed(true);  // worker 0 on top, as in a Gantt chart
    m_bars = new LaneRects(xAxis, yAxis);
    m_bars->setBarHeight(0.75);
    m_out.bars = m_bars;
    for (Seg s : kLegend) {
        auto* item = new QCPBars(xAxis, yAxis);  // legend swatch only, never has data
        item->setName(segName(s, GilKnown::None));
        m_legendItems.push_back(item);
    }
    m_labelsChanged.setSingleShot(true);
    m_labelsChanged.setInterval(500);
    connect(&m_labelsChanged, &QTimer::timeout, this, &TimelineChart::runsChanged);
    m_drops = new QCPGraph(xAxis, yAxis);
    m_drops->setName(QStringLiteral("forced GIL drop (FORCE_SWITCHING)"));
    m_drops->setLineStyle(QCPGraph::lsNone);
    m_drops->removeFromLegend();
    // Damage in a session file: the stretch whose events were lost, hatched across the lanes.
    m_lost = new QCPItemRect(this);
    m_lost->setPen(Qt::NoPen);
    m_lost->setBrush(QBrush(QColor(200, 40, 40, 90), Qt::BDiagPattern));
    m_lost->setVisible(false);
    m_lostLabel = new QCPItemText(this);
    m_lostLabel->setText(tr("events lost to damage in the file"));
    m_lostLabel->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_lostLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_lostLabel->setVisible(false);
    legend->setVisible(true);
    placeLegendBelow();
    // Colour squares and a marker, not line samples: a narrow icon leaves the names room.
    legend->setIconSize(14, 12);
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange&) {
                if (QApplication::mouseButtons() != Qt::NoButton) m_userZoomed = true;
            });
    connect(this, &QCustomPlot::mouseWheel, this, [this] { m_userZoomed = true; });
    setSubtitle(
        QStringLiteral("no run yet — gaps are idle time; drag and wheel to zoom, "
                       "double-click to fit"));
    rebuild();
}

void TimelineChart::clearData() {
    m_runs.clear();
    m_stored = 0;
    m_shown = -1;
    m_followNewest = true;
    m_userZoomed = false;
    rebuildBars();
    setSubtitle(QStringLiteral("no run yet"));
    emit runsChanged();
    requestReplot();
}

bool TimelineChart::Run::gilInferred() const {
    return gilWaitInferred || (config.model == Model::PyThreads && sawGilWait);
}

QString TimelineChart::runLabel(int index, const Run& run) const {
    // py: runs say so first thing: a real interpreter's threads, not the engine's.
    QString label =
        QStringLiteral("run %1: %2").arg(index + 1).arg(modelRunLabel(run.config, run.interpreter));
    if (!isSequential(run.config.model)) {
        label += QStringLiteral(" ×%1, chunk %2")
                     .arg(run.config.workers)
                     .arg(run.config.chunksize == 0 ? QStringLiteral("auto")
                                                    : QString::number(run.config.chunksize));
    }
    if (run.config.warmup) label += QStringLiteral(" (warm-up)");
    label += QStringLiteral(" — %1 tasks").arg(run.events.size());
    if (run.gil && run.gil->truncated())
        label += QStringLiteral(" — GIL intervals truncated after %1 per thread")
                     .arg(run.gil->capPerThread);
    else if (run.gil)
        label += QStringLiteral(" — exact GIL intervals");
    else if (run.gilInferred())
        label += QStringLiteral(" — GIL waits inferred");
    return label;
}

std::vector<std::pair<int, QString>> TimelineChart::runLabels() const {
    std::vector<std::pair<int, QString>> out;
    for (const auto& [index, run] : m_runs) out.emplace_back(index, runLabel(index, run));
    return out;
}

void TimelineChart::beginRun(int runIndex, const RunConfig& config) {
    m_runs[runIndex].config = config;
    if (m_followNewest) {
        m_shown = runIndex;
        m_userZoomed = false;
        if (!m_batching) rebuildBars();
    }
    emit runsChanged();
}

TimelineChart::Run* TimelineChart::receiving(int runIndex, const std::vector<TaskEvent>& events) {
    auto it = m_runs.find(runIndex);
    if (it == m_runs.end() || events.empty()) return nullptr;
    Run& run = it->second;
    if (run.events.empty()) run.originNs = originOf(events.front());
    return &run;
}

void TimelineChart::addEvents(int runIndex, std::vector<TaskEvent> events) {
    Run* run = receiving(runIndex, events);
    if (run == nullptr) return;
    const std::size_t from = run->events.size();
    // A run's first batch is taken whole (a reopened run arrives as one): no second copy.
    if (from == 0)
        run->events = std::move(events);
    else
        run->events.insert(run->events.end(), events.begin(), events.end());
    eventsAdded(runIndex, *run, from);
}

void TimelineChart::endBatch(std::shared_ptr<PreparedRun> prepared) {
    m_batching = false;
    auto it = m_runs.find(m_shown);
    if (it == m_runs.end()) {
        rebuildBars();
        requestReplot();
        return;
    }
    const Run& run = it->second;
    rebuildBars(prepared && prepared->events == run.events.size() ? std::move(prepared) : nullptr);
    if (!m_userZoomed) fitView();
    setSubtitle(runLabel(m_shown, run));
    requestReplot();
}

void TimelineChart::eventsAdded(int runIndex, Run& run, std::size_t from) {
    // Only the interpreter's executor fills GIL waits on py: events, and only when it infers
    // them: known here before the run's result says so.
    const bool inferredBefore = run.gilInferred();
    for (std::size_t i = from; i < run.events.size(); ++i)
        run.sawGilWait = run.sawGilWait || run.events[i].gilWaitNs > 0;
    m_stored += run.events.size() - from;
    if (m_batching) {
        if (!m_labelsChanged.isActive()) m_labelsChanged.start();
        enforceBudget();
        return;  // endBatch builds the lanes
    }
    if (runIndex == m_shown && run.gilInferred() != inferredBefore) {
        rebuildBars();  // the legend gains the inferred wait
        from = run.events.size();
    }
    if (!m_labelsChanged.isActive()) m_labelsChanged.start();
    if (runIndex == m_shown) {
        appendBars(run, from, m_out);
        if (!m_userZoomed) fitView();
        setSubtitle(runLabel(runIndex, run));
        requestReplot();
    }
    enforceBudget();
}

void TimelineChart::setGilTimeline(int runIndex, std::shared_ptr<const GilTimeline> timeline) {
    auto it = m_runs.find(runIndex);
    if (it == m_runs.end() || !timeline || !timeline->recorded()) return;
    it->second.gil = std::move(timeline);
    if (!m_labelsChanged.isActive()) m_labelsChanged.start();  // the label names the intervals
    if (runIndex == m_shown && !m_batching) {
        rebuildBars();
        if (m_userZoomed) fitView();
        requestReplot();
    }
}

void TimelineChart::setInterpreter(int runIndex, const std::string& interpreter,
                                   bool gilWaitInferred) {
    auto it = m_runs.find(runIndex);
    if (it == m_runs.end() || !isPython(it->second.config.model)) return;
    it->second.interpreter = interpreter;
    it->second.gilWaitInferred = gilWaitInferred;
    if (!m_labelsChanged.isActive()) m_labelsChanged.start();
    if (runIndex == m_shown && !m_batching) {
        const bool zoomed = m_userZoomed;
        const QCPRange range = xAxis->range();
        rebuildBars();
        if (zoomed) xAxis->setRange(range);
        requestReplot();
    }
}

void TimelineChart::enforceBudget() {
    while (m_stored > m_budget && m_runs.size() > 1) {
        auto oldest = m_runs.begin();
        if (oldest->first == m_shown) break;
        m_stored -= oldest->second.events.size();
        m_runs.erase(oldest);
        emit runsChanged();
    }
}

void TimelineChart::showRun(int runIndex) {
    m_followNewest = runIndex < 0;
    m_shown = runIndex < 0 ? (m_runs.empty() ? -1 : m_runs.rbegin()->first) : runIndex;
    m_userZoomed = false;
    rebuildBars();
    requestReplot();
}

TimelineChart::View TimelineChart::view() const {
    return View{m_shown, m_followNewest, m_userZoomed, xAxis->range(), yAxis->range()};
}

void TimelineChart::setView(const View& v) {
    // Rebuilding a run's lanes costs up to a second for millions of events: only when needed.
    if (v.followNewest != m_followNewest || v.run != m_shown) showRun(v.followNewest ? -1 : v.run);
    // The ranges as they were, also when not zoomed: the fit of the same events is the same.
    xAxis->setRange(v.x);
    yAxis->setRange(v.y);
    m_userZoomed = v.userZoomed;
    requestReplot();
}

void TimelineChart::rebuildBars(std::shared_ptr<PreparedRun> prepared) {
    m_bars->clear();
    m_out.laneLastEnd.clear();
    m_out.gilCoveredUntil.clear();
    m_drops->data()->clear();
    auto it = m_runs.find(m_shown);
    if (it == m_runs.end()) {
        m_bars->setLaneCount(0);
        yAxis->setRange(-0.5, 1.5);
        return;
    }
    const Run& run = it->second;
    const int lanes = static_cast<int>(std::max(1u, run.config.workers));
    m_bars->setLaneCount(lanes);
    const bool gil = run.config.model == Model::GilThreads;
    const GilKnown known = gilKnown(run.config.model, run.gilInferred());
    for (std::size_t i = 0; i < m_legendItems.size(); ++i)
        m_legendItems[i]->setName(segName(kLegend[i], known));
    // Swatches that cannot occur in this run stay out of the legend.
    m_legendItems[2]->setVisible(known != GilKnown::None);
    // Inferred waits are all of a task's time off CPU: nothing is left to draw as blocked.
    m_legendItems[1]->setVisible(known != GilKnown::Inferred);
    // Chunks travel to worker processes and MPI ranks (sentNs): threads are handed nothing.
    m_legendItems[3]->setVisible(run.config.model == Model::Processes ||
                                 run.config.model == Model::Mpi);
    m_legendItems[4]->setVisible(gil && run.gil != nullptr);
    for (std::size_t i = 0; i < m_legendItems.size(); ++i) {
        if (m_legendItems[i]->visible())
            m_legendItems[i]->addToLegend();
        else
            m_legendItems[i]->removeFromLegend();
    }
    if (run.gil)
        m_drops->addToLegend();
    else
        m_drops->removeFromLegend();
    if (prepared) {
        m_bars->adopt(std::move(prepared->lanes));
        m_bars->setLaneCount(std::max(lanes, m_bars->laneCount()));
        m_drops->setData(prepared->dropKeys, prepared->dropValues);
        m_out.laneLastEnd = std::move(prepared->laneLastEnd);
        m_out.gilCoveredUntil = std::move(prepared->gilCoveredUntil);
    } else {
        if (run.gil) {
            appendExactGilBars(run, m_out);
            m_drops->setData(m_out.dropKeys, m_out.dropValues);
        }
        appendBars(run, 0, m_out);
    }
    // Every lane named where the lanes are tall enough, else every 2nd, 4th, … (LaneTicker).
    auto ticker = QSharedPointer<LaneTicker>::create(yAxis);
    for (int w = 0; w < lanes; ++w) {
        // An mpi worker is a rank of the job: worker w is rank w + 1 (rank 0 coordinates).
        const QString name = run.config.model == Model::Mpi ? QStringLiteral("rank %1").arg(w + 1)
                             : usesProcesses(run.config.model) ? QStringLiteral("process %1").arg(w)
                                                               : QStringLiteral("thread %1").arg(w);
        ticker->addTick(w, name);
    }
    if (isSequential(run.config.model)) {
        ticker->clear();
        ticker->addTick(0, QStringLiteral("main"));
    }
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.5, lanes - 0.5);
    drawLostStretch(run);
    setSubtitle(runLabel(m_shown, run));
    fitView();
}

void TimelineChart::setLostStretch(int runIndex, std::int64_t fromNs, std::int64_t toNs) {
    auto it = m_runs.find(runIndex);
    if (it == m_runs.end()) return;
    it->second.eventsLost = true;
    it->second.lostFromNs = fromNs;
    it->second.lostToNs = toNs;
    if (runIndex == m_shown && !m_batching) {
        drawLostStretch(it->second);
        requestReplot();
    }
}

bool TimelineChart::showsLostStretch() const {
    return m_lost->visible();
}

void TimelineChart::drawLostStretch(const Run& run) {
    const bool shown = run.eventsLost && !run.events.empty();
    m_lost->setVisible(shown);
    m_lostLabel->setVisible(shown);
    if (!shown) return;
    // Where a side is unknown the stretch runs to the first or last event read.
    std::int64_t first = run.events.front().startNs, last = run.events.front().endNs;
    for (const TaskEvent& e : run.events) {
        first = std::min(first, e.startNs);
        last = std::max(last, e.endNs);
    }
    const std::int64_t from = run.lostFromNs > 0 ? run.lostFromNs : first;
    const std::int64_t to = run.lostToNs > 0 ? run.lostToNs : last;
    const double a = static_cast<double>(from - run.originNs) / 1e6;
    const double b = static_cast<double>(std::max(to, from) - run.originNs) / 1e6;
    m_lost->topLeft->setCoords(a, yAxis->range().upper);
    m_lost->bottomRight->setCoords(std::max(b, a + 1e-3), yAxis->range().lower);
    m_lostLabel->position->setCoords((a + b) / 2, 0.02);
}

void TimelineChart::fitView() {
    bool found = false;
    const QCPRange r = m_bars->getKeyRange(found);
    if (found) {
        const double pad = std::max(1e-3, r.size() * 0.01);
        xAxis->setRange(std::min(0.0, r.lower) - pad, r.upper + pad);
    }
}

void TimelineChart::rebuild() {
    const Theme& t = theme();
    m_bars->setColorFunction(
        [t](const LaneSegment& s) { return segColor(t, static_cast<int>(s.value)); }, true);
    for (std::size_t i = 0; i < m_legendItems.size(); ++i) {
        m_legendItems[i]->setPen(Qt::NoPen);
        m_legendItems[i]->setBrush(segColor(t, kLegend[i]));
    }
    m_drops->setPen(QPen(t.foreground));
    m_drops->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssTriangle, t.foreground, t.foreground, 7));
}

void TimelineChart::mouseDoubleClickEvent(QMouseEvent* event) {
    m_userZoomed = false;
    fitView();
    requestReplot();
    Chart::mouseDoubleClickEvent(event);
}

void TimelineChart::mouseMoveEvent(QMouseEvent* event) {
    Chart::mouseMoveEvent(event);
    auto run = m_runs.find(m_shown);
    const double key = xAxis->pixelToCoord(event->position().x());
    const int lane = static_cast<int>(std::lround(yAxis->pixelToCoord(event->position().y())));
    const LaneSegment* s = run == m_runs.end() ? nullptr : m_bars->segmentAt(key, lane);
    if (s == nullptr || (s->tag != kNoEvent && s->tag >= run->second.events.size())) {
        QToolTip::hideText();
        return;
    }
    const Bar bar{s->tag, static_cast<int>(s->value)};
    const Run& shown = run->second;
    const bool gil = shown.config.model == Model::GilThreads;
    const GilKnown known = gilKnown(shown.config.model, shown.gilInferred());
    QString text;
    if (isPython(shown.config.model))
        text = QStringLiteral("%1 in the real interpreter (%2)\n")
                   .arg(QString::fromLatin1(toString(shown.config.model)))
                   .arg(shown.interpreter.empty() ? QStringLiteral("CPython")
                                                  : QString::fromStdString(shown.interpreter));
    if (bar.event == kNoEvent) {
        text += QStringLiteral("worker %1, between tasks\n%2: %3")
                    .arg(lane)
                    .arg(segName(bar.state, known))
                    .arg(formatSeconds((s->end - s->start) / 1e3));
    } else {
        const TaskEvent& e = shown.events[bar.event];
        const double wall = static_cast<double>(e.endNs - e.startNs);
        auto share = [wall](std::int64_t ns) {
            return QStringLiteral("%1 (%2 %)")
                .arg(formatSeconds(static_cast<double>(ns) / 1e9))
                .arg(wall > 0 ? 100.0 * static_cast<double>(ns) / wall : 0.0, 0, 'f', 1);
        };
        text += QStringLiteral(
                    "task %1 on worker %2 (pid %3, tid %4)\n%5: %6\n"
                    "task ran %7, on CPU %8 → %9 (sched_getcpu)")
                    .arg(e.task)
                    .arg(e.worker)
                    .arg(e.pid)
                    .arg(e.tid)
                    .arg(segName(bar.state, known))
                    .arg(formatSeconds((s->end - s->start) / 1e3))
                    .arg(formatSeconds(wall / 1e9))
                    .arg(e.cpuStart)
                    .arg(e.cpuEnd);
        if (e.cpuNs >= 0) {
            text += QStringLiteral("\ninside it: on CPU %1, blocked %2")
                        .arg(share(taskOnCpuNs(e)), share(taskBlockedNs(e)));
            if (known != GilKnown::None)
                text += QStringLiteral(", waiting for the GIL %1%2")
                            .arg(share(taskGilWaitInsideNs(e)))
                            .arg(known == GilKnown::Inferred ? QStringLiteral(" (inferred)")
                                                             : QString());
            text += QStringLiteral(
                "\n(on CPU = the thread's CPU time, CLOCK_THREAD_CPUTIME_ID; blocked = off CPU: "
                "I/O, sleep, page faults, or runnable while another thread had the CPU)");
        } else {
            text += QStringLiteral("\nCPU time not recorded (an older result): drawn as on CPU");
        }
        const bool exact = bar.state >= OnCpuGil;
        if (!exact && e.cpuNs >= 0)
            text += QStringLiteral(
                "\nparts drawn as shares of the bar, on CPU first: their order inside the task is "
                "not recorded");
        if (gil && !exact && e.gilWaitBeforeNs > 0)
            text += QStringLiteral("\nwaited for the GIL %1 just before the task (exact)")
                        .arg(formatSeconds(static_cast<double>(e.gilWaitBeforeNs) / 1e9));
        if (e.receivedNs > 0) {
            text += QStringLiteral("\nresult back in the engine %1 after the task ended")
                        .arg(formatSeconds(static_cast<double>(e.receivedNs - e.endNs) / 1e9));
        }
    }
    if (gil && shown.gil) {
        text += shown.gil->truncated()
                    ? QStringLiteral(
                          "\nGIL intervals truncated after %1 per thread: recording "
                          "stopped there; later tasks are drawn from their totals")
                          .arg(shown.gil->capPerThread)
                    : QStringLiteral(
                          "\nGIL holds and waits: exact (recorded at every acquire "
                          "and release; ▲ = a forced drop)");
    } else if (gil) {
        text += QStringLiteral("\nexact GIL intervals arrive when the run ends");
    } else if (known == GilKnown::Inferred) {
        text += QStringLiteral(
            "\nGIL waits inferred, not measured: CPython does not report its lock, so a "
            "CPU-bound task's time off CPU under its GIL is counted as waiting for it; "
            "inside a task the two are drawn as shares (on CPU first), not at the moments "
            "the interpreter switched (every switch interval)");
    }
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

}  // namespace coreduel::ui
