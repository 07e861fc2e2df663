#pragma once
// The worker timeline: one lane per worker (thread or process), each task as a bar coloured by
// what the worker was doing, for one run at a time (the live one, or any finished run picked
// by the user). Times come from the task events themselves (CLOCK_MONOTONIC in every process).
//
// A task's bar splits into on CPU and blocked by the thread's CPU time over the task; where
// inside the task each part happened is not recorded, so they are drawn as shares (on CPU
// first) and the tooltip says so. gil-threads runs get the GIL's exact holds and waits when
// the run ends (setGilTimeline): then the lane shows them where they happened, with forced
// drops marked.

#include <map>
#include <memory>
#include <vector>

#include "core/exec/exec_result.h"
#include "core/vocab/model.h"
#include "ui/plots/chart.h"
#include "ui/plots/lane_rects.h"

namespace coreduel::ui {

class TimelineChart : public Chart {
    Q_OBJECT
public:
    explicit TimelineChart(QWidget* parent = nullptr);

    QString slug() const override { return QStringLiteral("timeline"); }
    bool hasData() const override { return !m_runs.empty(); }
    void clearData() override;

    void beginRun(int runIndex, const RunConfig& config);
    void addEvents(int runIndex, std::vector<TaskEvent> events);
    /// What the lanes of a finished run look like, built by prepareRun.
    struct PreparedRun {
        LaneRects::Prepared lanes;
        QVector<double> dropKeys, dropValues;  ///< forced GIL drops
        std::vector<std::int64_t> laneLastEnd, gilCoveredUntil;
        std::size_t events = 0;  ///< how many events they were built from
    };
    /// Builds, sorts and sums up the lanes that showing a finished run would draw. Touches no
    /// Qt object: a job's thread prepares a reopened session's shown run with it, so that the
    /// GUI thread only moves the result in (adoptRun).
    /// `events` are borrowed and given back unchanged.
    static std::shared_ptr<PreparedRun> prepareRun(const RunConfig& config,
                                                   std::vector<TaskEvent>& events,
                                                   std::shared_ptr<const GilTimeline> gil);
    /// A reopened run arrives whole (a session part replayed): between beginBatch and
    /// endBatch runs, events and GIL intervals are only stored, and endBatch builds the lanes of
    /// the run shown once, from `prepared` when it was built from the same events.
    void beginBatch() { m_batching = true; }
    void endBatch(std::shared_ptr<PreparedRun> prepared = nullptr);
    /// The exact GIL intervals of a gil-threads run (after its task events).
    void setGilTimeline(int runIndex, std::shared_ptr<const GilTimeline> timeline);
    /// A py: run's interpreter ("CPython 3.11.2 (…)") and whether its GIL waits were inferred,
    /// from its result: the run picker and the legend name them.
    void setInterpreter(int runIndex, const std::string& interpreter, bool gilWaitInferred);
    /// A reopened run whose events were damaged in its session file: the stretch between the
    /// last event read before the damage and the first after it (ns; 0 where that side has
    /// none) is drawn across every lane as lost, never as idle.
    void setLostStretch(int runIndex, std::int64_t fromNs, std::int64_t toNs);
    /// The lost stretch drawn for the shown run (tests): false when it has none.
    [[nodiscard]] bool showsLostStretch() const;
    /// Forced drops drawn for the shown run (tests).
    [[nodiscard]] int shownForcedDrops() const { return m_drops ? m_drops->data()->size() : 0; }
    /// Shows run `runIndex`; -1 follows the newest run.
    void showRun(int runIndex);
    [[nodiscard]] int shownRun() const { return m_shown; }
    /// What the user sees: the run shown (or following the newest) and the zoom. A report
    /// that draws other runs puts it back with setView, exactly as it was.
    struct View {
        int run = -1;
        bool followNewest = true;
        bool userZoomed = false;
        QCPRange x, y;
    };
    [[nodiscard]] View view() const;
    void setView(const View& view);
    /// Runs that have events, with a label each, in run order.
    [[nodiscard]] std::vector<std::pair<int, QString>> runLabels() const;
    [[nodiscard]] std::size_t shownSegments() const { return m_bars->segmentCount(); }
    /// Most task events kept over all runs; the oldest runs are dropped beyond it.
    void setEventBudget(std::size_t events) { m_budget = events; }
    [[nodiscard]] std::size_t eventBudget() const { return m_budget; }

signals:
    void runsChanged();

protected:
    void rebuild() override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    struct Run {
        RunConfig config;
        std::vector<TaskEvent> events;
        std::shared_ptr<const GilTimeline> gil;
        std::int64_t originNs = 0;
        std::string interpreter;  ///< py: runs, once finished
        bool gilWaitInferred = false;
        bool sawGilWait = false;  ///< an event with a GIL wait arrived
        bool eventsLost = false;  ///< damage in its session file took some of its events
        std::int64_t lostFromNs = 0, lostToNs = 0;  ///< see setLostStretch
        /// py:threads whose GIL waits are inferred (from the result, or seen in its events).
        [[nodiscard]] bool gilInferred() const;
    };
    /// What a segment stands for (LaneSegment::tag and ::value).
    struct Bar {
        std::uint32_t event;  ///< kNoEvent: a GIL interval between tasks
        int state;            ///< a timeline segment state (timeline_chart.cpp)
    };
    static constexpr std::uint32_t kNoEvent = 0xffffffff;
    /// The run `events` go to (its origin set by the first), or nullptr.
    Run* receiving(int runIndex, const std::vector<TaskEvent>& events);
    void eventsAdded(int runIndex, Run& run, std::size_t from);
    /// Where bars go: the plottable (the GUI thread) or lanes of their own (prepareRun), with
    /// what building them needs to remember between appends.
    struct BarOut {
        LaneRects* bars = nullptr;
        std::vector<LaneRects::Lane>* lanes = nullptr;
        std::vector<std::int64_t> laneLastEnd;      // per worker of the shown run
        std::vector<std::int64_t> gilCoveredUntil;  // per worker: exact GIL bars drawn up to
        QVector<double> dropKeys, dropValues;       // forced drops
        void add(int lane, const LaneSegment& s);
        void reserve(int lane, std::size_t more);
    };
    static void appendBars(const Run& run, std::size_t from, BarOut& out);
    static void appendExactGilBars(const Run& run, BarOut& out);
    static void addSegment(BarOut& out, int lane, std::int64_t a, std::int64_t b, int state,
                           std::uint32_t event, std::int64_t originNs);
    /// The origin of a run's times: its first event's (when it was sent, for process runs).
    static std::int64_t originOf(const TaskEvent& first);
    void rebuildBars(std::shared_ptr<PreparedRun> prepared = {});
    void fitView();
    void enforceBudget();
    QString runLabel(int index, const Run& run) const;

    bool m_batching = false;  ///< see beginBatch
    LaneRects* m_bars = nullptr;
    QCPGraph* m_drops = nullptr;    ///< forced drops (FORCE_SWITCHING), one marker each
    QCPItemRect* m_lost = nullptr;  ///< the shown run's stretch lost to damage, if any
    QCPItemText* m_lostLabel = nullptr;
    void drawLostStretch(const Run& run);
    std::vector<QCPBars*> m_legendItems;
    std::map<int, Run> m_runs;
    BarOut m_out;      // the shown run's bars, into m_bars
    int m_shown = -1;  // the run on screen
    bool m_followNewest = true;
    bool m_userZoomed = false;
    std::size_t m_budget = 2'000'000;
    // A run's label counts its tasks: when events arrive, runsChanged follows once the batch
    // settles (at most twice a second), so the run picker does not say "0 tasks" forever and
    // is not rebuilt for every batch of a live run.
    QTimer m_labelsChanged;
    std::size_t m_stored = 0;
};

}  // namespace coreduel::ui
