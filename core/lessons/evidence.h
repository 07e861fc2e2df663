#pragma once
// Evidence rules: the only way a lesson sentence may say why something happened or that two
// things agree. Each rule names what a run needs before its number can carry a conclusion;
// a run that lacks it gets a plain "this run cannot tell whether …, because …" sentence
// instead of the claim, so that no explanation states what its own numbers do not support.
//
// The rules, in the order they are applied:
//   1. a stopped run shows nothing ("stopped", never "failed");
//   2. a timing needs enough repetitions (kMinRepetitionsForInterval) and a baseline above
//      the floor where start-up and clock resolution dominate (minMeaningfulSeconds);
//   3. a busy machine (other programs above kBusyOtherProgramsPct) can only confirm a speedup
//      that was reached despite it; everything else it could have caused itself;
//   4. where an interval exists, it must lie wholly on one side of the bound: one that
//      straddles it cannot tell the claim from its alternative.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/stats/scaling.h"

namespace coreduel {

/// What one measured number can say about one claim.
struct Evidence {
    std::string quantity = "speedup";  ///< as in an expectation: speedup, wall, cpu, startup, …
    bool ratio = false;                ///< the value is a ratio to another configuration's
    double value = 0;
    std::optional<Interval> interval;  ///< when the analysis gives one (speedups)
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

/// Replaces every "[[N: sentence]]" (N: 1-based expectation numbers, comma-separated) of a
/// lesson's explanation: the sentence stays when every expectation it names was Shown, and is
/// replaced by the first other judgement's plain sentence otherwise, so a claim written into
/// the explanation ("the real GIL does what the model does") appears only with its evidence.
/// A number that names no judgement keeps the sentence out (the run has nothing to back it).
[[nodiscard]] std::string applyClaimMarkers(const std::string& text,
                                            const std::vector<Judgement>& judgements);

}  // namespace coreduel
