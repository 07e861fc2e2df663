#include "ui/engine_bridge.h"

namespace coreduel::ui {

class EngineBridge::Sink : public EventSink {
public:
    Sink(EngineBridge& bridge, quint64 id) : m_bridge(bridge), m_id(id) {}
    void experimentStarted(const Experiment&, std::size_t planned) override {
        m_bridge.enqueue(m_id, Started{static_cast<int>(planned)});
    }
    void runStarted(std::size_t run, const RunConfig& c) override {
        m_bridge.enqueue(m_id, RunBegin{static_cast<int>(run), c});
    }
    void taskEvents(std::size_t run, std::span<const TaskEvent> events) override {
        m_bridge.enqueue(m_id, Events{static_cast<int>(run), {events.begin(), events.end()}});
    }
    void progress(std::size_t run, std::size_t done, std::size_t total) override {
        m_bridge.enqueue(m_id, Progress{static_cast<int>(run), static_cast<qint64>(done),
                                        static_cast<qint64>(total)});
    }
    void runFinished(std::size_t run, const RunResult& r) override {
        m_bridge.enqueue(m_id, RunEnd{static_cast<int>(run), r});
    }
    void experimentFinished(const ExperimentResult& r) override {
        m_bridge.enqueue(m_id, Finished{r});
    }
    void utilization(const UtilizationSample& s) override {
        // The sampler's thread: copy and leave.
        std::lock_guard lk(m_bridge.m_mutex);
        m_bridge.m_samples.emplace_back(m_id, s);
    }

private:
    EngineBridge& m_bridge;
    quint64 m_id;
};

EngineBridge::EngineBridge(QObject* parent, int drainIntervalMs) : QObject(parent) {
    m_timer.setInterval(drainIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EngineBridge::drain);
    m_timer.start();
}

EngineBridge::~EngineBridge() {
    // Leaving the application: stopping may wait here, once, for the engine to wind down.
    if (m_job) m_job->runner->cancel();
    for (auto& j : m_retired) j->runner->cancel();
}

quint64 EngineBridge::start(const Experiment& experiment) {
    auto runner =
        std::make_unique<Runner>(experiment);  // validates: throws before anything changes
    if (m_job) {
        m_job->runner->cancel();
        m_retired.push_back(std::move(m_job));
    }
    const quint64 id = ++m_currentId;
    m_job = std::make_unique<Job>(Job{id, std::make_unique<Sink>(*this, id), std::move(runner)});
    m_running = true;
    m_job->runner->start(*m_job->sink);
    return id;
}

void EngineBridge::cancel() {
    if (m_job) m_job->runner->cancel();
}

void EngineBridge::enqueue(quint64 id, Item item) {
    std::lock_guard lk(m_mutex);
    // Consecutive task-event batches of the same run merge: one signal per drain, not per batch.
    if (auto* events = std::get_if<Events>(&item);
        events != nullptr && !m_queue.empty() && m_queue.back().id == id) {
        if (auto* last = std::get_if<Events>(&m_queue.back().item);
            last != nullptr && last->run == events->run) {
            last->events.insert(last->events.end(), events->events.begin(), events->events.end());
            return;
        }
    }
    m_queue.push_back({id, std::move(item)});
}

void EngineBridge::drain() {
    std::vector<Queued> queue;
    std::vector<std::pair<quint64, UtilizationSample>> samples;
    {
        std::lock_guard lk(m_mutex);
        queue.swap(m_queue);
        samples.swap(m_samples);
    }
    std::vector<UtilizationSample> current;
    for (auto& [id, s] : samples)
        if (id == m_currentId) current.push_back(std::move(s));
    if (!current.empty()) emit utilization(m_currentId, current);

    for (auto& q : queue) {
        if (q.id != m_currentId) continue;  // a replaced experiment: drop
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Started>)
                    emit experimentStarted(q.id, v.planned);
                else if constexpr (std::is_same_v<T, RunBegin>)
                    emit runStarted(q.id, v.run, v.config);
                else if constexpr (std::is_same_v<T, Events>)
                    emit taskEvents(q.id, v.run, v.events);
                else if constexpr (std::is_same_v<T, Progress>)
                    emit progress(q.id, v.run, v.done, v.total);
                else if constexpr (std::is_same_v<T, RunEnd>)
                    emit runFinished(q.id, v.run, v.result);
                else if constexpr (std::is_same_v<T, Finished>) {
                    m_running = false;
                    emit experimentFinished(q.id, v.result);
                }
            },
            q.item);
    }
    // The engine thread ended without an experimentFinished: it threw.
    if (m_job && m_running && m_job->runner->finished()) {
        try {
            m_job->runner->wait();
        } catch (const std::exception& e) {
            m_running = false;
            emit experimentFailed(m_job->id, QString::fromStdString(e.what()));
        }
    }
    reapRetired();
}

void EngineBridge::reapRetired() {
    // Destroying a Runner joins its thread: only do it once that thread is done.
    std::erase_if(m_retired, [](const std::unique_ptr<Job>& j) { return j->runner->finished(); });
}

}  // namespace coreduel::ui
