#include "app/cli_options.h"

#include "core/workloads/params.h"

namespace coreduel::app {

void addExperimentOptions(CLI::App& cmd, ExperimentFlags& f) {
    cmd.add_option("-w,--workload", f.workload, "workload to run (see 'coreduel-cli list')")
        ->capture_default_str();
    cmd.add_option("-p,--param", f.params, "workload parameter NAME=VALUE (repeatable)");
    cmd.add_option("-m,--models", f.models,
                   "comma-separated models: sequential, threads, gil-threads, processes, or all")
        ->capture_default_str();
    cmd.add_option("-n,--workers", f.workers, "worker counts: 1,2,4 or 1-8 or cores")
        ->capture_default_str();
    cmd.add_option("--start-method", f.startMethod, "processes: spawn, forkserver or fork")
        ->capture_default_str();
    cmd.add_option("--chunksize", f.chunksize, "tasks per chunk (0: Python's rule, ceil(tasks/(4*workers)))")
        ->capture_default_str();
    cmd.add_option("--schedule", f.schedule,
                   "dynamic (idle workers take the next chunk, as Pool.map) or static (round-robin plan)")
        ->capture_default_str();
    cmd.add_option("-r,--repetitions", f.repetitions, "runs per configuration")->capture_default_str();
    cmd.add_option("--warmup", f.warmups, "unreported warm-up runs per configuration")->capture_default_str();
    cmd.add_option("--gil-interval-ms", f.gilIntervalMs, "gil-threads: switch interval in ms (CPython: 5)")
        ->capture_default_str();
    cmd.add_flag("--gil-released", f.gilReleased,
                 "gil-threads: tasks are native code that releases the lock (like NumPy)");
    cmd.add_option("--timeout", f.timeoutSeconds, "per-task timeout in seconds (0: none)")
        ->capture_default_str();
    cmd.add_option("-t,--transport", f.transport, "processes: pipe, unix, mqueue or shm")->capture_default_str();
    cmd.add_option("--sample-hz", f.sampleHz, "per-core sampling rate in Hz (0: off)")->capture_default_str();
    cmd.add_option("--payload", f.payload,
                   "processes: extra bytes sent with every task and returned with every result (like "
                   "pickled arguments)")
        ->capture_default_str();
}

Experiment toExperiment(const ExperimentFlags& f) {
    Experiment e;
    e.workload = f.workload;
    for (const auto& p : f.params) {
        auto [k, v] = splitKeyValue(p);
        if (e.params.count(k)) throw InvalidArgument("parameter '" + k + "' given twice");
        e.params[k] = v;
    }
    e.models = parseModels(f.models);
    e.workerCounts = parseWorkerCounts(f.workers);
    e.startMethod = parseStartMethod(f.startMethod);
    e.chunksize = f.chunksize;
    e.schedule = parseSchedule(f.schedule);
    e.repetitions = f.repetitions;
    e.warmups = f.warmups;
    e.gilSwitchIntervalMs = f.gilIntervalMs;
    e.gilReleasedByTasks = f.gilReleased;
    e.taskTimeoutSeconds = f.timeoutSeconds;
    e.transport = parseTransport(f.transport);
    e.sampleHz = f.sampleHz;
    e.payloadBytes = f.payload;
    validate(e);
    return e;
}

}  // namespace coreduel::app
