// MainWindow's run session: starting and stopping experiments and the IPC lab, the engine's
// events into the live charts, the table and the progress bar, and the status lines.
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>

#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/util/clock.h"
#include "ui/experiment_panel.h"
#include "ui/main_window.h"
#include "ui/model_names.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/results_model.h"
#include "ui/run_views.h"

namespace coreduel::ui {

void MainWindow::connectBridge() {
    // The engine's events into the views (RunViews), and what the window itself says about
    // them: the status line and the progress bar.
    connect(&m_bridge, &EngineBridge::experimentStarted, this,
            [this](quint64, int planned) { m_views->setPlannedRuns(planned); });
    connect(&m_bridge, &EngineBridge::runStarted, this,
            [this](quint64, int run, const RunConfig& config) {
                m_views->runStarted(run, config);
                // The bar names the run the status line names, from its start.
                m_lastRun = run;
                const int planned = m_views->plannedRuns();
                m_lastFraction = planned > 0 ? double(run) / planned : 0;
                showProgressSoon();
                QString label = modelRunLabel(config, interpreterOf(m_views->live().runs));
                if (!isSequential(config.model))
                    label += QStringLiteral(" ×%1").arg(config.workers);
                m_panel->setStatus(tr("Run %1 of %2: %3%4")
                                       .arg(run + 1)
                                       .arg(m_views->plannedRuns())
                                       .arg(label)
                                       .arg(config.warmup ? tr(" (warm-up)") : QString()));
            });
    connect(&m_bridge, &EngineBridge::taskEvents, this,
            [this](quint64, int run, const std::vector<TaskEvent>& events) {
                m_views->addTaskEvents(run, events);
            });
    connect(&m_bridge, &EngineBridge::gilTimeline, this,
            [this](quint64, int run, const std::shared_ptr<const GilTimeline>& t) {
                m_views->setGilTimeline(run, t);
            });
    connect(&m_bridge, &EngineBridge::utilization, this,
            [this](quint64, const std::vector<UtilizationSample>& samples) {
                m_views->addSamples(samples);
            });
    connect(&m_bridge, &EngineBridge::progress, this,
            [this](quint64, int run, qint64 done, qint64 total) {
                const int planned = m_views->plannedRuns();
                const double within = total > 0 ? double(done) / double(total) : 0;
                m_lastRun = run;
                m_lastFraction = planned > 0 ? (run + within) / planned : 0;
                showProgressSoon();
            });
    connect(&m_bridge, &EngineBridge::runFinished, this,
            [this](quint64, int run, const RunResult& r) { m_views->runFinished(run, r); });
    connect(&m_bridge, &EngineBridge::experimentFinished, this,
            [this](quint64, const ExperimentResult& r) { onExperimentFinished(r); });
    connect(&m_bridge, &EngineBridge::sessionFailed, this, [this](quint64, const QString& why) {
        m_sessionFailed = true;
        statusBar()->showMessage(tr("The session is not recorded: %1").arg(why));
    });
    connect(&m_bridge, &EngineBridge::experimentFailed, this,
            [this](quint64, const QString& message) {
                if (m_stopping) m_stopLatencyMs = m_stopClock.elapsed();
                m_stopping = false;
                setMeasuring(false);
                m_panel->setRunning(false);
                m_panel->setStatus(tr("Failed: %1").arg(message));
                statusBar()->showMessage(tr("Experiment failed: %1").arg(message));
                if (m_activity == Activity::Lesson)
                    failLesson(message);
                else
                    m_activity = Activity::Idle;
                emit experimentDone(false);
            });
}

QString MainWindow::statusText() const {
    return m_panel->status();
}

bool MainWindow::runExperiment(const Experiment& e) {
    return runExperiment(e, SessionPartInfo{});
}

bool MainWindow::runExperiment(const Experiment& e, const SessionPartInfo& part) {
    if (m_pythonJob != 0) {
        m_panel->setStatus(tr("A real-Python lesson part is running; wait for it or Stop it."));
        return false;
    }
    if (isOpening()) {
        m_panel->setStatus(tr("A session file is being read or exported; run when it is done."));
        return false;
    }
    if (m_activity == Activity::IpcLab) {
        // Two measurements at once would skew each other.
        m_panel->setStatus(tr("The IPC lab is running; start the experiment when it is done."));
        return false;
    }
    if (e.startMethod == StartMethod::Fork) {
        // Defence in depth: the panel never offers fork, but experiments also come from
        // files and lessons. This process is multithreaded: fork without exec is unsafe here.
        m_panel->setStatus(
            tr("Cannot run: the desktop app never forks without exec (it is "
               "multithreaded). Use spawn or forkserver, or coreduel-cli for fork."));
        return false;
    }
    quint64 id = 0;
    try {
        // Reset the views first: the bridge's first signals may follow immediately.
        m_views->begin(e, m_environment, monotonicNs(), static_cast<int>(reportedRunCount(e)));
        m_sessionFile.clear();
        m_sessionFailed = false;
        m_session.reset();  // the charts are live now; a lesson's parts are read back at its end
        if (m_activity != Activity::Lesson) startRecording(QString::fromStdString(e.workload));
        id = m_bridge.start(e, m_recordPath.toStdString(), part);
    } catch (const std::exception& ex) {
        m_panel->setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(ex.what())));
        return false;
    }
    Q_UNUSED(id);
    m_measuredAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    m_lastRun = 0;
    m_lastFraction = 0;
    statusBar()->clearMessage();  // an old error is not about this run
    m_stopping = false;
    m_stopLatencyMs = -1;
    m_elapsed.start();
    m_guiCpuStartNs = threadCpuNs();
    m_stall.reset();
    // A lesson's part runs within the lesson; anything else is the user's experiment (a new
    // one replaces a running one: the bridge abandons it).
    if (m_activity != Activity::Lesson) m_activity = Activity::Experiment;
    m_panel->setRunning(true);
    setMeasuring(true);
    m_panel->setStatus(tr("Starting %1 runs…").arg(m_views->plannedRuns()));
    refreshPartsBar();
    if (m_options.persistSettings) {
        QSettings().setValue(QStringLiteral("experiment"),
                             QString::fromStdString(toJson(e).dump()));
    }
    return true;
}

