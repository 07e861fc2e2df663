#pragma once
// The bridge from the engine (an EventSink on a BackgroundJobs thread) to the GUI thread (Qt
// signals). The engine never calls into Qt: its callbacks only queue closures, which a GUI
// timer runs at most ~30 times a second in the order the engine produced them; task events
// and samples are batched until the next drain. Every experiment is a job with an id; whatever
// a replaced experiment still sends is dropped, so a plot never mixes two experiments. Nothing
// here blocks the GUI thread: a cancelled experiment winds down on its own thread and is
// reaped once it has finished (see BackgroundJobs).

#include <QObject>
#include <QString>
#include <QVector>
#include <memory>
#include <vector>

#include "core/run/event_sink.h"
#include "core/run/runner.h"
#include "core/session/session.h"
#include "core/workloads/params.h"
#include "ui/live/background_jobs.h"

namespace coreduel::ui {

class EngineBridge : public QObject {
    Q_OBJECT
public:
    explicit EngineBridge(QObject* parent = nullptr, int drainIntervalMs = 33);
    ~EngineBridge() override;  // cancels the experiment; returns at once

    /// Starts `experiment` on an engine thread, cancelling any running one. Returns its id.
    /// Throws InvalidArgument (from the runner's validation) before anything starts.
    /// `sessionPath`, when not empty, receives the session (core/session) as it runs; the file
    /// is whole before experimentFinished is emitted. It is written on the engine's thread and
    /// the recorder's own, never on the GUI thread. `part` places the experiment in the file:
    /// part 0 (the default) creates it, a lesson's later parts append to it.
    quint64 start(const Experiment& experiment, const std::string& sessionPath = {},
                  const SessionPartInfo& part = {});
    /// Asks the current experiment to stop; returns at once.
    void cancel();
    [[nodiscard]] bool running() const { return m_running; }
    /// How often the engine's queued events reach the GUI (default: the constructor's).
    void setDrainIntervalMs(int ms) { m_jobs.setDrainIntervalMs(ms); }
    [[nodiscard]] int drainIntervalMs() const { return m_jobs.drainIntervalMs(); }
    [[nodiscard]] quint64 currentId() const { return m_currentId; }

signals:
    void experimentStarted(quint64 id, int plannedRuns);
    void runStarted(quint64 id, int runIndex, const coreduel::RunConfig& config);
    void taskEvents(quint64 id, int runIndex, const std::vector<coreduel::TaskEvent>& events);
    /// gil-threads: a run's exact GIL holds and waits (after its task events).
    void gilTimeline(quint64 id, int runIndex,
                     const std::shared_ptr<const coreduel::GilTimeline>& timeline);
    void utilization(quint64 id, const std::vector<coreduel::UtilizationSample>& samples);
    void progress(quint64 id, int runIndex, qint64 done, qint64 total);
    void runFinished(quint64 id, int runIndex, const coreduel::RunResult& result);
    void experimentFinished(quint64 id, const coreduel::ExperimentResult& result);
    void experimentFailed(quint64 id, const QString& message);
    /// The session file could not be written (the run goes on without it).
    void sessionFailed(quint64 id, const QString& message);

private:
    /// The EventSink of one experiment: lives on its job's thread, posts to the GUI.
    class Sink;
    void jobDone(const QString& error);

    BackgroundJobs m_jobs;
    quint64 m_currentId = 0;
    bool m_running = false;
    std::shared_ptr<Runner> m_runner;  // the current experiment's, for cancel()
};

}  // namespace coreduel::ui
