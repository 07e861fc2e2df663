#include "ui/live/engine_bridge.h"

#include "core/run/tee_sink.h"
#include "core/session/session.h"

#include <mutex>

namespace coreduel::ui {

/// Posts every engine event as a closure that emits the bridge's signal. Consecutive task-event
/// batches of one run, and samples, merge into the batch still waiting for the drain: one
/// signal per drain, not per batch.
class EngineBridge::Sink : public EventSink {
public:
    Sink(EngineBridge* bridge, quint64 id, JobContext& context)
        : m_bridge(bridge), m_id(id), m_context(context) {}

    void experimentStarted(const Experiment&, std::size_t planned) override {
        post([b = m_bridge, id = m_id, n = static_cast<int>(planned)] {
            emit b->experimentStarted(id, n);
        });
    }
    void runStarted(std::size_t run, const RunConfig& c) override {
        post([b = m_bridge, id = m_id, r = static_cast<int>(run), c] {
            emit b->runStarted(id, r, c);
        });
    }
    void taskEvents(std::size_t run, std::span<const TaskEvent> events) override {
        std::lock_guard lk(m_mutex);
        if (m_events) {
            std::lock_guard bl(m_events->mutex);
            if (!m_events->taken && m_events->run == static_cast<int>(run)) {
                m_events->items.insert(m_events->items.end(), events.begin(), events.end());
                return;
            }
        }
        m_events = std::make_shared<Batch<TaskEvent>>();
        m_events->run = static_cast<int>(run);
        m_events->items.assign(events.begin(), events.end());
        m_context.post([b = m_bridge, id = m_id, batch = m_events] {
            const int r = batch->run;
            emit b->taskEvents(id, r, batch->take());
        });
    }
    void gilTimeline(std::size_t run, const GilTimeline& timeline) override {
        post(
            [b = m_bridge, id = m_id, r = static_cast<int>(run),
             t = std::make_shared<const GilTimeline>(timeline)] { emit b->gilTimeline(id, r, t); });
    }
    void progress(std::size_t run, std::size_t done, std::size_t total) override {
        post([b = m_bridge, id = m_id, r = static_cast<int>(run), d = static_cast<qint64>(done),
              t = static_cast<qint64>(total)] { emit b->progress(id, r, d, t); });
    }
    void runFinished(std::size_t run, const RunResult& result) override {
        post([b = m_bridge, id = m_id, r = static_cast<int>(run), result] {
            emit b->runFinished(id, r, result);
        });
    }
    void experimentFinished(const ExperimentResult& r) override {
        post([b = m_bridge, id = m_id, r] {
            b->m_running = false;
            emit b->experimentFinished(id, r);
        });
    }
    void utilization(const UtilizationSample& s) override {
        // The sampler's thread: copy and leave.
        std::lock_guard lk(m_mutex);
        if (m_samples) {
            std::lock_guard bl(m_samples->mutex);
            if (!m_samples->taken) {
                m_samples->items.push_back(s);
                return;
            }
        }
        m_samples = std::make_shared<Batch<UtilizationSample>>();
        m_samples->items.push_back(s);
        m_context.post([b = m_bridge, id = m_id, batch = m_samples] {
            emit b->utilization(id, batch->take());
        });
    }

private:
    template <class T>
    struct Batch {
        std::mutex mutex;
        int run = 0;
        std::vector<T> items;
        bool taken = false;  // drained: later items start a new batch
        std::vector<T> take() {
            std::lock_guard lk(mutex);
            taken = true;
            return std::move(items);
        }
    };
    /// Any other event ends the open task-event batch, so events stay in order with it.
    void post(std::function<void()> onGui) {
        std::lock_guard lk(m_mutex);
        m_events.reset();
        m_context.post(std::move(onGui));
    }

    EngineBridge* m_bridge;  // dereferenced only on the GUI thread, by the posted closures
    quint64 m_id;
    JobContext& m_context;
    std::mutex m_mutex;  // the engine thread and the sampler's thread both call in
    std::shared_ptr<Batch<TaskEvent>> m_events;
    std::shared_ptr<Batch<UtilizationSample>> m_samples;
};

EngineBridge::EngineBridge(QObject* parent, int drainIntervalMs)
    : QObject(parent), m_jobs(this, drainIntervalMs) {}

EngineBridge::~EngineBridge() {
    if (m_runner) m_runner->cancel();
    // m_jobs abandons the job; its thread winds down and is reaped without a join here.
}

quint64 EngineBridge::start(const Experiment& experiment, const std::string& sessionPath,
                            const SessionPartInfo& part) {
    // Validates (throws before anything runs), but loads no user code here on the GUI thread:
    // the engine thread does, and a failure to load comes back as experimentFailed.
    auto runner = std::make_shared<Runner>(experiment, /*loadUserCode=*/false);
    if (m_currentId != 0) {
        if (m_runner) m_runner->cancel();
        m_jobs.abandon(m_currentId);
    }
    m_runner = runner;
    m_running = true;
    m_currentId = m_jobs.start(
        [this, runner, sessionPath, part](JobContext& context) {
            Sink sink(this, context.id(), context);
            std::unique_ptr<SessionRecorder> recorder;
            QString sessionError;
            try {
                if (!sessionPath.empty())
                    recorder = std::make_unique<SessionRecorder>(sessionPath, part);
            } catch (const std::exception& e) {
                sessionError = QString::fromUtf8(e.what());
            }
            if (!sessionError.isEmpty())
                context.post([this, id = context.id(), sessionError] {
                    emit sessionFailed(id, sessionError);
                });
            // The recorder first: it closes its file at experimentFinished, before the window
            // hears of the end and may copy the file.
            TeeSink tee(recorder ? std::vector<EventSink*>{recorder.get(), &sink}
                                 : std::vector<EventSink*>{&sink});
            runner->run(tee);
            if (recorder) {
                try {
                    recorder->close();
                } catch (const std::exception& e) {
                    context.post([this, id = context.id(), why = QString::fromUtf8(e.what())] {
                        emit sessionFailed(id, why);
                    });
                }
            }
        },
        // A replaced experiment is abandoned: its Done never runs, so this one is current.
        [this](const QString& error) { jobDone(error); });
    return m_currentId;
}

void EngineBridge::jobDone(const QString& error) {
    m_runner.reset();
    if (!m_running) return;
    // The engine thread ended without an experimentFinished: it threw.
    m_running = false;
    emit experimentFailed(m_currentId, error.isEmpty()
                                           ? QStringLiteral("the engine stopped without a result")
                                           : error);
}

void EngineBridge::cancel() {
    if (m_runner) m_runner->cancel();
}

}  // namespace coreduel::ui
