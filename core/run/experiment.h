#pragma once
// An experiment: one workload with its parameters, run under several models and worker counts,
// each configuration repeated. The sequential baseline is always part of it, because every
// speedup is measured against it.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/vocab/model.h"

namespace coreduel {

class Workload;

struct Experiment {
    std::string workload = "primes";
    std::map<std::string, std::string> params;
    std::vector<Model> models = allModels();
    std::vector<unsigned> workerCounts = {1, 2};
    StartMethod startMethod = StartMethod::Spawn;
    /// Tasks per chunk; several values sweep it. 0: Python's rule per worker count.
    std::vector<std::size_t> chunksizes = {0};
    Schedule schedule = Schedule::Dynamic;
    unsigned repetitions = 1;
    unsigned warmups = 0;  ///< unreported runs before each configuration
    double gilSwitchIntervalMs = 5.0;
    bool gilReleasedByTasks = false;
    double taskTimeoutSeconds = 0;
    Transport transport = Transport::Pipe;
    std::size_t payloadBytes = 0;  ///< processes: extra bytes with every task and result
    /// Weak scaling (Gustafson): p workers get p copies of the job; the reported speedup is the
    /// scaled speedup p x T(1) / T(p).
    bool weakScaling = false;
    double sampleHz = 20;  ///< per-core / per-worker sampling rate; 0: no sampler
    /// Seed of the shuffle of each round of repetitions (see planRuns); 0: no shuffle, the
    /// display order. The CLI and the window pick a random one unless told, and print it.
    std::uint64_t seed = 0;
    /// The interpreter of the py: models: a path, or a name looked up on PATH; "" = python3.
    std::string python;
    /// The mpi model's launcher: a path, or a name looked up on PATH; "" = mpirun.
    std::string mpirun;
    /// The mpi model's hosts (an Open MPI hostfile); "" = this machine only.
    std::string hostfile;
};

/// Throws InvalidArgument with a message saying what is allowed. `loadUserCode` false (reading
/// a file): a workload of user code is checked against its declaration only, not loaded.
void validate(const Experiment& e, bool loadUserCode = true);

/// Builds e's workload (for a Python function with e's interpreter, which reads its inputs).
std::unique_ptr<Workload> buildWorkload(const Experiment& e);
/// True for a workload that runs only under the py: models (WorkloadInfo::pythonOnly): its
/// checksum baseline is py:sequential, and no native sequential run is planned.
bool pythonOnlyWorkload(const std::string& workload);

/// The runs an experiment consists of, in the order they execute. First the warm-ups: the
/// sequential baseline's (at least one, so the baseline never runs cold and its checksum is
/// known before anything is verified against it), then `warmups` for every other
/// configuration. Then `repetitions` rounds; each round runs every configuration once, in an
/// order shuffled with `e.seed` (none with seed 0), so drift, cache warm-up and other
/// programs hit every model alike rather than whichever ran first or last. With any py:
/// model, py:sequential joins as the interpreter's own baseline (its speedups are measured
/// against it; its checksum, like every run's, against the native sequential one). A
/// Python-only workload (a user's function) has no native sequential run: py:sequential is
/// its baseline, for checksums too, with its warm-up.
std::vector<RunConfig> planRuns(const Experiment& e);

/// A fresh non-zero seed for the run order.
std::uint64_t randomSeed();

/// How many runs of the plan are reported (warm-ups are not): what progress counts to.
std::size_t reportedRunCount(const Experiment& e);

/// The configurations of an experiment in display order (sequential first, then by worker
/// count, model and chunksize): how tables list them whatever order they ran in.
bool displayOrderLess(const RunConfig& a, const RunConfig& b);

}  // namespace coreduel

namespace coreduel {

/// "1,2,4", "1-8", "cores" (this machine's logical CPUs) or a mix: "1,cores,16".
/// Throws InvalidArgument naming the bad part.
std::vector<unsigned> parseWorkerCounts(const std::string& text);
/// "sequential,threads,py:threads", "all" (the native models) or "py:all" (the Python ones).
std::vector<Model> parseModels(const std::string& text);
/// "a,b,,c" -> {"a", "b", "", "c"}.
std::vector<std::string> splitList(const std::string& text);
/// "0", "1,4,16" (0: Python's rule). Throws InvalidArgument.
std::vector<std::size_t> parseChunksizes(const std::string& text);

}  // namespace coreduel
