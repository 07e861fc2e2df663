// RunController: the experiment, a lesson's engine parts and the IPC lab, one at a time.
#include "ui/window/run_controller.h"

#include <QDateTime>
#include <QTimer>
#include <algorithm>

#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/util/clock.h"
#include "ui/live/run_views.h"
#include "ui/model_names.h"
#include "ui/panels/experiment_panel.h"
#include "ui/plots/ipc_chart.h"
#include "ui/window/session_document.h"

namespace coreduel::ui {

RunController::RunController(Options options, RunViews& views, ExperimentPanel& panel,
                             SessionDocument& document, const Environment& environment,
                             QObject* parent)
    : QObject(parent),
      m_options(options),
      m_views(views),
      m_panel(panel),
      m_document(document),
      m_environment(environment) {
    connectBridge();
    connect(&m_ipcLab, &IpcLabRunner::measured, this, &RunController::ipcLabMeasured);
    connect(&m_ipcLab, &IpcLabRunner::finished, this, &RunController::ipcLabFinished);
}

void RunController::connectBridge() {
    // The engine's events into the views, the road a reopened session's replay takes too.
    // The views are reset when the engine announces the start, not at Run: an experiment that
    // is refused on the engine thread (user code that does not load) leaves what was shown.
    connect(&m_budget, &LiveBudget::refreshChanged, this, &RunController::applyRefresh);
    connect(&m_bridge, &EngineBridge::experimentStarted, this, [this](quint64, int planned) {
        m_views.begin(m_starting, m_environment, m_startingNs, planned);
        m_document.beginLive();
    });
    connect(&m_bridge, &EngineBridge::runStarted, this,
            [this](quint64, int run, const RunConfig& config) { onRunStarted(run, config); });
    connect(&m_bridge, &EngineBridge::taskEvents, this,
            [this](quint64, int run, const std::vector<TaskEvent>& events) {
                m_views.addTaskEvents(run, events);
            });
    connect(&m_bridge, &EngineBridge::gilTimeline, this,
            [this](quint64, int run, const std::shared_ptr<const GilTimeline>& t) {
                m_views.setGilTimeline(run, t);
            });
    connect(&m_bridge, &EngineBridge::utilization, this,
            [this](quint64, const std::vector<UtilizationSample>& samples) {
                m_views.addSamples(samples);
            });
    connect(&m_bridge, &EngineBridge::progress, this,
            [this](quint64, int run, qint64 done, qint64 total) {
                const int planned = m_views.plannedRuns();
                const double within = total > 0 ? double(done) / double(total) : 0;
                m_lastRun = run;
                m_lastFraction = planned > 0 ? (run + within) / planned : 0;
                showProgressSoon();
            });
    connect(&m_bridge, &EngineBridge::runFinished, this,
            [this](quint64, int run, const RunResult& r) { m_views.runFinished(run, r); });
    connect(&m_bridge, &EngineBridge::experimentFinished, this,
            [this](quint64, const ExperimentResult& r) { onFinished(r); });
    connect(&m_bridge, &EngineBridge::sessionFailed, this, [this](quint64, const QString& why) {
        m_document.liveRecorded(false);
        emit message(tr("The session is not recorded: %1").arg(why));
    });
    connect(&m_bridge, &EngineBridge::experimentFailed, this,
            [this](quint64, const QString& message) { onFailed(message); });
}

void RunController::onRunStarted(int run, const RunConfig& config) {
    m_views.runStarted(run, config);
    // The bar names the run the status line names, from its start.
    m_lastRun = run;
    const int planned = m_views.plannedRuns();
    m_lastFraction = planned > 0 ? double(run) / planned : 0;
    QString label = modelRunLabel(config, interpreterOfSpec(m_views.live(), config.python));
    if (!isSequential(config.model)) label += QStringLiteral(" ×%1").arg(config.workers);
    m_runStatus = tr("Run %1 of %2: %3%4")
                      .arg(run + 1)
                      .arg(planned)
                      .arg(label)
                      .arg(config.warmup ? tr(" (warm-up)") : QString());
    showProgressSoon();
}

QString RunController::cannotStart(const Experiment& e) const {
    if (m_pythonPart) return tr("A real-Python lesson part is running; wait for it or Stop it.");
    if (m_document.busy())
        return tr("A session file is being read or exported; run when it is done.");
    // Two measurements at once would skew each other.
    if (m_activity == Activity::IpcLab)
        return tr("The IPC lab is running; start the experiment when it is done.");
    // Defence in depth: the panel never offers fork, but experiments also come from files
    // and lessons. This process is multithreaded: fork without exec is unsafe here.
    if (e.startMethod == StartMethod::Fork)
        return tr(
            "Cannot run: the desktop app never forks without exec (it is multithreaded). "
            "Use spawn or forkserver, or coreduel-cli for fork.");
    return {};
}

bool RunController::runExperiment(const Experiment& e, const SessionPartInfo& part) {
    if (const QString why = cannotStart(e); !why.isEmpty()) {
        m_panel.setStatus(why);
        return false;
    }
    try {
        // The views are reset by the engine's experimentStarted (connectBridge), from when Run
        // was pressed.
        m_starting = e;
        m_startingNs = monotonicNs();
        if (m_activity != Activity::Lesson)
            m_document.startRecording(QString::fromStdString(e.workload));
        m_bridge.start(e, m_document.recordPath().toStdString(), part);
    } catch (const std::exception& ex) {
        m_panel.setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(ex.what())));
        return false;
    }
    m_document.setLiveStart(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    m_lastRun = 0;
    m_lastFraction = 0;
    m_runStatus.clear();
    m_progressShown.invalidate();  // the first run shows at once, whenever the last one ended
    emit message(QString());       // an old error is not about this run
    m_stopping = false;
    m_stopLatencyMs = -1;
    m_elapsed.start();
    m_guiCpuStartNs = threadCpuNs();
    m_stall.reset();
    // A lesson's part runs within the lesson; anything else is the user's experiment (a new
    // one replaces a running one: the bridge abandons it).
    if (m_activity != Activity::Lesson) m_activity = Activity::Experiment;
    m_panel.setRunning(true);
    setMeasuring(true);
    m_panel.setStatus(tr("Starting %1 runs…").arg(reportedRunCount(e)));
    emit started();
    if (m_options.persistSettings) ExperimentPanel::rememberExperiment(e);
    return true;
}

