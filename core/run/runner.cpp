#include "core/run/runner.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "core/exec/executor.h"
#include "core/measure/cpu_sampler.h"
#include "core/run/executors.h"
#include "core/run/proc_self.h"
#include "core/util/hash.h"
#include "core/workloads/repeated.h"
#include "core/workloads/workload.h"

namespace coreduel {

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double mean(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

/// The live, provisional speedup of a run that just ended: the baseline's mean so far over its
/// wall, the estimator applyAnalysis() uses with the final baseline.
void setSpeedup(RunResult& r, const std::vector<double>& baselineWalls, bool weak) {
    const std::optional<double> baselineWall =
        baselineWalls.empty() ? std::nullopt : std::optional<double>(mean(baselineWalls));
    r.speedup.reset();
    r.efficiency.reset();
    if (!r.ok || !baselineWall || r.wallSeconds <= 0) return;
    r.speedup = *baselineWall / r.wallSeconds;
    // Weak scaling: p times the work in that time.
    if (weak && !isSequential(r.config.model) && r.config.workers > 1)
        *r.speedup *= r.config.workers;
    r.efficiency = *r.speedup / r.config.workers;
}

/// What every run's checksum is compared with (the native sequential run, or py:sequential for
/// a workload that only the interpreter runs: a user's Python function), and the baselines'
/// wall times so far, native and the interpreter's.
struct Baselines {
    Model model = Model::Sequential;
    bool have = false;
    std::vector<double> walls;
    /// Per interpreter spec: each interpreter's py: runs against its own py:sequential.
    std::map<std::string, std::vector<double>> pythonWalls;

    [[nodiscard]] const std::vector<double>& wallsOf(const RunConfig& c) const {
        if (!isPython(c.model)) return walls;
        static const std::vector<double> none;
        const auto it = pythonWalls.find(c.python);
        return it == pythonWalls.end() ? none : it->second;
    }
    void addWall(const RunConfig& c, double seconds, ExperimentResult& result) {
        auto& v = isPython(c.model) ? pythonWalls[c.python] : walls;
        v.push_back(seconds);
        // The result's one py: baseline is the first interpreter's (the list's order).
        if (!isPython(c.model))
            result.baselineWallSeconds = median(v);
        else if (c.interpreter == 0)
            result.pythonBaselineWallSeconds = median(v);
    }

    /// Verification before speedup: a run whose checksum differs from the baseline's fails.
    void verify(RunResult& r, const RunConfig& config, ExperimentResult& result) {
        if (!r.ok) return;
        if (config.model == model) {
            if (!have) {
                result.baselineChecksum = r.checksum;
                have = true;
            }
            if (r.checksum != result.baselineChecksum) {
                r.ok = false;
                r.error = "the sequential runs disagree with each other (checksum differs)";
            } else if (!config.warmup) {
                addWall(config, r.wallSeconds, result);
            }
        } else if (!have) {
            r.error = "not verified: the sequential baseline did not succeed";
            r.ok = false;
        } else if (r.checksum != result.baselineChecksum) {
            r.ok = false;
            char buf[96];
            std::snprintf(buf, sizeof buf,
                          "wrong result: checksum %016llx, sequential gave %016llx",
                          static_cast<unsigned long long>(r.checksum),
                          static_cast<unsigned long long>(result.baselineChecksum));
            r.error = buf;
        } else if (config.model == Model::PySequential && !config.warmup) {
            addWall(config, r.wallSeconds, result);
        }
    }
};

/// py: runs: which interpreter ran it, and its GIL as measured inside the run.
void copyInterpreter(RunResult& r, const ExecOutcome& out) {
    r.interpreter = out.interpreter;
    r.interpreterLabel = out.interpreterLabel;
    r.freeThreadedBuild = out.freeThreadedBuild;
    r.gilEnabled = out.gilEnabled;
}

/// Removes the workload's temporary data whatever way the experiment ends.
struct CleanupGuard {
    Workload& workload;
    ~CleanupGuard() { workload.cleanup(); }
};

/// A finished run's results: the measurements its tasks made moved out (convoy's delays), the
/// rest checksummed and summarised; `r.ok` once they read.
void verifyResults(RunResult& r, const Workload& workload, ExecOutcome& out,
                   std::vector<std::vector<std::byte>>* keepResults) {
    try {
        r.latency = summarizeLatency(workload.takeMeasurements(out.results));
        Checksum sum;
        for (const auto& res : out.results) sum.add(std::span<const std::byte>(res));
        r.checksum = sum.value();
        if (keepResults != nullptr) *keepResults = out.results;
        r.summary = out.summary ? *out.summary : workload.summarize(out.results);
        r.ok = true;
    } catch (const std::exception& e) {
        r.error = std::string("could not read the results: ") + e.what();
    }
}

/// The experiment's workload, built (a user's code loaded): one that does not load, or cannot
/// run under a model asked for, is a bad experiment, not a run that started and failed.
/// `askModels`: the workload is asked about each model (validate() did not load it to ask).
std::unique_ptr<Workload> loadedWorkload(const Experiment& e, bool askModels) {
    auto workload = buildWorkload(e);
    if (askModels)
        for (Model m : e.models)
            if (auto why = workload->whyNotUnder(m); !why.empty()) throw InvalidArgument(why);
    return workload;
}

}  // namespace

Runner::Runner(Experiment experiment, bool loadUserCode)
    : m_experiment(std::move(experiment)), m_userCodeChecked(loadUserCode) {
    validate(m_experiment, loadUserCode);
}

Runner::~Runner() {
    cancel();
    // jthread joins; the engine thread notices cancellation within one poll interval.
}

void Runner::start(EventSink& sink) {
    m_thread = std::jthread([this, &sink] {
        try {
            m_result = run(sink);
        } catch (...) {
            m_failure = std::current_exception();
        }
        m_finished.store(true);
    });
}

ExperimentResult Runner::wait() {
    if (m_thread.joinable()) m_thread.join();
    if (m_failure) std::rethrow_exception(m_failure);
    if (!m_result) throw std::logic_error("Runner::wait() without start()");
    return *m_result;
}

ExperimentResult Runner::run(EventSink& sink) {
    ExperimentResult result;
    result.experiment = m_experiment;
    result.environment = probeEnvironment();
    const auto plan = planRuns(m_experiment);
    // Before the start is announced: user code that does not load is a bad experiment.
    auto workload = loadedWorkload(m_experiment, /*askModels=*/!m_userCodeChecked);
    sink.experimentStarted(m_experiment, reportedRunCount(m_experiment));
    // Warm-up runs are measured like any other but shown and reported nowhere: their events
    // go here. Reported runs are numbered 0, 1, ... in the order they run.
    EventSink quiet;
    std::size_t reported = 0;
    // Which file ran: its path, hash and size.
    for (auto& [k, v] : workload->recordedParams()) result.experiment.params[k] = v;
    // Opened here, on the engine thread, so that `inherit` follows what this thread starts.
    m_counters = std::make_unique<PerfCounters>();
    CleanupGuard cleanup{*workload};
    workload->prepare();
    std::atomic<std::size_t> samples{0};
    std::unique_ptr<CpuSampler> sampler;
    MachineLoadMeter load;
    if (m_experiment.sampleHz > 0) {
        sampler = std::make_unique<CpuSampler>(m_experiment.sampleHz, [&](UtilizationSample&& s) {
            absorb(s);
            load.add(s);
            ++samples;
            sink.utilization(s);
        });
        result.sampler = sampler->info();
        sampler->start();
    }

    // Each family of models resolves what it needs (an interpreter, mpirun) once, here.
    Executors executors(m_experiment, plan, m_cancel);

    Baselines baselines;
    if (pythonOnlyWorkload(m_experiment.workload)) baselines.model = Model::PySequential;
    std::vector<std::vector<std::byte>> baselineResults;  // weak scaling only
    for (std::size_t i = 0; i < plan.size(); ++i) {
        if (m_cancel.load()) {
            result.cancelled = true;
            break;
        }
        const auto& config = plan[i];
        EventSink& runSink = config.warmup ? quiet : sink;
        const std::size_t index = config.warmup ? 0 : reported;
        runSink.runStarted(index, config);
        Executor& executor = executors.of(config.model);
        executor.beforeRun(config);  // shared by the runs, not timed (the fork server)
        // Weak scaling: p workers do p copies of the job, checked against the baseline's own
        // results repeated p times.
        const bool scaled =
            m_experiment.weakScaling && !isSequential(config.model) && config.workers > 1;
        std::unique_ptr<Workload> copies;
        if (scaled) copies = std::make_unique<RepeatedWorkload>(*workload, config.workers);
        const bool keep =
            m_experiment.weakScaling && config.model == baselines.model && !baselines.have;
        load.beginRun();
        RunResult r = executeRun(scaled ? *copies : *workload, config, index, executor, runSink,
                                 sampler.get(), keep ? &baselineResults : nullptr);
        load.endRun();
        if (scaled && r.ok) {
            Checksum expected;
            for (unsigned c = 0; c < config.workers; ++c)
                for (const auto& res : baselineResults)
                    expected.add(std::span<const std::byte>(res));
            r.checksum = r.checksum == expected.value() ? result.baselineChecksum : r.checksum;
        }
        if (r.cancelled) result.cancelled = true;

        baselines.verify(r, config, result);
        // Every interpreter of the axis, each once, in the order they first ran.
        if (!r.interpreter.empty() &&
            result.environment.python.find(r.interpreter) == std::string::npos)
            result.environment.python +=
                (result.environment.python.empty() ? "" : "; ") + r.interpreter;
        // Provisional while the baseline's repetitions are still coming (they are interleaved
        // with the others); every speedup is set again from the final baseline below.
        setSpeedup(r, baselines.wallsOf(config), m_experiment.weakScaling);
        if (!config.warmup) {
            sink.runFinished(reported++, r);
            result.runs.push_back(std::move(r));
        }
        if (result.cancelled) break;
    }
    if (sampler) {
        sampler->stop();
        result.samples = samples.load();
        result.machineLoad = load.result();
        if (sampler->ranSeconds() > 0)
            result.samplerCostPct = 100.0 * sampler->ownCpuSeconds() / sampler->ranSeconds();
    }
    m_counters.reset();  // their descriptors go with the experiment
    applyAnalysis(result);
    sink.experimentFinished(result);
    return result;
}

void Runner::absorb(const UtilizationSample& s) {
    std::lock_guard lk(m_live.mutex);
    for (const auto& w : s.workers) {
        auto& live = m_live.byTask[{w.pid, w.tid}];
        live.migrations = w.stat.migrations;
        live.lastCpu = w.stat.lastCpu;
        live.peakPssKib = std::max(live.peakPssKib, w.pssKib);
        live.peakSampledRssKib = std::max(live.peakSampledRssKib, w.rssKib);
    }
}

void Runner::mergeLive(RunResult& r) {
    std::lock_guard lk(m_live.mutex);
    for (auto& w : r.workers) {
        auto it = m_live.byTask.find({w.pid, w.tid});
        if (it == m_live.byTask.end()) continue;
        w.migrations = it->second.migrations;
        w.lastCpu = it->second.lastCpu;
        w.peakPssKib = it->second.peakPssKib;
        w.peakSampledRssKib = it->second.peakSampledRssKib;
    }
    m_live.byTask.clear();
}

RunResult Runner::executeRun(Workload& workload, const RunConfig& config, std::size_t index,
                             Executor& executor, EventSink& sink, CpuSampler* sampler,
                             std::vector<std::vector<std::byte>>* keepResults) {
    RunResult r;
    r.config = config;
    r.workload = workload.name();
    r.tasks = workload.taskCount();
    if (!executor.unavailable().empty()) {
        r.error = executor.unavailable();  // every other run still happens
        return r;
    }

    ExecRequest req{workload,
                    config,
                    m_cancel,
                    [&](std::vector<TaskEvent>&& events) { sink.taskEvents(index, events); },
                    [&](std::size_t done, std::size_t total) { sink.progress(index, done, total); },
                    [sampler](std::uint32_t worker, std::int32_t pid, std::int32_t tid) {
                        if (sampler != nullptr) sampler->addWatched({worker, pid, tid});
                    }};
    {
        std::lock_guard lk(m_live.mutex);
        m_live.byTask.clear();
    }

    workload.beforeRun(config);
    resetPeakRss();
    if (m_counters) m_counters->start();
    const auto usageBefore = threadUsage();
    const auto t0 = std::chrono::steady_clock::now();
    ExecOutcome out;
    try {
        // The executor's own timing rules: whose serial part counts, which window is the wall.
        out = executor.run(req, workload);
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    const auto t1 = std::chrono::steady_clock::now();
    const auto usageAfter = threadUsage();
    if (m_counters) r.counters = m_counters->stop();
    if (sampler != nullptr) sampler->watch({});

    r.wallSeconds = out.wallNs ? static_cast<double>(*out.wallNs) / 1e9
                               : std::chrono::duration<double>(t1 - t0).count();
    std::int64_t userNs = usageAfter.userNs - usageBefore.userNs + out.otherCpuUserNs;
    std::int64_t systemNs = usageAfter.systemNs - usageBefore.systemNs + out.otherCpuSystemNs;
    r.interpreterStartupSeconds = static_cast<double>(out.interpreterStartupNs) / 1e9;
    r.gilWaitInferred = out.gilWaitInferred;
    r.mpi = std::move(out.mpi);
    copyInterpreter(r, out);
    r.voluntarySwitches = usageAfter.voluntary - usageBefore.voluntary;
    r.involuntarySwitches = usageAfter.involuntary - usageBefore.involuntary;
    r.enginePeakRssKib = isPython(config.model) ? out.interpreterPeakRssKib : peakRssKib();
    r.maxProcessRssKib = r.enginePeakRssKib;
    double startupSum = 0;
    for (const auto& w : out.workers) {
        userNs += w.cpuUserNs;
        systemNs += w.cpuSystemNs;
        r.voluntarySwitches += w.voluntarySwitches;
        r.involuntarySwitches += w.involuntarySwitches;
        r.workersPeakRssKib += w.maxRssKib;
        r.maxProcessRssKib = std::max(r.maxProcessRssKib, w.maxRssKib);
        r.bytesToWorkers += w.bytesSent;
        r.bytesFromWorkers += w.bytesReceived;
        r.gil += w.gil;
        r.time += w.time;
        startupSum += static_cast<double>(w.startupNs) / 1e9;
    }
    r.cpuUserSeconds = static_cast<double>(userNs) / 1e9;
    r.cpuSystemSeconds = static_cast<double>(systemNs) / 1e9;
    r.meanStartupSeconds =
        out.workers.empty() ? 0 : startupSum / static_cast<double>(out.workers.size());
    r.chunks = out.chunks;
    r.chunksize = out.chunksize;
    r.gilSwitches = out.gilSwitches;
    if (out.gilTimeline.recorded()) sink.gilTimeline(index, out.gilTimeline);
    r.workers = std::move(out.workers);
    mergeLive(r);
    r.cancelled = out.cancelled;
    if (out.cancelled) {
        r.error = "cancelled";
    } else if (!out.error.empty()) {
        r.error = out.error;
    } else {
        verifyResults(r, workload, out, keepResults);
    }
    return r;
}

}  // namespace coreduel
