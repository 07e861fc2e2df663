#include "core/run/evidence.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/run/analysis.h"
#include "core/run/machine_load.h"
#include "core/run/result.h"
#include "core/util/format.h"

namespace coreduel {

namespace {

constexpr auto& format = formatNumber;

std::string decimals(double v, int places) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", places, v);
    return buffer;
}

bool meets(double v, const ClaimBound& b) {
    return (!b.atLeast || v >= *b.atLeast) && (!b.atMost || v <= *b.atMost);
}

Judgement cannot(Finding f, const std::string& claim, const std::string& why) {
    return {f, "this run cannot tell whether " + claim + ": " + why, why};
}

/// Rule 4: an interval that reaches across a bound leaves both sides possible.
bool straddles(const Interval& i, const ClaimBound& b) {
    if (!i.hasRange) return false;
    const auto across = [&](double bound) { return i.low < bound && i.high >= bound; };
    return (b.atLeast && across(*b.atLeast)) || (b.atMost && across(*b.atMost));
}

std::string interval(const Interval& i) {
    return format("%.2f", i.low) + "-" + format("%.2fx", i.high);
}

}  // namespace

bool isTiming(const std::string& quantity) {
    return quantity == "speedup" || quantity == "wall" || quantity == "cpu" ||
           quantity == "startup" || quantity == "launch" || quantity == "p50" ||
           quantity == "p99";  // the convoy probe's ping delays
}

Judgement judgeClaim(const std::string& claim, const Evidence& e, const ClaimBound& bound) {
    if (e.stopped)
        return {Finding::Stopped,
                "the run was stopped before its end, so it says nothing about whether " + claim,
                "the run was stopped"};
    const bool held = meets(e.value, bound);
    if (isTiming(e.quantity)) {
        if (e.repetitions < kMinRepetitionsForInterval)
            return cannot(Finding::CannotTell, claim,
                          "each configuration ran " + std::to_string(e.repetitions) +
                              (e.repetitions == 1 ? " time" : " times") + ", and it takes " +
                              std::to_string(kMinRepetitionsForInterval) +
                              " to tell a difference from the scatter between runs");
        // A start-up is its own measurement; speedups and times are read against the baseline.
        const bool againstBaseline = e.quantity != "startup" && e.quantity != "launch";
        if (againstBaseline && e.baselineWallSeconds >= 0 && e.baselineWallSeconds < e.floorSeconds)
            return cannot(Finding::CannotTell, claim,
                          "the sequential baseline took " +
                              decimals(e.baselineWallSeconds * 1e3, 0) + " ms, below the " +
                              decimals(e.floorSeconds * 1e3, 0) +
                              " ms where start-up and clock resolution outweigh the work");
        // Other programs slow the parallel runs most (they need several cores at once): a
        // speedup reached despite them stands; so does a delay short despite them (they can
        // only make a wake-up later). Anything else they could have caused.
        const bool delay = e.quantity == "p50" || e.quantity == "p99";
        const bool despiteLoad = held && !e.ratio &&
                                 ((e.quantity == "speedup" && bound.atLeast && !bound.atMost) ||
                                  (delay && bound.atMost && !bound.atLeast));
        if (e.otherProgramsCpuPct >= kBusyOtherProgramsPct && !despiteLoad)
            return cannot(Finding::Busy, claim,
                          "other programs used " + decimals(e.otherProgramsCpuPct, 0) +
                              " % of the CPUs during it, enough to explain the numbers either "
                              "way");
    }
    if (e.interval && straddles(*e.interval, bound))
        return cannot(Finding::CannotTell, claim,
                      "the 95 % interval of the measurement, " + decimals(e.interval->low, 2) +
                          " to " + decimals(e.interval->high, 2) +
                          (e.intervalCapped ? (e.interval->high > e.value ? " (cut at the ideal)"
                                                                          : " (cut at the value)")
                                            : "") +
                          ", reaches both sides of the bound");
    if (held) return {Finding::Shown, claim, ""};
    return {Finding::NotShown, "this run did not show that " + claim, "the measurement did not"};
}