void RunController::stop() {
    if (m_ipcLab.running()) {
        m_ipcLab.stop();
        emit message(tr("Stopping the IPC lab…"));
    }
    emit stopRequested();  // a Python part: the profiler kills its tree
    if (!m_bridge.running() || m_stopping) return;
    m_stopping = true;
    m_stopClock.start();
    m_bridge.setDrainIntervalMs(33);  // nothing is measured any more: its end shows at once
    m_bridge.cancel();
    m_panel.setStatus(tr("Stopping…"));
}

void RunController::abandon() {
    m_bridge.cancel();
    m_ipcLab.stop();
    emit stopRequested();
}

void RunController::setLesson(bool running) {
    m_activity = running ? Activity::Lesson : Activity::Idle;
}

void RunController::showProgressSoon() {
    // A drain brings many progress events; the bar (which repaints at once on every new
    // value) shows the last of them, once.
    if (m_progressPending) return;
    m_progressPending = true;
    QTimer::singleShot(0, this, [this] {
        m_progressPending = false;
        if (!m_bridge.running()) return;  // the end's own text stays
        if (m_progressEveryMs > 0 && m_progressShown.isValid() &&
            m_progressShown.elapsed() < m_progressEveryMs)
            return;  // the next drain brings it (or the run's end its own text)
        m_progressShown.start();
        if (!m_runStatus.isEmpty()) m_panel.setStatus(m_runStatus);
        const double f = m_lastFraction;
        const double elapsed = m_elapsed.elapsed() / 1000.0;
        m_panel.setProgress(m_lastRun, m_views.plannedRuns(), f,
                            f > 0.02 ? elapsed * (1 - f) / f : -1);
    });
}

void RunController::setMeasuring(bool measuring) {
    m_measuring = measuring;
    if (measuring) {
        // The budget starts at the chosen refresh and slows it where the view costs more
        // (applyRefresh, on its refreshChanged).
        m_budget.start(std::max(kInteractiveDrainMs, m_options.measuringRefreshMs));
    } else {
        m_budget.stop();
        applyRefresh(0);
    }
}

void RunController::applyRefresh(int refreshMs) {
    const bool measuring = m_measuring && refreshMs > 0;
    // Events arrive four times per redraw: the progress bar moves and the run's end shows
    // within a quarter of the refresh, while the charts redraw once per refresh.
    m_bridge.setDrainIntervalMs(measuring ? std::max(kInteractiveDrainMs, refreshMs / 4)
                                          : kInteractiveDrainMs);
    m_views.setMeasuring(measuring, refreshMs);
    m_progressEveryMs = measuring ? refreshMs : 0;
    emit liveRefreshChanged(m_progressEveryMs);
}

void RunController::onFailed(const QString& text) {
    if (m_stopping) m_stopLatencyMs = m_stopClock.elapsed();
    m_stopping = false;
    setMeasuring(false);
    m_panel.setRunning(false);
    m_panel.setProgressText(0, tr("failed"));  // not "starting…" for a run that never started
    m_panel.setStatus(tr("Failed: %1").arg(text));
    emit message(tr("Experiment failed: %1").arg(text));
    if (m_activity == Activity::Lesson)
        emit partFailed(text);
    else
        m_activity = Activity::Idle;
    emit experimentDone(false);
}

