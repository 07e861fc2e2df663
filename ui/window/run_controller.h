#pragma once
// What the window runs, one thing at a time: the user's experiment or a lesson's part on the
// engine (through the EngineBridge), or the IPC lab. It starts and stops them, hands the
// engine's events to the views (RunViews) and says where the run is (the panel's progress and
// status); a lesson's part that ends is handed on (partEnded) for the lesson to go on. The
// measured run is disturbed as little as possible: the views refresh at the measuring rate
// until it ends.

#include <QElapsedTimer>
#include <QObject>

#include "core/run/result.h"
#include "core/session/session.h"
#include "ui/live/engine_bridge.h"
#include "ui/live/ipc_lab_runner.h"
#include "ui/live/live_budget.h"
#include "ui/live/stall_monitor.h"

namespace coreduel::ui {

class ExperimentPanel;
class RunViews;
class SessionDocument;

class RunController : public QObject {
    Q_OBJECT
public:
    /// What the window is doing: the user's experiment on the engine, a lesson (its parts on
    /// the engine or on a Python job), or the IPC lab. A session file being read or written
    /// (SessionDocument::busy) is a job beside Idle that runs wait for.
    enum class Activity { Idle, Experiment, Lesson, IpcLab };

    struct Options {
        /// How often the engine's events reach the window while a run is measured (ms).
        int measuringRefreshMs = 1000;
        bool persistSettings = false;  ///< the last experiment started is remembered
    };
    RunController(Options options, RunViews& views, ExperimentPanel& panel,
                  SessionDocument& document, const Environment& environment,
                  QObject* parent = nullptr);

    /// Starts `e` (validated by the engine); false and a status message if it cannot start.
    /// `part` places it in the session (a lesson's part).
    bool runExperiment(const Experiment& e, const SessionPartInfo& part = {});
    /// Stops whatever runs (the experiment, the IPC lab; stopRequested for a Python part).
    void stop();
    void runIpcLab(const IpcLabOptions& options);
    void stopIpcLab() { m_ipcLab.stop(); }
    /// Abandons everything at once (the window closes): nothing is waited for.
    void abandon();

    [[nodiscard]] Activity activity() const { return m_activity; }
    /// A lesson begins (its parts run within it) or ends.
    void setLesson(bool running);
    /// A lesson's real-Python part runs on a job: the engine must wait for it.
    void setPythonPart(bool running) { m_pythonPart = running; }
    [[nodiscard]] bool pythonPartRunning() const { return m_pythonPart; }
    /// An experiment or a lesson owns the charts (they are live): no part can be shown.
    [[nodiscard]] bool chartsLive() const {
        return m_activity == Activity::Experiment || m_activity == Activity::Lesson;
    }
    [[nodiscard]] bool engineRunning() const { return m_bridge.running(); }
    [[nodiscard]] bool ipcLabRunning() const { return m_ipcLab.running(); }

    /// Milliseconds from Stop to the engine's last event for that experiment; -1 if none yet.
    [[nodiscard]] double lastStopLatencyMs() const { return m_stopLatencyMs; }
    /// CPU time the GUI thread used during the last run, % of one core.
    [[nodiscard]] double guiCpuPercent() const { return m_guiCpuPercent; }
    [[nodiscard]] int slowestLiveRefreshMs() const { return m_budget.slowestRefreshMs(); }
    /// The live view's refresh while a run is measured, in ms; 0 otherwise.
    [[nodiscard]] int liveRefreshMs() const { return m_progressEveryMs; }
    [[nodiscard]] StallMonitor& stallMonitor() { return m_stall; }
    [[nodiscard]] const StallMonitor& stallMonitor() const { return m_stall; }
    /// False before the first run: no "since run start" to speak of.
    [[nodiscard]] bool hasRun() const { return m_elapsed.isValid(); }

signals:
    /// An experiment ended: finished (ok says whether every run verified), failed or stopped.
    void experimentDone(bool ok);
    /// A lesson's part on the engine ended or failed (before experimentDone).
    void partEnded(const ExperimentResult& r);
    void partFailed(const QString& message);
    /// A run started (the parts bar shows what runs).
    void started();
    /// Stop was asked for: a Python part on a job stops too.
    void stopRequested();
    void ipcLabRunningChanged(bool running);
    void ipcLabDone(const QString& error);
    /// The live view's refresh changed (the budget's; 0 once the run is no longer measured).
    void liveRefreshChanged(int refreshMs);
    /// A line for the window's status bar.
    void message(const QString& text);

private:
    void connectBridge();
    void onRunStarted(int run, const RunConfig& config);
    void onFinished(const ExperimentResult& r);
    void onFailed(const QString& message);
    /// A measured run began or ended: the live views slow down to the measuring refresh, and
    /// come back to interactive speed, whole, at its end.
    void setMeasuring(bool measuring);
    /// The live views, the drains and the progress bar at `refreshMs` (0: interactive).
    void applyRefresh(int refreshMs);
    static constexpr int kInteractiveDrainMs = 33;
    /// The progress bar at m_lastRun / m_lastFraction, once the events being handled are.
    void showProgressSoon();
    void ipcLabMeasured(const IpcMeasurement& m);
    void ipcLabFinished(const QString& error);
    [[nodiscard]] QString cannotStart(const Experiment& e) const;

    Options m_options;
    RunViews& m_views;
    ExperimentPanel& m_panel;
    SessionDocument& m_document;
    const Environment& m_environment;
    EngineBridge m_bridge;
    IpcLabRunner m_ipcLab;
    // How long the GUI thread went without returning to its loop: measured from the events
    // themselves, so watching costs the run no wake-ups.
    StallMonitor m_stall;
    LiveBudget m_budget;
    bool m_measuring = false;
    Activity m_activity = Activity::Idle;
    bool m_pythonPart = false;
    Experiment m_starting;          // what Run started, shown once the engine says it began
    std::int64_t m_startingNs = 0;  // when Run was pressed: the per-core strip's origin

    int m_lastRun = 0;               // the run the engine reported last (where a Stop leaves it)
    double m_lastFraction = 0;       // of the whole experiment, from its last progress
    bool m_progressPending = false;  // the bar shows m_lastFraction once the drain is done
    // While measuring the bar and the status line ("Run 5 of 21: …") move together once per
    // refresh, however short the runs: each move repaints and shapes text, and with runs of
    // half a second, moving at each new run cost more than the charts. 0: interactive, every
    // drain.
    int m_progressEveryMs = 0;
    QString m_runStatus;  // the status line for m_lastRun, shown with the bar
    QElapsedTimer m_progressShown;
    QElapsedTimer m_elapsed;
    QElapsedTimer m_stopClock;
    double m_stopLatencyMs = -1;
    std::int64_t m_guiCpuStartNs = 0;
    double m_guiCpuPercent = 0;
    bool m_stopping = false;
};

}  // namespace coreduel::ui
