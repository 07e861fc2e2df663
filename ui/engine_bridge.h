#pragma once
// The bridge from the engine (its own thread, an EventSink) to the GUI thread (Qt signals).
// The engine never calls into Qt: its callbacks only append to a queue under a mutex. A timer
// on the GUI thread drains that queue at most ~30 times a second and emits the signals in the
// order the engine produced them, task events and samples batched. Every experiment gets an
// id; whatever a cancelled or replaced experiment still sends is dropped, so a plot never
// mixes two experiments. Nothing here blocks the GUI thread: a runner that is still winding
// down after cancel() is kept aside and destroyed once its thread has finished.

#include <QObject>
#include <QString>
#include <QTimer>
#include <QVector>
#include <memory>
#include <mutex>
#include <variant>
#include <vector>

#include "core/run/event_sink.h"
#include "core/run/runner.h"
#include "core/workloads/params.h"

namespace coreduel::ui {

class EngineBridge : public QObject {
    Q_OBJECT
public:
    explicit EngineBridge(QObject* parent = nullptr, int drainIntervalMs = 33);
    ~EngineBridge() override;

    /// Starts `experiment` on an engine thread, cancelling any running one. Returns its id.
    /// Throws InvalidArgument (from the runner's validation) before anything starts.
    quint64 start(const Experiment& experiment);
    /// Asks the current experiment to stop; returns at once.
    void cancel();
    [[nodiscard]] bool running() const { return m_running; }
    [[nodiscard]] quint64 currentId() const { return m_currentId; }

signals:
    void experimentStarted(quint64 id, int plannedRuns);
    void runStarted(quint64 id, int runIndex, const coreduel::RunConfig& config);
    void taskEvents(quint64 id, int runIndex, const std::vector<coreduel::TaskEvent>& events);
    void utilization(quint64 id, const std::vector<coreduel::UtilizationSample>& samples);
    void progress(quint64 id, int runIndex, qint64 done, qint64 total);
    void runFinished(quint64 id, int runIndex, const coreduel::RunResult& result);
    void experimentFinished(quint64 id, const coreduel::ExperimentResult& result);
    void experimentFailed(quint64 id, const QString& message);

private:
    struct Started {
        int planned;
    };
    struct RunBegin {
        int run;
        RunConfig config;
    };
    struct Events {
        int run;
        std::vector<TaskEvent> events;
    };
    struct Progress {
        int run;
        qint64 done, total;
    };
    struct RunEnd {
        int run;
        RunResult result;
    };
    struct Finished {
        ExperimentResult result;
    };
    using Item = std::variant<Started, RunBegin, Events, Progress, RunEnd, Finished>;

    /// The EventSink of one experiment: lives as long as its runner, tags what it queues.
    class Sink;

    void enqueue(quint64 id, Item item);
    void drain();
    void reapRetired();

    struct Queued {
        quint64 id;
        Item item;
    };
    std::mutex m_mutex;  // guards m_queue and m_samples
    std::vector<Queued> m_queue;
    std::vector<std::pair<quint64, UtilizationSample>> m_samples;

    QTimer m_timer;
    quint64 m_currentId = 0;
    bool m_running = false;
    struct Job {
        quint64 id;
        std::unique_ptr<Sink> sink;
        std::unique_ptr<Runner> runner;
    };
    std::unique_ptr<Job> m_job;
    std::vector<std::unique_ptr<Job>> m_retired;  // cancelled, still winding down
};

}  // namespace coreduel::ui
