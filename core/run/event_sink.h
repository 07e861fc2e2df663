#pragma once
// The engine's only way to talk to the outside (CLI, GUI, tests). Every call comes from the
// engine thread; a GUI bridge turns them into queued signals. No Qt here.

#include <cstddef>
#include <span>
#include <string>

#include "core/exec/exec_result.h"
#include "core/measure/cpu_sampler.h"
#include "core/run/result.h"

namespace coreduel {

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void experimentStarted(const Experiment& /*e*/, std::size_t /*plannedRuns*/) {}
    virtual void runStarted(std::size_t /*runIndex*/, const RunConfig& /*c*/) {}
    /// Batches of task events, in the order the engine received them.
    virtual void taskEvents(std::size_t /*runIndex*/, std::span<const TaskEvent> /*events*/) {}
    /// gil-threads: the run's exact GIL holds and waits, once its workers have finished (after
    /// its last taskEvents, before its runFinished).
    virtual void gilTimeline(std::size_t /*runIndex*/, const GilTimeline& /*timeline*/) {}
    virtual void progress(std::size_t /*runIndex*/, std::size_t /*tasksDone*/,
                          std::size_t /*tasksTotal*/) {}
    virtual void runFinished(std::size_t /*runIndex*/, const RunResult& /*r*/) {}
    virtual void experimentFinished(const ExperimentResult& /*r*/) {}
    /// Live per-core and per-worker sample. Called on the sampler's own thread, not the
    /// engine's: an implementation must only copy or queue it.
    virtual void utilization(const UtilizationSample& /*s*/) {}
};

}  // namespace coreduel