void MainWindow::onRun() {
    if (m_activity == Activity::Experiment) return;
    if (m_activity == Activity::Lesson) {
        m_panel->setStatus(tr("A lesson is running; Stop it first."));
        return;
    }
    try {
        const Experiment e = m_panel->experiment();
        if (!m_consent.allow(this, e)) {
            m_panel->setStatus(tr("Not run: your code was not confirmed."));
            return;
        }
        runExperiment(e);
    } catch (const std::exception& ex) {
        m_panel->setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(ex.what())));
    }
}

void MainWindow::stop() {
    if (m_ipcLab.running()) {
        m_ipcLab.stop();
        statusBar()->showMessage(tr("Stopping the IPC lab…"));
    }
    if (m_pythonJob != 0) m_pythonJobs.cancel(m_pythonJob);  // the profiler kills its tree
    if (!m_bridge.running() || m_stopping) return;
    m_stopping = true;
    m_stopClock.start();
    m_bridge.setDrainIntervalMs(33);  // nothing is measured any more: its end shows at once
    m_bridge.cancel();
    m_panel->setStatus(tr("Stopping…"));
}

void MainWindow::showProgressSoon() {
    // A drain brings many progress events; the bar (which repaints at once on every new
    // value) shows the last of them, once.
    if (m_progressPending) return;
    m_progressPending = true;
    QTimer::singleShot(0, this, [this] {
        m_progressPending = false;
        if (!m_bridge.running()) return;  // the end's own text stays
        const double f = m_lastFraction;
        const double elapsed = m_elapsed.elapsed() / 1000.0;
        m_panel->setProgress(m_lastRun, m_views->plannedRuns(), f,
                             f > 0.02 ? elapsed * (1 - f) / f : -1);
    });
}

void MainWindow::startRecording(const QString& label) {
    if (m_history) m_recordPath = m_history->place(label, m_sessionFile);
}

void MainWindow::setMeasuring(bool measuring) {
    constexpr int kInteractiveDrainMs = 33;
    const int refresh = std::max(kInteractiveDrainMs, m_options.measuringRefreshMs);
    // Events arrive four times per redraw: the progress bar moves and the run's end shows
    // within a quarter of the refresh, while the charts redraw once per refresh.
    m_bridge.setDrainIntervalMs(measuring ? std::max(kInteractiveDrainMs, refresh / 4)
                                          : kInteractiveDrainMs);
    m_views->setMeasuring(measuring, refresh);
}

void MainWindow::showResult(const ExperimentResult& r) {
    m_views->showResult(r);
}

const std::optional<ExperimentResult>& MainWindow::result() const {
    return m_views->result();
}

ResultsModel* MainWindow::resultsModel() const {
    return m_views->model();
}

void MainWindow::setBaseline(std::optional<ExperimentResult> baseline,
                             const std::vector<IpcMeasurement>& ipcLab, const QString& name) {
    m_views->setBaseline(std::move(baseline), ipcLab, name);
    statusBar()->showMessage(
        m_views->hasBaseline()
            ? tr("Baseline %1 loaded: faded curves on the speedup and IPC charts, outlines on the "
                 "bars, and the \"vs baseline\" column of the table.")
                  .arg(name)
            : tr("Baseline cleared."));
}

void MainWindow::showTimelineRun(int index) {
    m_views->showTimelineRun(index);
}

void MainWindow::runIpcLab(double secondsPerPoint) {
    IpcLabOptions options;
    options.secondsPerPoint = secondsPerPoint;
    runIpcLab(options);
}

