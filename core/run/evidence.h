#pragma once
// The rules a sentence must pass before it explains a cause or says that two things agree
// ("the lock serialised the compute", "it scales", "the model matches the interpreter").
// Every such sentence in the verdict, the reports and the lessons is chosen through here: when
// the run's own evidence does not carry the claim, the sentence says that this run cannot tell,
// and why, instead of a cause its numbers or warnings contradict.
//
// The rules (judgeClaim), in the order they are applied (the first that fails is the reason):
//   1. a stopped run shows nothing ("stopped", never "failed");
//   2. a timing needs enough repetitions (kMinRepetitionsForInterval) and a baseline above
//      the floor where start-up and clock resolution dominate (minMeaningfulSeconds);
//   3. a busy machine (other programs above kBusyOtherProgramsPct, measured) can only confirm
//      a speedup that was reached despite it; everything else it could have caused itself;
//   4. where an interval exists, it must lie wholly on one side of the bound: one that
//      straddles it cannot tell the claim from its alternative.
// The verdict (core/report/verdict.cpp) asks through whyCannotTell, the lessons
// (core/lessons/expectations.cpp) through judgeClaim directly: one set of rules.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/stats/scaling.h"

namespace coreduel {

struct ConfigSummary;
struct ExperimentResult;

/// What one measured number can say about one claim.
struct Evidence {
    std::string quantity = "speedup";  ///< as in an expectation: speedup, wall, cpu, startup, …
    bool ratio = false;                ///< the value is a ratio to another configuration's
    double value = 0;
    std::optional<Interval> interval;  ///< when the analysis gives one (speedups)
    bool intervalCapped = false;       ///< its upper end cut at the ideal (ConfigSummary)
    std::size_t repetitions = 0;       ///< the fewest verified runs of the configurations used
    double baselineWallSeconds = -1;   ///< the sequential baseline's median wall; < 0: unknown
    double floorSeconds = 0.05;        ///< minMeaningfulSeconds(sampleHz)
    double otherProgramsCpuPct = -1;   ///< the part's measured load; < 0: not measured
    bool stopped = false;              ///< the run was stopped (cancelled) before its end
};

struct ClaimBound {
    std::optional<double> atLeast;
    std::optional<double> atMost;
};

enum class Finding {
    Shown,       ///< the value meets the bound and nothing in the run undermines it
    NotShown,    ///< enough evidence, and it lies on the wrong side of the bound
    CannotTell,  ///< too few repetitions, too small a baseline, or an interval that straddles
    Busy,        ///< other programs' load could explain the value either way
    Stopped,     ///< the run was stopped before its end
};

struct Judgement {
    Finding finding = Finding::CannotTell;
    /// Shown: the claim itself; otherwise one sentence saying why this run cannot carry it
    /// (its reason also in `why`, without the claim).
    std::string sentence;
    std::string why;
};

/// Timings depend on the machine (speedup, wall, cpu, startup, launch); sizes (rss, mib) and
/// a run's own account do not, so rules 2 and 3 leave them alone.
[[nodiscard]] bool isTiming(const std::string& quantity);

/// Applies the rules to one measured value and the claim `claim` ("threads use every core").
[[nodiscard]] Judgement judgeClaim(const std::string& claim, const Evidence& e,
                                   const ClaimBound& bound);

/// A claim about a configuration's speedup: "at least `threshold`" or "below `threshold`".
struct SpeedupClaim {
    enum class Side { AtLeast, Below };
    Side side = Side::AtLeast;
    double threshold = 1;
};

/// What a configuration's speedup can say: its interval, the repetitions of it and of its
/// baseline, the baseline's wall, the floor, the measured load, whether it was stopped.
Evidence speedupEvidence(const ExperimentResult& result, const ConfigSummary& config);

/// Why the run cannot carry `claim` about `config` (judgeClaim's reason), or nullopt when its
/// evidence does.
std::optional<std::string> whyCannotTell(const ExperimentResult& result,
                                         const ConfigSummary& config, const SpeedupClaim& claim);

/// Rules 1-3 alone: why nothing measured in this run can be explained (a stopped run, a
/// baseline below the floor, a busy machine), or nullopt.
std::optional<std::string> whyRunCannotTell(const ExperimentResult& result);

/// Whether two measured speedups agree: both with intervals that overlap and whose ratio's
/// centre is within `tolerance` (0.15: 15 %). Returns the reason they cannot be said to agree
/// or differ ("one repetition", "intervals overlap but are wide"), or nullopt when the
/// comparison is decided; `agree` is then set.
std::optional<std::string> whyCannotCompare(const ExperimentResult& result, const ConfigSummary& a,
                                            const ConfigSummary& b, double tolerance, bool& agree);

}  // namespace coreduel