std::optional<std::string> whyRunCannotTell(const ExperimentResult& result) {
    if (result.cancelled) return "the experiment was stopped before it finished";
    const double floor = minMeaningfulSeconds(result.experiment.sampleHz);
    if (result.baselineWallSeconds && *result.baselineWallSeconds < floor)
        return "the sequential baseline took " +
               format("%.0f ms", *result.baselineWallSeconds * 1e3) + ", below the " +
               format("%.0f ms", floor * 1e3) +
               " floor, under which start-up and scheduling dominate";
    if (result.pythonBaselineWallSeconds && *result.pythonBaselineWallSeconds < floor)
        return "py:sequential took " + format("%.0f ms", *result.pythonBaselineWallSeconds * 1e3) +
               ", below the " + format("%.0f ms", floor * 1e3) +
               " floor, under which start-up and scheduling dominate";
    const MachineLoad& load = result.machineLoad;
    if (load.measured() && load.otherProgramsCpuPct > kBusyOtherProgramsPct)
        return "other programs used " + format("%.0f %%", load.otherProgramsCpuPct) +
               " of the CPUs while it ran";
    return std::nullopt;
}

Evidence speedupEvidence(const ExperimentResult& result, const ConfigSummary& config) {
    Evidence e;
    e.quantity = "speedup";
    e.value = config.speedup ? config.speedup->value : 0;
    if (config.speedup) e.interval = *config.speedup;
    e.intervalCapped = config.intervalCapped;
    // The fewer verified runs of the two sides: the configuration and its baseline.
    e.repetitions = config.wall.n;
    // The baseline is the configuration's own: for a py: model, the same interpreter's
    // py:sequential (each interpreter of the axis has its own).
    const ConfigSummary* own = nullptr;
    for (const ConfigSummary& c : result.analysis.configs)
        if (c.model == baselineOf(config.model) && c.wall.n > 0 &&
            (!isPython(config.model) || c.python == config.python)) {
            e.repetitions = std::min(e.repetitions, c.wall.n);
            if (own == nullptr) own = &c;
        }
    auto baseline =
        isPython(config.model) ? result.pythonBaselineWallSeconds : result.baselineWallSeconds;
    if (isPython(config.model) && own != nullptr && result.analysis.interpreters().size() > 1)
        baseline = own->wall.median;
    e.baselineWallSeconds = baseline ? *baseline : -1;
    e.floorSeconds = minMeaningfulSeconds(result.experiment.sampleHz);
    e.otherProgramsCpuPct =
        result.machineLoad.measured() ? result.machineLoad.otherProgramsCpuPct : -1;
    e.stopped = result.cancelled || (config.stopped > 0 && config.wall.n == 0);
    return e;
}

std::optional<std::string> whyCannotTell(const ExperimentResult& result,
                                         const ConfigSummary& config, const SpeedupClaim& claim) {
    if (!config.speedup && !(config.stopped > 0 && config.wall.n == 0))
        return "it has no verified run";
    ClaimBound bound;
    if (claim.side == SpeedupClaim::Side::AtLeast)
        bound.atLeast = claim.threshold;
    else
        bound.atMost = claim.threshold;
    const Judgement j = judgeClaim("", speedupEvidence(result, config), bound);
    if (j.finding == Finding::Shown) return std::nullopt;
    return j.why;
}

std::optional<std::string> whyCannotCompare(const ExperimentResult& result, const ConfigSummary& a,
                                            const ConfigSummary& b, double tolerance, bool& agree) {
    if (auto why = whyRunCannotTell(result)) return why;
    if (!a.speedup || !b.speedup) return "one side has no verified run";
    if (!a.speedup->hasRange || !b.speedup->hasRange)
        return "fewer than 3 verified repetitions (no interval to compare)";
    const Interval& x = *a.speedup;
    const Interval& y = *b.speedup;
    const bool overlap = x.low <= y.high && y.low <= x.high;
    const double ratio = x.value / y.value;
    if (!overlap) {
        agree = false;
        return std::nullopt;
    }
    // Overlapping wide intervals show only that the runs were noisy, not that they agree.
    const double widest = (1 + tolerance) * (1 + tolerance);
    if (std::abs(ratio - 1.0) <= tolerance && x.high / x.low <= widest &&
        y.high / y.low <= widest) {
        agree = true;
        return std::nullopt;
    }
    return "their intervals " + interval(x) + " and " + interval(y) +
           " overlap: too noisy to tell a " + format("%.0f %%", std::abs(ratio - 1.0) * 100) +
           " difference from none";
}

}  // namespace coreduel
