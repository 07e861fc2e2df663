#pragma once
// The views of one experiment: the per-core strip, the warnings above it, the worker timeline
// and its run picker, the speedup, breakdown, resources and IPC charts and the results table.
// They take an experiment's events one road only: a live run's arrive from the EngineBridge,
// a reopened session part's are replayed through an EventSink (core/session/session_replay)
// into the same calls, so what a chart shows after reopening is what it showed live. The
// window places the widgets; it never fills a chart itself.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/measure/ipc_lab.h"
#include "core/run/result.h"
#include "core/session/session.h"
#include "ui/plots/timeline_chart.h"  // TimelineChart::PreparedRun

class QComboBox;
class QLabel;
class QTableView;
class QWidget;

namespace coreduel::ui {

class Chart;
class ElidedLabel;
class CoreHeatChart;
class SpeedupChart;
class BreakdownChart;
class ResourcesChart;
class IpcChart;
class ResultsModel;

class RunViews : public QObject {
    Q_OBJECT
public:
    /// Makes every view; `parent` owns the ones not yet placed in a layout.
    explicit RunViews(QWidget* parent);

    [[nodiscard]] CoreHeatChart* heat() const { return m_heat; }
    [[nodiscard]] QLabel* warningsStrip() const;
    /// The timeline under its run picker.
    [[nodiscard]] QWidget* timelineBox() const { return m_timelineBox; }
    [[nodiscard]] TimelineChart* timeline() const { return m_timeline; }
    [[nodiscard]] QComboBox* runPicker() const { return m_runPicker; }
    [[nodiscard]] SpeedupChart* speedup() const { return m_speedup; }
    [[nodiscard]] BreakdownChart* breakdown() const { return m_breakdown; }
    [[nodiscard]] ResourcesChart* resources() const { return m_resources; }
    [[nodiscard]] IpcChart* ipc() const { return m_ipc; }
    [[nodiscard]] ResultsModel* model() const { return m_model; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] std::vector<Chart*> charts() const;
    /// The chart with this slug ("speedup", "timeline", …), or null.
    [[nodiscard]] Chart* chart(const QString& slug) const;

    // An experiment's events, in the engine's order (EventSink's contract).
    /// Clears every view but the IPC lab (the session's, not an experiment's); times are drawn
    /// from `originNs` (CLOCK_MONOTONIC).
    void begin(const Experiment& e, const Environment& env, std::int64_t originNs, int plannedRuns);
    void runStarted(int run, const RunConfig& config);
    void addTaskEvents(int run, std::span<const TaskEvent> events);
    void setGilTimeline(int run, std::shared_ptr<const GilTimeline> timeline);
    void addSamples(const std::vector<UtilizationSample>& samples);
    /// A run's result (warm-ups too: their timeline names the interpreter); the table and the
    /// charts grow by it, analysed with the runs before it.
    void runFinished(int run, const RunResult& r);
    /// The experiment's last word: its whole result and analysis on every view.
    void showResult(const ExperimentResult& r);
    /// A recorded part, replayed into the calls above. `prepared`: the lanes of its newest
    /// run, built on a job's thread (TimelineChart::prepareRun), or null.
    void replay(const SessionPart& part,
                std::shared_ptr<TimelineChart::PreparedRun> prepared = nullptr);

    /// The runs reported so far (live), analysed; after the end, the whole result.
    [[nodiscard]] const ExperimentResult& live() const { return m_live; }
    /// The last finished (or reopened) result; none during a run.
    [[nodiscard]] const std::optional<ExperimentResult>& result() const { return m_result; }
    [[nodiscard]] int plannedRuns() const { return m_plannedRuns; }
    /// What the engine planned once it started (begin had the experiment's own count).
    void setPlannedRuns(int runs) { m_plannedRuns = runs; }
    /// A saved result (and a session's IPC-lab points) drawn behind every chart where that
    /// means something, and compared in the table; std::nullopt clears it.
    void setBaseline(std::optional<ExperimentResult> baseline,
                     const std::vector<IpcMeasurement>& ipcLab, const QString& name);
    [[nodiscard]] bool hasBaseline() const;
    /// While a run is measured the per-core strip redraws at most once per `refreshMs` and the
    /// other charts a quarter as often (drawing takes CPU from the workers being measured);
    /// afterwards each redraws at once, whole.
    void setMeasuring(bool measuring, int refreshMs);
    /// Shows run `index` (as the run picker lists them) on the timeline.
    void showTimelineRun(int index);

private:
    void refreshRunPicker();
    /// The analysis of the runs so far: the speedup curve grows point by point.
    void updateLiveCharts();
    /// The runs the table does not list yet, listed (it follows at the live charts' pace).
    void addRunsToTable();

    CoreHeatChart* m_heat = nullptr;
    ElidedLabel* m_warnings = nullptr;
    QWidget* m_timelineBox = nullptr;
    TimelineChart* m_timeline = nullptr;
    QComboBox* m_runPicker = nullptr;
    SpeedupChart* m_speedup = nullptr;
    BreakdownChart* m_breakdown = nullptr;
    ResourcesChart* m_resources = nullptr;
    IpcChart* m_ipc = nullptr;
    ResultsModel* m_model = nullptr;
    QTableView* m_table = nullptr;

    ExperimentResult m_live;
    std::optional<ExperimentResult> m_result;
    std::map<int, RunConfig> m_runConfigs;
    int m_plannedRuns = 0;
    bool m_replaying = false;  ///< the whole result follows at once: no analysis per run
    bool m_running = false;    ///< a live run goes on: the run picker's first entry follows it
    int m_slowMs = 0;          ///< while measured: the analysis follows at most this often
    QElapsedTimer m_sinceLive;
    QTimer m_pickerDue;           ///< while measured: the run picker's next relisting
    std::size_t m_tableRuns = 0;  ///< of m_live.runs, those the table lists
};

}  // namespace coreduel::ui
