#include "ui/plots/timeline_chart.h"

#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace coreduel::ui {
namespace {
constexpr TaskState kStates[] = {TaskState::Compute, TaskState::LockWait, TaskState::Transfer};

QString stateName(TaskState s) {
    switch (s) {
        case TaskState::Compute:
            return QStringLiteral("computing");
        case TaskState::LockWait:
            return QStringLiteral("waiting for the GIL");
        case TaskState::Transfer:
            return QStringLiteral("sent → started (transfer, decode)");
    }
    return {};
}
}  // namespace

TimelineChart::TimelineChart(QWidget* parent) : Chart(QStringLiteral("Worker timeline"), parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMinimumReplotIntervalMs(66);  // live bars at 15 Hz: the eye cannot follow faster
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    xAxis->setLabel(QStringLiteral("time since the run's first task [ms] (CLOCK_MONOTONIC)"));
    yAxis->setLabel(QStringLiteral("worker"));
    yAxis->grid()->setVisible(false);
    yAxis->setRangeReversed(true);  // worker 0 on top, as in a Gantt chart
    m_bars = new LaneRects(xAxis, yAxis);
    m_bars->setBarHeight(0.75);
    for (TaskState s : kStates) {
        auto* item = new QCPBars(xAxis, yAxis);  // legend swatch only, never has data
        item->setName(stateName(s));
        m_legendItems.push_back(item);
    }
    legend->setVisible(true);
    placeLegendBelow();
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

QString TimelineChart::runLabel(int index, const Run& run) const {
    QString label = QStringLiteral("run %1: %2")
                        .arg(index + 1)
                        .arg(QString::fromStdString(modelLabel(run.config)));
    if (run.config.model != Model::Sequential) {
        label += QStringLiteral(" ×%1, chunk %2")
                     .arg(run.config.workers)
                     .arg(run.config.chunksize == 0 ? QStringLiteral("auto")
                                                    : QString::number(run.config.chunksize));
    }
    if (run.config.warmup) label += QStringLiteral(" (warm-up)");
    return label + QStringLiteral(" — %1 tasks").arg(run.events.size());
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
        rebuildBars();
    }
    emit runsChanged();
}

