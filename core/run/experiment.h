#pragma once
// An experiment: one workload with its parameters, run under several models and worker counts,
// each configuration repeated. The sequential baseline is always part of it, because every
// speedup is measured against it.

#include <map>
#include <string>
#include <vector>

#include "core/vocab/model.h"

namespace coreduel {

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
};

/// Throws InvalidArgument with a message saying what is allowed.
void validate(const Experiment& e);

/// The runs an experiment consists of, in the order they execute: the sequential baseline
/// first, then each worker count with each other model; every one `repetitions` times,
/// preceded by `warmups` warm-up runs.
std::vector<RunConfig> planRuns(const Experiment& e);

}  // namespace coreduel

namespace coreduel {

/// "1,2,4", "1-8", "cores" (this machine's logical CPUs) or a mix: "1,cores,16".
/// Throws InvalidArgument naming the bad part.
std::vector<unsigned> parseWorkerCounts(const std::string& text);
/// "sequential,threads", or "all".
std::vector<Model> parseModels(const std::string& text);
/// "a,b,,c" -> {"a", "b", "", "c"}.
std::vector<std::string> splitList(const std::string& text);
/// "0", "1,4,16" (0: Python's rule). Throws InvalidArgument.
std::vector<std::size_t> parseChunksizes(const std::string& text);

}  // namespace coreduel
