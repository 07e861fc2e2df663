#include "app/cli_options.h"

#include "core/report/schema.h"
#include "core/workloads/params.h"

namespace coreduel::app {

void addExperimentOptions(CLI::App& cmd, ExperimentFlags& f) {
    cmd.add_option("-f,--file", f.file,
                   "experiment file (coreduel.experiment/1, or a result file); flags override it")
        ->check(CLI::ExistingFile);
    cmd.add_option("-w,--workload", f.workload, "workload to run (see 'coreduel-cli list')")
        ->capture_default_str();
    cmd.add_option("-p,--param", f.params, "workload parameter NAME=VALUE (repeatable)");
    cmd.add_option("-m,--models", f.models,
                   "comma-separated models: sequential, threads, gil-threads, processes (or all); "
                   "py:sequential, py:threads, py:processes (or py:all) run the same tasks in a "
                   "real Python interpreter; mpi runs them on the ranks of an Open MPI job")
        ->capture_default_str();
    cmd.add_option("-n,--workers", f.workers, "worker counts: 1,2,4 or 1-8 or cores")
        ->capture_default_str();
    cmd.add_option("--python", f.python,
                   "the interpreters of the py: models, comma-separated: each a path or a name "
                   "on PATH, with :gil=1 or :gil=0 for PYTHON_GIL (default python3); every py: "
                   "model runs under each (coreduel-cli list shows those found)");
    cmd.add_option("--mpirun", f.mpirun,
                   "the mpi model's launcher: a path or a name on PATH (default mpirun)");
    cmd.add_option("--hostfile", f.hostfile,
                   "the mpi model's hosts, an Open MPI hostfile (default: this machine only)")
        ->check(CLI::ExistingFile);
    cmd.add_option("--start-method", f.startMethod,
                   "processes and py:processes: spawn, forkserver or fork")
        ->capture_default_str();
    cmd.add_option("--chunksize", f.chunksize,
                   "tasks per chunk (0: Python's rule, ceil(tasks/(4*workers))); a list like "
                   "1,4,16 sweeps it")
        ->capture_default_str();
    cmd.add_option(
           "--schedule", f.schedule,
           "dynamic (idle workers take the next chunk, as Pool.map) or static (round-robin plan)")
        ->capture_default_str();
    cmd.add_option("-r,--repetitions", f.repetitions, "runs per configuration")
        ->capture_default_str();
    cmd.add_option("--warmup", f.warmups, "unreported warm-up runs per configuration")
        ->capture_default_str();
    cmd.add_option("--seed", f.seed,
                   "run order: each round of repetitions is shuffled with this seed (printed with "
                   "the results; 0: no shuffle; default: a new random seed)");
    cmd.add_option("--gil-interval-ms", f.gilIntervalMs,
                   "gil-threads: switch interval in ms (CPython: 5)")
        ->capture_default_str();
    cmd.add_flag("--gil-released", f.gilReleased,
                 "gil-threads: tasks are native code that releases the lock (like NumPy)");
    cmd.add_option("--timeout", f.timeoutSeconds, "per-task timeout in seconds (0: none)")
        ->capture_default_str();
    cmd.add_option("-t,--transport", f.transport, "processes: pipe, unix, mqueue or shm")
        ->capture_default_str();
    cmd.add_option("--sample-hz", f.sampleHz, "per-core sampling rate in Hz (0: off)")
        ->capture_default_str();
    cmd.add_option(
           "--payload", f.payload,
           "processes: extra bytes sent with every task and returned with every result (like "
           "pickled arguments)")
        ->capture_default_str();
    cmd.add_flag("--weak", f.weak,
                 "weak scaling: p workers do p copies of the job (Gustafson's scaled speedup)");
}

Experiment toExperiment(const CLI::App& cmd, const ExperimentFlags& f) {
    const bool fromFile = !f.file.empty();
    Experiment e = fromFile ? loadExperimentFile(f.file) : Experiment{};
    // Without a file every option counts (its default included); with one, only those typed.
    auto given = [&](const char* name) { return !fromFile || cmd.count(name) > 0; };
    if (given("--workload")) {
        if (fromFile && f.workload != e.workload)
            e.params.clear();  // another workload's parameters
        e.workload = f.workload;
    }
    std::map<std::string, std::string> seen;
    for (const auto& p : f.params) {
        auto [k, v] = splitKeyValue(p);
        if (seen.count(k)) throw InvalidArgument("parameter '" + k + "' given twice");
        seen[k] = v;
        e.params[k] = v;
    }
    if (given("--models")) e.models = parseModels(f.models);
    // A Python function runs only in the interpreter: without -m, under its three models.
    if (!fromFile && cmd.count("--models") == 0 && pythonOnlyWorkload(e.workload))
        e.models = {Model::PySequential, Model::PyThreads, Model::PyProcesses};
    if (given("--workers")) e.workerCounts = parseWorkerCounts(f.workers);
    if (given("--start-method")) e.startMethod = parseStartMethod(f.startMethod);
    if (given("--chunksize")) e.chunksizes = parseChunksizes(f.chunksize);
    if (given("--schedule")) e.schedule = parseSchedule(f.schedule);
    if (given("--repetitions")) e.repetitions = f.repetitions;
    if (given("--warmup")) e.warmups = f.warmups;
    if (given("--gil-interval-ms")) e.gilSwitchIntervalMs = f.gilIntervalMs;
    if (given("--gil-released")) e.gilReleasedByTasks = f.gilReleased;
    if (given("--timeout")) e.taskTimeoutSeconds = f.timeoutSeconds;
    if (given("--transport")) e.transport = parseTransport(f.transport);
    if (given("--sample-hz")) e.sampleHz = f.sampleHz;
    if (given("--payload")) e.payloadBytes = f.payload;
    if (given("--weak")) e.weakScaling = f.weak;
    if (given("--python")) e.python = f.python;
    if (given("--mpirun")) e.mpirun = f.mpirun;
    if (given("--hostfile")) e.hostfile = f.hostfile;
    // Typed: that order. Otherwise the file's, or a fresh one: every run order is shuffled
    // and printed, so drift hits every model alike and the order can be repeated.
    if (cmd.count("--seed") > 0)
        e.seed = f.seed;
    else if (e.seed == 0)
        e.seed = randomSeed();
    validate(e);
    return e;
}

}  // namespace coreduel::app
