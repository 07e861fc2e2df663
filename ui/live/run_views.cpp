#include "ui/live/run_views.h"

#include <QComboBox>
#include <QLabel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "core/run/analysis.h"
#include "core/session/session_replay.h"
#include "ui/model_names.h"
#include "ui/panels/elided_combo_box.h"
#include "ui/panels/elided_label.h"
#include "ui/panels/results_model.h"
#include "ui/panels/results_table_view.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"

namespace coreduel::ui {

namespace {

/// A replayed part's events into the views, on the GUI thread: the calls a live run's bridge
/// makes, with the part's own GIL intervals shared instead of copied.
class ViewsSink final : public EventSink {
public:
    ViewsSink(RunViews& views, const SessionPart& part) : m_views(views), m_part(part) {}
    void runStarted(std::size_t run, const RunConfig& c) override {
        m_views.runStarted(static_cast<int>(run), c);
    }
    void taskEvents(std::size_t run, std::span<const TaskEvent> events) override {
        m_views.addTaskEvents(static_cast<int>(run), events);
    }
    void gilTimeline(std::size_t run, const GilTimeline& /*timeline*/) override {
        m_views.setGilTimeline(static_cast<int>(run),
                               m_part.runs.at(static_cast<std::uint32_t>(run)).gil);
    }
    void utilization(const UtilizationSample& s) override { m_samples.push_back(s); }
    void runFinished(std::size_t run, const RunResult& r) override {
        m_views.runFinished(static_cast<int>(run), r);
    }
    void experimentFinished(const ExperimentResult& r) override {
        m_views.addSamples(m_samples);  // the strip takes them at once, as a drain would
        m_samples.clear();
        m_views.showResult(r);
    }

private:
    RunViews& m_views;
    const SessionPart& m_part;
    std::vector<UtilizationSample> m_samples;
};

/// A latency probe ran (the convoy workload): the table shows its ping delays.
bool hasLatency(const std::vector<RunResult>& runs) {
    return std::any_of(runs.begin(), runs.end(), [](const RunResult& r) { return r.latency; });
}

}  // namespace

RunViews::RunViews(QWidget* parent) : QObject(parent) {
    m_heat = new CoreHeatChart(parent);
    // What the analysis warns about (too few repetitions, a busy machine, oversubscription)
    // belongs in the window, not only in the exported report: one line above the strip.
    m_warnings = new ElidedLabel(parent);
    m_warnings->setObjectName(QStringLiteral("warnings-strip"));
    m_warnings->setWordWrap(false);
    m_warnings->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_warnings->setContentsMargins(8, 4, 8, 4);
    m_warnings->setStyleSheet(QStringLiteral(
        "QLabel { background: #FFF3CD; color: #5C4400; border-bottom: 1px solid #E0C060; }"));
    m_warnings->hide();

    m_timelineBox = new QWidget(parent);
    auto* timelineLayout = new QVBoxLayout(m_timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    m_runPicker = new ElidedComboBox;
    m_runPicker->setToolTip(tr("Which run the timeline shows; \"newest\" follows the live run."));
    // As narrow as the timeline: a long label is cut with "…", whole in the list.
    m_runPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_runPicker->setMinimumContentsLength(20);
    m_timeline = new TimelineChart;
    timelineLayout->addWidget(m_runPicker);
    timelineLayout->addWidget(m_timeline, 1);
    // While measured the picker follows at the live charts' pace: relisting it at each new
    // run of a burst of short ones cost the run more than it showed.
    m_pickerDue.setSingleShot(true);
    connect(&m_pickerDue, &QTimer::timeout, this, &RunViews::refreshRunPicker);
    connect(m_timeline, &TimelineChart::runsChanged, this, [this] {
        if (m_slowMs <= 0 || m_replaying)
            refreshRunPicker();
        else if (!m_pickerDue.isActive())
            m_pickerDue.start(m_slowMs);
    });
    connect(m_runPicker, &QComboBox::activated, this,
            [this](int index) { m_timeline->showRun(m_runPicker->itemData(index).toInt()); });

    m_speedup = new SpeedupChart(parent);
    m_breakdown = new BreakdownChart(parent);
    m_resources = new ResourcesChart(parent);
    m_ipc = new IpcChart(parent);
    m_model = new ResultsModel(this);
    m_table = makeResultsTableView(m_model, parent);
}

std::vector<Chart*> RunViews::charts() const {
    return {m_heat, m_timeline, m_speedup, m_breakdown, m_resources, m_ipc};
}

Chart* RunViews::chart(const QString& slug) const {
    for (Chart* c : charts()) {
        if (c->slug() == slug) return c;
    }
    return nullptr;
}

void RunViews::begin(const Experiment& e, const Environment& env, std::int64_t originNs,
                     int plannedRuns) {
    m_running = !m_replaying;
    m_live = ExperimentResult{};
    m_live.experiment = e;
    m_live.environment = env;
    m_result.reset();
    m_runConfigs.clear();
    m_plannedRuns = plannedRuns;
    for (Chart* c : charts()) {
        c->setAbsentNote({});      // a result file's note: this run fills every view
        if (c == m_ipc) continue;  // the IPC lab is the session's, not an experiment's
        c->clearData();
        c->replotNextAtOnce();
    }
    m_model->clear();
    m_tableRuns = 0;
    m_heat->setOrigin(originNs);
    // The last result's warnings are not this run's (its own come with its result).
    m_warnings->hide();
    m_warnings->setFullText({});
    m_warnings->setToolTip({});
}

void RunViews::runStarted(int run, const RunConfig& config) {
    m_runConfigs[run] = config;
    m_timeline->beginRun(run, config);
}

void RunViews::addTaskEvents(int run, std::span<const TaskEvent> events) {
    if (events.empty()) return;
    m_timeline->addEvents(run, std::vector<TaskEvent>(events.begin(), events.end()));
    std::int64_t first = events.front().startNs, last = events.front().endNs;
    for (const TaskEvent& e : events) {
        first = std::min(first, e.startNs);
        last = std::max(last, e.endNs);
    }
    m_heat->addRunSpan(run, m_runConfigs[run], first, last);
}

void RunViews::setGilTimeline(int run, std::shared_ptr<const GilTimeline> timeline) {
    m_timeline->setGilTimeline(run, std::move(timeline));
}

void RunViews::addSamples(const std::vector<UtilizationSample>& samples) {
    m_heat->addSamples(samples);
}

void RunViews::runFinished(int run, const RunResult& r) {
    // Warm-ups too: a warm-up's timeline is listed, and names its interpreter.
    m_timeline->setInterpreter(run, interpreterName(r), r.gilWaitInferred);
    if (r.config.warmup) return;
    if (r.mpi) m_heat->addHostSamples(*r.mpi);  // other hosts' cores, at the end
    m_live.runs.push_back(r);
    // While measured, the table, the analysis and the charts it feeds follow at the slower
    // pace (the result at the end redraws them whole): a table sized to its contents measures
    // every cell again for each new row. A replay gets its whole result at once.
    if (m_replaying) {
        addRunsToTable();
        return;
    }
    if (m_slowMs > 0 && m_sinceLive.isValid() && m_sinceLive.elapsed() < m_slowMs) return;
    updateLiveCharts();
    m_sinceLive.start();
}

QLabel* RunViews::warningsStrip() const {
    return m_warnings;
}

void RunViews::addRunsToTable() {
    for (; m_tableRuns < m_live.runs.size(); ++m_tableRuns)
        m_model->addRun(m_live.runs[m_tableRuns]);
}

void RunViews::updateLiveCharts() {
    addRunsToTable();
    applyAnalysis(m_live);
    // No law while the runs go on: whether the points support one depends on the machine's
    // load over the whole experiment, known at its end (a busy run drew 'serial 88.9 %' live
    // that its result refused). The points and their intervals are drawn as they come.
    m_live.analysis.scaling.clear();
    m_speedup->setResult(m_live);
    m_breakdown->setRuns(m_live.runs);
    m_resources->setRuns(m_live.runs);
    m_model->setAnalysis(m_live.analysis);
    m_table->setColumnHidden(ResultsModel::GilModelVsReal, m_live.analysis.modelVsReal.empty());
    m_table->setColumnHidden(ResultsModel::PingLatency, !hasLatency(m_live.runs));
}

void RunViews::showResult(const ExperimentResult& r) {
    // Over: the picker's first entry is the newest run, no longer a live one (nor in a
    // reopened session).
    m_running = false;
    if (m_runPicker->count() > 0) m_runPicker->setItemText(0, tr("newest run"));
    m_result = r;
    m_live = r;
    m_speedup->setResult(r);
    m_breakdown->setRuns(r.runs);
    m_resources->setRuns(r.runs);
    m_model->setRuns(r.runs);
    m_tableRuns = r.runs.size();
    m_model->setAnalysis(r.analysis);
    // The model-vs-real column only where gil-threads and py:threads were both measured.
    m_table->setColumnHidden(ResultsModel::GilModelVsReal, r.analysis.modelVsReal.empty());
    // The ping delays only where a latency probe ran (the convoy workload).
    m_table->setColumnHidden(ResultsModel::PingLatency, !hasLatency(r.runs));
    QStringList warnings;
    for (const std::string& w : r.analysis.warnings) warnings << QString::fromStdString(w);
    m_warnings->setVisible(!warnings.isEmpty());
    // One line, so the live strip below keeps its room: the first warning and how many
    // more, all of them on hover.
    QString line = QStringLiteral("⚠ ") + (warnings.isEmpty() ? QString() : warnings.front());
    if (warnings.size() > 1)
        line = tr("⚠ %1 warnings (hover for all): %2").arg(warnings.size()).arg(warnings.front());
    m_warnings->setFullText(line);
    m_warnings->setToolTip(warnings.join(QLatin1Char('\n')));
}

void RunViews::replay(const SessionPart& part,
                      std::shared_ptr<TimelineChart::PreparedRun> prepared) {
    const std::int64_t origin = partOriginNs(part);
    begin(part.result.experiment, part.result.environment, origin,
          static_cast<int>(part.plannedRuns));
    if (!part.samples.empty()) {
        // Keep the whole part, however long: a reopened strip must not lose its start.
        const double span = double(part.samples.back().timeNs - origin) / 1e9;
        m_heat->setHistorySeconds(std::max(600.0, span + 10));
    }
    // The timeline builds the lanes of the run it ends on once, not of every run on the way.
    m_replaying = true;
    m_timeline->beginBatch();
    ViewsSink sink(*this, part);
    try {
        replayPart(part, sink, std::numeric_limits<std::size_t>::max());
    } catch (...) {
        m_replaying = false;
        m_timeline->endBatch();
        throw;
    }
    m_replaying = false;
    // A py: run without a result of its own (a file from before per-run results, damage):
    // the part's interpreter names it.
    const auto byRun = resultsByRun(part);
    for (const auto& [index, run] : part.runs)
        if (!run.result && !byRun.contains(index) && isPython(run.config.model))
            m_timeline->setInterpreter(static_cast<int>(index),
                                       interpreterOfSpec(part.result, run.config.python), false);
    // Damage in the file took some of a run's events: the timeline marks the stretch lost.
    for (const auto& [index, run] : part.runs)
        if (run.eventsDamaged)
            m_timeline->setLostStretch(static_cast<int>(index), run.gapFromNs, run.gapToNs);
    m_timeline->endBatch(std::move(prepared));
    // The newest run, as the live timeline follows it to the end of a run.
    m_timeline->showRun(-1);
    refreshRunPicker();
    m_runPicker->setCurrentIndex(0);
}

void RunViews::setBaseline(std::optional<ExperimentResult> baseline,
                           const std::vector<IpcMeasurement>& ipcLab, const QString& name) {
    const std::vector<RunResult> runs = baseline ? baseline->runs : std::vector<RunResult>{};
    m_breakdown->setBaselineRuns(runs, name);
    m_resources->setBaselineRuns(runs, name);
    m_ipc->setBaseline(baseline ? ipcLab : std::vector<IpcMeasurement>{}, name);
    m_model->setBaseline(baseline);
    m_speedup->setBaseline(std::move(baseline));
}

void RunViews::setMeasuring(bool measuring, int refreshMs) {
    constexpr int kInteractiveMs = 33;  // Chart's own default: ~30 frames a second
    // The per-core strip is what a run is watched on: it redraws every refresh. The others
    // change with each run's end and each batch of events; a quarter as often is live enough,
    // and the full picture comes when the run ends.
    constexpr int kSlower = 4;
    m_slowMs = measuring ? refreshMs * kSlower : 0;
    if (!measuring) addRunsToTable();  // a failed experiment's table too lists every run
    m_sinceLive.invalidate();
    if (!measuring && m_pickerDue.isActive()) {
        m_pickerDue.stop();
        refreshRunPicker();
    }
    for (Chart* c : charts()) {
        const int measuringMs = c == m_heat ? refreshMs : refreshMs * kSlower;
        c->setMinimumReplotIntervalMs(measuring ? measuringMs : kInteractiveMs);
        if (!measuring) c->requestReplot();  // the full picture, now
    }
}

bool RunViews::hasBaseline() const {
    return m_speedup->hasBaseline();
}

void RunViews::refreshRunPicker() {
    const auto labels = m_timeline->runLabels();
    // The same runs as listed (the usual case during a run, up to twice a second as task
    // counts grow): relabel in place. Clearing would close a list the user has open and jump
    // the selection.
    const QString newest = m_running ? tr("newest run (live)") : tr("newest run");
    if (m_runPicker->count() > 0 && m_runPicker->itemText(0) != newest)
        m_runPicker->setItemText(0, newest);
    bool same = m_runPicker->count() == static_cast<int>(labels.size()) + 1;
    for (std::size_t i = 0; same && i < labels.size(); ++i)
        same = m_runPicker->itemData(static_cast<int>(i) + 1).toInt() == labels[i].first;
    if (same) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (m_runPicker->itemText(static_cast<int>(i) + 1) != labels[i].second)
                m_runPicker->setItemText(static_cast<int>(i) + 1, labels[i].second);
        return;
    }
    const int shown = m_timeline->shownRun();
    const bool following = m_runPicker->currentIndex() <= 0;
    m_runPicker->clear();
    m_runPicker->addItem(newest, -1);
    for (const auto& [index, label] : labels) m_runPicker->addItem(label, index);
    if (!following) {
        const int i = m_runPicker->findData(shown);
        m_runPicker->setCurrentIndex(i < 0 ? 0 : i);
    }
}

void RunViews::showTimelineRun(int index) {
    m_timeline->showRun(index);
    const int i = m_runPicker->findData(index);
    if (i >= 0) m_runPicker->setCurrentIndex(i);
}

}  // namespace coreduel::ui
