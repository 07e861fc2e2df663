#pragma once
// Runs an experiment on its own thread (or the caller's), reports through an EventSink, and
// can be cancelled at any moment: threads stop at their next check point, worker processes
// are killed and reaped, temporary files removed.

#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/measure/perf_counters.h"
#include "core/run/event_sink.h"
#include "core/run/experiment.h"
#include "core/run/result.h"

namespace coreduel {

class Runner {
public:
    /// Validates the experiment; throws InvalidArgument before anything runs. `loadUserCode`
    /// false (a window's GUI thread, which must not wait on an interpreter or a dlopen): a
    /// user's code is checked against its declaration here and loaded by run(), whose
    /// InvalidArgument then says what is wrong with it, before experimentStarted.
    explicit Runner(Experiment experiment, bool loadUserCode = true);
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    /// Runs on the calling thread.
    ExperimentResult run(EventSink& sink);
    /// Runs on an engine thread of its own; `sink` must outlive wait().
    void start(EventSink& sink);
    /// Asks the experiment to stop; safe from any thread, returns at once.
    void cancel() { m_cancel.store(true); }
    /// Waits for start()'s thread; rethrows what it threw.
    ExperimentResult wait();
    /// True once start()'s thread has finished (wait() will not block).
    [[nodiscard]] bool finished() const { return m_finished.load(); }

private:
    /// What the sampler saw of each worker of the current run (written on its thread).
    struct LiveWorkers {
        std::mutex mutex;
        std::map<std::pair<std::int32_t, std::int32_t>, WorkerStats> byTask;  // (pid, tid)
    };

    RunResult executeRun(class Workload& workload, const RunConfig& config, std::size_t index,
                         class Executor& executor, EventSink& sink, CpuSampler* sampler,
                         std::vector<std::vector<std::byte>>* keepResults = nullptr);
    void absorb(const UtilizationSample& s);
    void mergeLive(RunResult& r);

    LiveWorkers m_live;
    std::unique_ptr<PerfCounters> m_counters;

    Experiment m_experiment;
    bool m_userCodeChecked = true;  ///< the constructor loaded the workload and asked it
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_finished{false};
    std::jthread m_thread;
    std::optional<ExperimentResult> m_result;
    std::exception_ptr m_failure;
};

}  // namespace coreduel
