#pragma once
// The rules a sentence must pass before it explains a cause or says that two things agree
// ("the lock serialised the compute", "it scales", "the model matches the interpreter").
// Every such sentence in the verdict, the reports and the lessons is chosen through here: when
// the run's own evidence does not carry the claim, the sentence says that this run cannot tell,
// and why, instead of a cause its numbers or warnings contradict.
//
// The rules, in the order they are checked (the first that fails is the reason given):
//   1. the experiment was not stopped before the configuration finished;
//   2. the baseline took longer than the floor (minMeaningfulSeconds) below which clocks,
//      scheduling and start-up dominate;
//   3. other programs did not take a busy share of the CPUs (measured, kBusyOtherProgramsPct);
//   4. there are 3 or more verified repetitions on both sides, so there is an interval;
//   5. the interval lies wholly on the claim's side of its threshold (it excludes the
//      alternative).

#include <optional>
#include <string>

namespace coreduel {

struct ConfigSummary;
struct ExperimentResult;

/// A claim about a configuration's speedup: "at least `threshold`" or "below `threshold`".
struct SpeedupClaim {
    enum class Side { AtLeast, Below };
    Side side = Side::AtLeast;
    double threshold = 1;
};

/// Why the run cannot carry `claim` about `config` (a phrase to follow "this run cannot tell
/// why: "), or nullopt when its evidence does.
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
