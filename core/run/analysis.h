#pragma once
// Turns the runs of an experiment into what a reader quotes: per configuration (model x
// workers) the wall-time statistics, speedup and efficiency with 95 % intervals and the
// Karp-Flatt serial fraction; per model an Amdahl fit with predictions beyond this machine.

#include <optional>
#include <string>
#include <vector>

#include "core/stats/scaling.h"
#include "core/stats/summary.h"
#include "core/vocab/model.h"

namespace coreduel {

struct ExperimentResult;

struct ConfigSummary {
    Model model = Model::Sequential;
    unsigned workers = 1;
    std::size_t chunksize = 0;  ///< as asked for (0: Python's rule)
    std::size_t runs = 0;
    std::size_t failed = 0;
    Summary wall;  ///< s, over the successful (verified) runs
    Summary cpu;   ///< s, user + system
    std::optional<Interval> speedup;
    std::optional<Interval> efficiency;
    std::optional<double> karpFlatt;
};

struct ModelScaling {
    Model model = Model::Sequential;
    bool weak = false;  ///< a Gustafson fit of scaled speedups, not an Amdahl fit
    AmdahlFit fit;
    std::vector<std::pair<unsigned, double>> predicted;  ///< beyond the largest measured count
    std::string note;  ///< why there is no fit or prediction, when there is none
};

/// The GIL model against the real interpreter at one worker count: gil-threads' speedup (over
/// sequential) next to py:threads' (over py:sequential), with the same switch interval.
struct ModelVsReal {
    unsigned workers = 0;
    Interval model;
    Interval real;
    double ratio = 0;  ///< model / real: 1.0 is a perfect model
};

struct Analysis {
    std::vector<ConfigSummary> configs;
    std::vector<ModelScaling> scaling;
    std::vector<ModelVsReal> modelVsReal;
    std::vector<std::string> warnings;
};

Analysis analyze(const ExperimentResult& result);

/// The shortest sequential baseline whose numbers mean something at this sampling rate; a
/// shorter one gets a warning.
double minMeaningfulSeconds(double sampleHz);

}  // namespace coreduel
