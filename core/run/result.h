#pragma once
// What an experiment reports: one RunResult per run, plus where it ran.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/exec/exec_result.h"
#include "core/measure/cpu_sampler.h"
#include "core/measure/perf_counters.h"
#include "core/run/analysis.h"
#include "core/run/experiment.h"
#include "core/run/machine_load.h"
#include "core/vocab/model.h"

namespace coreduel {

/// A latency probe's delays in one run (the convoy workload: how late each ping was answered
/// after its sleep), measured by the probe itself with CLOCK_MONOTONIC.
struct LatencySummary {
    std::size_t count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};
/// Nearest-rank p50, p99 and the largest of `delaysNs`; nullopt when there are none.
std::optional<LatencySummary> summarizeLatency(std::vector<std::int64_t> delaysNs);

struct RunResult {
    RunConfig config;
    std::string workload;
    bool ok = false;
    bool cancelled = false;
    std::string error;  ///< why the run failed; empty when ok

    double wallSeconds = 0;  ///< steady clock, from the first worker's start to the last one's end
    double cpuUserSeconds = 0;  ///< engine thread + every worker (thread or process)
    double cpuSystemSeconds = 0;
    std::int64_t enginePeakRssKib = 0;   ///< VmHWM of the engine process during the run
    std::int64_t workersPeakRssKib = 0;  ///< sum of the worker processes' peak RSS
    std::int64_t maxProcessRssKib = 0;   ///< the largest single process
    std::uint64_t voluntarySwitches = 0;
    std::uint64_t involuntarySwitches = 0;

    std::uint64_t checksum = 0;
    std::string summary;               ///< the workload's readable account of its results
    std::optional<double> speedup;     ///< baseline median wall / this wall; only for verified runs
    std::optional<double> efficiency;  ///< speedup / workers

    std::size_t tasks = 0;
    std::size_t chunks = 0;
    std::size_t chunksize = 0;
    std::uint64_t bytesToWorkers = 0;
    std::uint64_t bytesFromWorkers = 0;
    double meanStartupSeconds = 0;  ///< per worker
    std::uint64_t gilSwitches = 0;
    GilThreadStats gil;  ///< summed over threads
    TimeBreakdown time;  ///< summed over workers: what parallelism cost
    std::vector<WorkerStats> workers;
    std::vector<CounterValue> counters;  ///< perf_event_open, engine thread + its descendants
    /// py: models: the interpreter's start-up (spawned -> ready for the job), not in the wall
    /// time, which is the interpreter's own timed window around its loop or pool.
    double interpreterStartupSeconds = 0;
    std::string interpreter;  ///< py: models: which interpreter ran it
    /// py: models: "CPython 3.11", "CPython 3.13t (no GIL)": its short name in every view.
    std::string interpreterLabel;
    bool freeThreadedBuild = false;  ///< py: models: built with --disable-gil (Py_GIL_DISABLED)
    /// py: models: sys._is_gil_enabled() measured inside the run, after the workload's
    /// imports; nullopt when not known (a failed run, an old file).
    std::optional<bool> gilEnabled;
    /// py:threads on CPU-bound work: the GIL waits are inferred from time off CPU, not measured.
    bool gilWaitInferred = false;
    /// mpi: where each rank ran, its clock against the engine's, every host's cores; its
    /// launch (mpirun -> every rank ready) is outside the wall time, like an MPI program's
    /// own timer after MPI_Init.
    std::optional<MpiRunInfo> mpi;
    /// convoy: the probe's delays (workload takeMeasurements); nullopt for other workloads.
    std::optional<LatencySummary> latency;
};

/// Where the numbers were taken: what a reader needs to judge them.
struct Environment {
    std::string cpuModel;
    unsigned logicalCpus = 0;
    unsigned physicalCores = 0;   ///< distinct (package, core) pairs in sysfs topology
    unsigned threadsPerCore = 1;  ///< SMT siblings
    unsigned allowedCpus = 0;     ///< sched_getaffinity: what this process may run on
    std::string affinity;         ///< e.g. "0-1"
    std::string governor;         ///< cpufreq scaling governor, or "unknown (no cpufreq)"
    std::string kernel;
    double loadAverage1m = 0;
    std::int64_t memoryKib = 0;
    std::string hardwareCounters;  ///< "available", or why not
    std::string compiler;
    /// The interpreter of the py: runs ("CPython 3.11.2 (/usr/bin/python3), GIL enabled"), or "".
    std::string python;
};
Environment probeEnvironment();

struct ExperimentResult {
    Experiment experiment;
    Environment environment;
    std::vector<RunResult> runs;  ///< warm-up runs are not included
    bool cancelled = false;
    std::uint64_t baselineChecksum = 0;
    std::optional<double> baselineWallSeconds;  ///< median of the sequential repetitions
    /// Median of the py:sequential repetitions: the py: models' speedups are against it.
    std::optional<double> pythonBaselineWallSeconds;
    Analysis analysis;          ///< statistics over the repetitions and the scaling fits
    SamplerInfo sampler;        ///< sources and resolution of the live samples
    double samplerCostPct = 0;  ///< the sampler thread's CPU time, % of one core while it ran
    std::size_t samples = 0;
    MachineLoad machineLoad;  ///< what other programs used during the runs (from the samples)

    [[nodiscard]] bool allOk() const;
    /// The runs grouped as tables list them (display order of their configuration, then
    /// repetition), whatever shuffled order they ran in.
    [[nodiscard]] std::vector<const RunResult*> runsInDisplayOrder() const;
};

}  // namespace coreduel