void MainWindow::runIpcLab(const IpcLabOptions& options) {
    if (m_activity != Activity::Idle) {
        statusBar()->showMessage(tr("Busy: wait for the running measurement to finish."));
        return;
    }
    m_views->ipc()->clearData();
    m_ipcLab.start(options);
    m_activity = Activity::IpcLab;
    // The lab is the window's run now: Stop (the panel's, Esc, the button) ends it.
    m_panel->setRunning(true);
    m_ipcButton->setText(tr("Stop IPC lab"));
    m_panel->setProgressText(0, tr("IPC lab: 0 of %1 points").arg(m_ipcLab.pointsPlanned()));
    showChart(QStringLiteral("ipc"));
    statusBar()->showMessage(tr("IPC lab running…"));
}

void MainWindow::ipcLabMeasured(const IpcMeasurement& m) {
    m_views->ipc()->addMeasurement(m);
    const int planned = std::max(1, m_ipcLab.pointsPlanned());
    m_panel->setProgressText(
        double(m_ipcLab.pointsDone()) / planned,
        tr("IPC lab: %1 of %2 points").arg(m_ipcLab.pointsDone()).arg(planned));
}

void MainWindow::ipcLabFinished(const QString& error) {
    m_activity = Activity::Idle;
    m_panel->setRunning(false);
    m_ipcButton->setText(tr("Run IPC lab"));
    const int done = m_ipcLab.pointsDone(), planned = m_ipcLab.pointsPlanned();
    QString message;
    if (!error.isEmpty()) {
        message = tr("IPC lab failed: %1").arg(error);
    } else if (done < planned) {
        message = tr("IPC lab stopped after %1 of %2 points.").arg(done).arg(planned);
    } else {
        message = tr("IPC lab finished.");
    }
    if (done < planned) m_views->ipc()->setPartial(done, planned);
    m_panel->setProgressText(planned > 0 ? double(done) / planned : 0,
                             tr("IPC lab: %1 of %2 points").arg(done).arg(planned));
    statusBar()->showMessage(message);
    recordIpcLabInSession();
    emit ipcLabDone(error);
}

void MainWindow::updateStallLabel() {
    // Before the first run there is no "since run start" to speak of.
    if (!m_elapsed.isValid()) {
        m_stallLabel->setText(tr("GUI stall: measured once a run starts"));
        return;
    }
    m_stallLabel->setText(tr("GUI stall: max %1 ms since run start (%2 over 50 ms)")
                              .arg(m_stall.maxStallMs(), 0, 'f', 0)
                              .arg(m_stall.stallsOver50Ms()));
}

void MainWindow::onExperimentFinished(const ExperimentResult& r) {
    if (m_stopping) m_stopLatencyMs = m_stopClock.elapsed();
    m_stopping = false;
    m_guiCpuPercent = m_elapsed.elapsed() > 0
                          ? 100.0 * static_cast<double>(threadCpuNs() - m_guiCpuStartNs) /
                                (m_elapsed.elapsed() * 1e6)
                          : 0;
    setMeasuring(false);
    m_panel->setRunning(false);
    showResult(r);
    if (!m_sessionFailed) {
        m_sessionFile = m_recordPath;  // whole by now (see the bridge)
        m_unsavedRun = !m_history;     // the history keeps it
    }
    const QString verdict = QString::fromStdString(formatVerdict(r)).trimmed();
    QString status = r.cancelled
                         ? tr("Stopped after %1 s (stop took %2 ms).")
                               .arg(m_elapsed.elapsed() / 1000.0, 0, 'f', 1)
                               .arg(m_stopLatencyMs, 0, 'f', 0)
                         : tr("Finished in %1 s.").arg(m_elapsed.elapsed() / 1000.0, 0, 'f', 1);
    if (!r.allOk() && !r.cancelled) status += tr(" Some runs failed: see the table.");
    status += tr(" The window's own thread used %1 % of one core meanwhile (getrusage).")
                  .arg(m_guiCpuPercent, 0, 'f', 1);
    m_panel->setStatus(status + QStringLiteral("\n") + verdict);
    if (r.cancelled) {
        // Where it stopped, not a full bar at "0 %".
        m_panel->setProgressText(m_lastFraction, tr("stopped at run %1/%2 — %3 %")
                                                     .arg(m_lastRun + 1)
                                                     .arg(m_views->plannedRuns())
                                                     .arg(static_cast<int>(m_lastFraction * 100)));
    } else {
        m_panel->setProgress(std::max(0, m_views->plannedRuns() - 1), m_views->plannedRuns(), 1,
                             -1);
    }
    statusBar()->showMessage(r.cancelled ? tr("Experiment stopped.") : tr("Experiment finished."));
    updateStallLabel();
    if (m_activity == Activity::Lesson)
        lessonPartDone(r);
    else
        m_activity = Activity::Idle;
    emit experimentDone(r.allOk() && !r.cancelled);
}

}  // namespace coreduel::ui
