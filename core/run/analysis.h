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
    /// py: models: the interpreter spec (RunConfig::python), part of the identity: each
    /// interpreter's rows are measured against its own py:sequential. "" for native models.
    std::string python;
    unsigned interpreter = 0;        ///< the spec's place in the experiment's list
    std::string interpreterLabel;    ///< "CPython 3.13t (no GIL)", from its runs
    bool freeThreadedBuild = false;  ///< built with --disable-gil
    /// sys._is_gil_enabled() as its runs measured it: true when any run had the GIL on;
    /// nullopt when no run said (native models, an old file).
    std::optional<bool> gilEnabled;
    std::size_t runs = 0;
    std::size_t failed = 0;
    std::size_t stopped = 0;  ///< cancelled by the user: neither verified nor failed
    Summary wall;             ///< s, over the successful (verified) runs
    Summary cpu;              ///< s, user + system
    /// The one speedup of this configuration (kSpeedupEstimator): every view, sentence and
    /// export reads this value and never computes its own.
    std::optional<Interval> speedup;
    std::optional<Interval> efficiency;
    /// Karp-Flatt's experimentally determined serial fraction, with p the processors at work
    /// (`ideal`); none where the speedup implies no fraction in [0, 1], `karpFlattNote` says why.
    std::optional<double> karpFlatt;
    std::string karpFlattNote;
    /// The most this configuration can gain on this machine: min(workers, cores) for work
    /// that occupies a core, the worker count for waiting (I/O-bound) work.
    double ideal = 1;
    /// The point estimate is above `ideal` (by more than 2 %): not physically a gain of the
    /// model; the baseline was slowed or the runs were noisy. Said wherever it is shown.
    bool aboveIdeal = false;
    /// The interval's upper end was cut at what the configuration can reach (max(ideal,
    /// point)): the delta method's end went past it, so the data alone did not pin it.
    bool intervalCapped = false;
};

/// How a configuration's speedup and its interval are estimated (for tooltips, reports and
/// the JSON's "how" texts): the one estimator of the whole product.
inline constexpr const char* kSpeedupEstimator =
    "speedup = mean baseline wall / mean wall of the configuration (ratio of means); 95 % "
    "interval from both means' relative standard errors (delta method on the log of the "
    "ratio, Student's t), only with 3 or more repetitions on both sides, its upper end cut "
    "at the most the configuration can reach (min(workers, cores), workers for waiting work)";

struct ModelScaling {
    Model model = Model::Sequential;
    /// py: models: the interpreter the law is fitted for (ConfigSummary::python, and its place
    /// in the list); each interpreter of the axis has its own. "" for native models.
    std::string python;
    unsigned interpreter = 0;
    bool weak = false;  ///< a Gustafson fit of scaled speedups, not an Amdahl fit
    AmdahlFit fit;
    std::vector<std::pair<unsigned, double>> predicted;  ///< beyond the largest measured count
    std::string note;  ///< why there is no fit or prediction, when there is none
};

/// The GIL model against the real interpreter at one worker count: gil-threads' speedup (over
/// sequential) next to py:threads' (over py:sequential), with the same switch interval.
struct ModelVsReal {
    unsigned workers = 0;
    std::string python;            ///< the interpreter whose py:threads this row compares
    std::string interpreterLabel;  ///< its short name
    Interval model;
    Interval real;
    double ratio = 0;  ///< model / real: 1.0 is a perfect model
};

/// What the free-threaded build costs a single thread: its py:sequential against a GIL
/// build's on the same work (same tasks, same checksum), with the one ratio estimator.
struct FreeThreadedCost {
    std::string freeThreaded;  ///< the free-threaded interpreter's spec
    std::string withGil;       ///< the GIL build's spec
    std::string freeThreadedLabel, withGilLabel;
    /// mean wall of the free-threaded py:sequential / mean wall of the GIL build's: 1.25
    /// means a single thread takes 25 % longer without the GIL.
    Interval ratio;
    /// Why the ratio may not be the builds' own (other programs were busy), or empty.
    std::string caveat;
};

struct Analysis {
    std::vector<ConfigSummary> configs;
    std::vector<ModelScaling> scaling;
    std::vector<ModelVsReal> modelVsReal;
    /// Why gil-threads is not compared with py:threads although both ran (an interpreter
    /// without a GIL has nothing the model models), or "".
    std::string modelVsRealNote;
    /// The py: runs' interpreter reported no GIL (sys._is_gil_enabled() false): its threads
    /// are not serialised by a lock, and no sentence may say they were.
    bool pythonWithoutGil = false;
    /// Set when the experiment ran a free-threaded build (GIL off as measured) and a GIL
    /// build: its single-thread cost.
    std::optional<FreeThreadedCost> freeThreadedCost;
    std::vector<std::string> warnings;
    unsigned cores = 1;  ///< the CPUs this process could use: what `ideal` is measured against

    /// The configuration of these runs (under the first interpreter that ran it), or nullptr.
    [[nodiscard]] const ConfigSummary* find(Model model, unsigned workers,
                                            std::size_t chunksize) const;
    /// The configuration of these runs under the interpreter spec `python`, or nullptr.
    [[nodiscard]] const ConfigSummary* find(Model model, unsigned workers, std::size_t chunksize,
                                            const std::string& python) const;
    /// The interpreters' specs in the experiment's order (one "" for a single default one).
    [[nodiscard]] std::vector<std::string> interpreters() const;
    /// A configuration's name in every view: `base` (its model's label), followed by
    /// " · CPython 3.13t (no GIL)" for a py: model when the experiment ran several
    /// interpreters ("py:threads · CPython 3.11").
    [[nodiscard]] std::string name(const RunConfig& config, const std::string& base) const;
    /// The same for a configuration: "py:threads · CPython 3.11", "threads".
    [[nodiscard]] std::string name(const ConfigSummary& c) const;
    /// The same for a fitted law: "processes", "py:threads · CPython 3.13t (no GIL)".
    [[nodiscard]] std::string name(const ModelScaling& s) const;
    /// The configuration whose speedup is a run's, or nullptr.
    [[nodiscard]] const ConfigSummary* of(const RunConfig& config) const;
};

Analysis analyze(const ExperimentResult& result);

/// Analyses `result` once and stores it in result.analysis, and sets every run's own
/// speedup against the same baseline mean the configurations use (so a single run's speedup
/// and its configuration's agree when there is one repetition). Call this, not analyze(),
/// wherever a result is finished or read back.
void applyAnalysis(ExperimentResult& result);

/// The shortest sequential baseline whose numbers mean something at this sampling rate; a
/// shorter one gets a warning.
double minMeaningfulSeconds(double sampleHz);

}  // namespace coreduel