void RunController::onFinished(const ExperimentResult& r) {
    if (m_stopping) m_stopLatencyMs = m_stopClock.elapsed();
    m_stopping = false;
    const double wallMs = static_cast<double>(m_elapsed.elapsed());
    m_guiCpuPercent =
        wallMs > 0 ? 100.0 * static_cast<double>(threadCpuNs() - m_guiCpuStartNs) / (wallMs * 1e6)
                   : 0;
    setMeasuring(false);
    m_panel.setRunning(false);
    m_views.showResult(r);
    m_document.liveRecorded(true);
    const QString verdict = QString::fromStdString(formatVerdict(r)).trimmed();
    QString status = r.cancelled ? tr("Stopped after %1 s (stop took %2 ms).")
                                       .arg(wallMs / 1000.0, 0, 'f', 1)
                                       .arg(m_stopLatencyMs, 0, 'f', 0)
                                 : tr("Finished in %1 s.").arg(wallMs / 1000.0, 0, 'f', 1);
    if (!r.allOk() && !r.cancelled) status += tr(" Some runs failed: see the table.");
    status += tr(" The window's own thread used %1 % of one core meanwhile (its CPU clock)")
                  .arg(m_guiCpuPercent, 0, 'f', 1);
    // The live view slowed down to stay within its budget: said, so a sluggish strip is
    // understood, not mistaken for a stalled run.
    if (m_budget.slowestRefreshMs() > std::max(kInteractiveDrainMs, m_options.measuringRefreshMs))
        status += tr(", redrawing its live charts as seldom as every %1 s to stay near 1 %")
                      .arg(m_budget.slowestRefreshMs() / 1000.0, 0, 'f', 1);
    status += QLatin1Char('.');
    m_panel.setStatus(status + QStringLiteral("\n") + verdict);
    const int planned = m_views.plannedRuns();
    if (r.cancelled) {
        // Where it stopped, not a full bar at "0 %".
        m_panel.setProgressText(m_lastFraction, tr("stopped at run %1/%2 — %3 %")
                                                    .arg(m_lastRun + 1)
                                                    .arg(planned)
                                                    .arg(static_cast<int>(m_lastFraction * 100)));
    } else {
        m_panel.setProgress(std::max(0, planned - 1), planned, 1, -1);
    }
    const bool noneVerified =
        !r.runs.empty() &&
        std::none_of(r.runs.begin(), r.runs.end(), [](const RunResult& x) { return x.ok; });
    // The status bar too says what the window cost (a lesson's panel hides the status text).
    emit message(
        (r.cancelled    ? tr("Experiment stopped.")
         : noneVerified ? tr("Experiment finished: every run failed (see the status).")
                        : tr("Experiment finished.")) +
        tr(" The window used %1 % of one core meanwhile.").arg(m_guiCpuPercent, 0, 'f', 1));
    if (m_activity == Activity::Lesson)
        emit partEnded(r);
    else
        m_activity = Activity::Idle;
    emit experimentDone(r.allOk() && !r.cancelled);
}

void RunController::runIpcLab(const IpcLabOptions& options) {
    if (m_activity != Activity::Idle) {
        emit message(tr("Busy: wait for the running measurement to finish."));
        return;
    }
    m_views.ipc()->clearData();
    m_ipcLab.start(options);
    m_activity = Activity::IpcLab;
    // The lab is the window's run now: Stop (the panel's, Esc, the button) ends it.
    m_panel.setRunning(true);
    m_panel.setProgressText(0, tr("IPC lab: 0 of %1 points").arg(m_ipcLab.pointsPlanned()));
    emit ipcLabRunningChanged(true);
    emit message(tr("IPC lab running…"));
}

void RunController::ipcLabMeasured(const IpcMeasurement& m) {
    m_views.ipc()->addMeasurement(m);
    const int planned = std::max(1, m_ipcLab.pointsPlanned());
    m_panel.setProgressText(double(m_ipcLab.pointsDone()) / planned,
                            tr("IPC lab: %1 of %2 points").arg(m_ipcLab.pointsDone()).arg(planned));
}

void RunController::ipcLabFinished(const QString& error) {
    m_activity = Activity::Idle;
    m_panel.setRunning(false);
    emit ipcLabRunningChanged(false);
    const int done = m_ipcLab.pointsDone(), planned = m_ipcLab.pointsPlanned();
    QString text;
    if (!error.isEmpty())
        text = tr("IPC lab failed: %1").arg(error);
    else if (done < planned)
        text = tr("IPC lab stopped after %1 of %2 points.").arg(done).arg(planned);
    else
        text = tr("IPC lab finished.");
    if (done < planned) m_views.ipc()->setPartial(done, planned);
    m_panel.setProgressText(planned > 0 ? double(done) / planned : 0,
                            tr("IPC lab: %1 of %2 points").arg(done).arg(planned));
    emit message(text);
    try {
        m_document.appendIpcLab(m_views.ipc()->measurements());
    } catch (const std::exception& e) {
        emit message(tr("The IPC lab's points could not be added to the session: %1")
                         .arg(QString::fromUtf8(e.what())));
    }
    emit ipcLabDone(error);
}

}  // namespace coreduel::ui