void TimelineChart::addEvents(int runIndex, const std::vector<TaskEvent>& events) {
    auto it = m_runs.find(runIndex);
    if (it == m_runs.end() || events.empty()) return;
    Run& run = it->second;
    const std::size_t from = run.events.size();
    if (from == 0) {
        run.originNs = events.front().sentNs > 0
                           ? std::min(events.front().sentNs, events.front().startNs)
                           : events.front().startNs;
    }
    run.events.insert(run.events.end(), events.begin(), events.end());
    m_stored += events.size();
    if (runIndex == m_shown) {
        appendBars(run, from);
        if (!m_userZoomed) fitView();
        setSubtitle(runLabel(runIndex, run));
        requestReplot();
    }
    enforceBudget();
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

void TimelineChart::appendBars(const Run& run, std::size_t from) {
    const unsigned workers = std::max(1u, run.config.workers);
    if (m_laneLastEnd.size() < workers) m_laneLastEnd.resize(workers, 0);
    auto ms = [&run](std::int64_t ns) { return static_cast<double>(ns - run.originNs) / 1e6; };
    for (std::size_t i = from; i < run.events.size(); ++i) {
        const TaskEvent& e = run.events[i];
        const int lane = static_cast<int>(e.worker);
        if (e.worker >= m_laneLastEnd.size()) m_laneLastEnd.resize(e.worker + 1, 0);
        std::int64_t& lastEnd = m_laneLastEnd[e.worker];
        auto add = [&](std::int64_t a, std::int64_t b, TaskState s) {
            if (b <= a) return;
            m_bars->add(lane, LaneSegment{ms(a), ms(b), static_cast<float>(s),
                                          static_cast<std::uint32_t>(m_barInfo.size())});
            m_barInfo.push_back(Bar{static_cast<std::uint32_t>(i), s});
        };
        if (e.sentNs > 0) add(std::max(lastEnd, e.sentNs), e.startNs, TaskState::Transfer);
        // The wait before the task ended when it started: exact. Waits inside the task happen
        // at its check points, whose times are not recorded: drawn at its start.
        const std::int64_t before = std::clamp<std::int64_t>(e.gilWaitBeforeNs, 0, e.gilWaitNs);
        add(std::max(lastEnd, e.startNs - before), e.startNs, TaskState::LockWait);
        const std::int64_t inside =
            std::clamp<std::int64_t>(e.gilWaitNs - before, 0, e.endNs - e.startNs);
        add(e.startNs, e.startNs + inside, TaskState::LockWait);
        add(e.startNs + inside, e.endNs, TaskState::Compute);
        lastEnd = std::max(lastEnd, e.endNs);
    }
}

void TimelineChart::rebuildBars() {
    m_bars->clear();
    m_barInfo.clear();
    m_laneLastEnd.clear();
    auto it = m_runs.find(m_shown);
    if (it == m_runs.end()) {
        m_bars->setLaneCount(0);
        yAxis->setRange(-0.5, 1.5);
        return;
    }
    const Run& run = it->second;
    const int lanes = static_cast<int>(std::max(1u, run.config.workers));
    m_bars->setLaneCount(lanes);
    appendBars(run, 0);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int step = std::max(1, lanes / 16);  // at most ~16 labels
    for (int w = 0; w < lanes; w += step) {
        ticker->addTick(w, run.config.model == Model::Processes
                               ? QStringLiteral("process %1").arg(w)
                               : QStringLiteral("thread %1").arg(w));
    }
    if (run.config.model == Model::Sequential) {
        ticker->clear();
        ticker->addTick(0, QStringLiteral("main"));
    }
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.5, lanes - 0.5);
    setSubtitle(runLabel(m_shown, run));
    fitView();
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
        [t](const LaneSegment& s) { return t.stateColor(static_cast<TaskState>(s.value)); });
    for (std::size_t i = 0; i < m_legendItems.size(); ++i) {
        m_legendItems[i]->setPen(Qt::NoPen);
        m_legendItems[i]->setBrush(t.stateColor(kStates[i]));
    }
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
    if (s == nullptr || s->tag >= m_barInfo.size()) {
        QToolTip::hideText();
        return;
    }
    const Bar& bar = m_barInfo[s->tag];
    const TaskEvent& e = run->second.events[bar.event];
    QString text = QStringLiteral(
                       "task %1 on worker %2 (pid %3, tid %4)\n%5: %6\n"
                       "task ran %7, on CPU %8 → %9 (sched_getcpu)")
                       .arg(e.task)
                       .arg(e.worker)
                       .arg(e.pid)
                       .arg(e.tid)
                       .arg(stateName(bar.state))
                       .arg(formatSeconds((s->end - s->start) / 1e3))
                       .arg(formatSeconds(static_cast<double>(e.endNs - e.startNs) / 1e9))
                       .arg(e.cpuStart)
                       .arg(e.cpuEnd);
    if (e.gilWaitNs > 0) {
        text += QStringLiteral(
                    "\nwaited for the GIL %1 before the task, %2 inside it "
                    "(inside waits drawn at its start)")
                    .arg(formatSeconds(static_cast<double>(e.gilWaitBeforeNs) / 1e9))
                    .arg(formatSeconds(static_cast<double>(e.gilWaitNs - e.gilWaitBeforeNs) / 1e9));
    }
    if (e.receivedNs > 0) {
        text += QStringLiteral("\nresult back in the engine %1 after the task ended")
                    .arg(formatSeconds(static_cast<double>(e.receivedNs - e.endNs) / 1e9));
    }
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

}  // namespace coreduel::ui
