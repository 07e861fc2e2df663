#pragma once
// Results with chosen wall times, analysed as a real one is: for tests of what the product
// says about numbers (estimator, verdict, evidence rules) without timing anything.

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/run/analysis.h"
#include "core/run/result.h"

namespace coreduel {

struct MadeConfig {
    Model model;
    unsigned workers;
    std::vector<double> walls;  ///< one verified run per wall time [s]
    // py: models on the interpreter axis (left out: one default interpreter, GIL unknown).
    std::string python{};       ///< the spec (RunConfig::python)
    unsigned interpreter = 0;   ///< its place in the list
    std::string label{};        ///< "CPython 3.13t (no GIL)"
    bool freeThreaded = false;  ///< a --disable-gil build
    std::optional<bool> gil{};  ///< sys._is_gil_enabled() as measured in the run
};

/// A "primes" experiment on a quiet 2-CPU machine with these runs, each verified, analysed
/// (applyAnalysis). Tweak the result and call applyAnalysis again for other stories.
inline ExperimentResult madeResult(std::initializer_list<MadeConfig> configs, unsigned cpus = 2) {
    ExperimentResult r;
    r.experiment.workload = "primes";
    r.experiment.sampleHz = 100;
    r.environment.logicalCpus = cpus;
    r.environment.allowedCpus = cpus;
    r.environment.physicalCores = cpus;
    r.baselineChecksum = 0xabcdef;
    for (const auto& c : configs) {
        unsigned rep = 0;
        for (double wall : c.walls) {
            RunResult run;
            run.workload = "primes";
            run.config.model = c.model;
            run.config.workers = c.workers;
            run.config.repetition = rep++;
            run.wallSeconds = wall;
            run.cpuUserSeconds = wall * c.workers;
            run.ok = true;
            run.checksum = r.baselineChecksum;
            run.config.python = c.python;
            run.config.interpreter = c.interpreter;
            run.interpreterLabel = c.label;
            run.freeThreadedBuild = c.freeThreaded;
            run.gilEnabled = c.gil;
            r.runs.push_back(run);
        }
        if (c.model == Model::Sequential) {
            std::vector<double> w = c.walls;
            std::sort(w.begin(), w.end());
            r.baselineWallSeconds = w[w.size() / 2];
        }
        if (c.model == Model::PySequential && c.interpreter == 0)
            r.pythonBaselineWallSeconds = c.walls.front();
    }
    applyAnalysis(r);
    return r;
}

}  // namespace coreduel
