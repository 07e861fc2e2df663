#pragma once
// One engine, several listeners: forwards every event to each sink in turn (the terminal or
// the window, and a session recorder). Called like any sink: the engine thread, and the
// sampler's thread for utilization().

#include <vector>

#include "core/run/event_sink.h"

namespace coreduel {

class TeeSink final : public EventSink {
public:
    explicit TeeSink(std::vector<EventSink*> sinks) : m_sinks(std::move(sinks)) {}

    void experimentStarted(const Experiment& e, std::size_t planned) override {
        for (auto* s : m_sinks) s->experimentStarted(e, planned);
    }
    void runStarted(std::size_t run, const RunConfig& c) override {
        for (auto* s : m_sinks) s->runStarted(run, c);
    }
    void taskEvents(std::size_t run, std::span<const TaskEvent> events) override {
        for (auto* s : m_sinks) s->taskEvents(run, events);
    }
    void gilTimeline(std::size_t run, const GilTimeline& t) override {
        for (auto* s : m_sinks) s->gilTimeline(run, t);
    }
    void progress(std::size_t run, std::size_t done, std::size_t total) override {
        for (auto* s : m_sinks) s->progress(run, done, total);
    }
    void runFinished(std::size_t run, const RunResult& r) override {
        for (auto* s : m_sinks) s->runFinished(run, r);
    }
    void experimentFinished(const ExperimentResult& r) override {
        for (auto* s : m_sinks) s->experimentFinished(r);
    }
    void utilization(const UtilizationSample& sample) override {
        for (auto* s : m_sinks) s->utilization(sample);
    }

private:
    std::vector<EventSink*> m_sinks;
};

}  // namespace coreduel
