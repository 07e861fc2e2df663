#include "core/run/evidence.h"

#include <cmath>
#include <cstdio>

#include "core/run/analysis.h"
#include "core/run/result.h"
#include "core/util/format.h"

namespace coreduel {

namespace {

constexpr auto& format = formatNumber;

std::string interval(const Interval& i) {
    return format("%.2f", i.low) + "-" + format("%.2fx", i.high);
}

}  // namespace

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

std::optional<std::string> whyCannotTell(const ExperimentResult& result,
                                         const ConfigSummary& config, const SpeedupClaim& claim) {
    if (config.stopped > 0 && config.wall.n == 0) return "it was stopped before it finished";
    if (auto why = whyRunCannotTell(result)) return why;
    if (!config.speedup) return "it has no verified run";
    const Interval& s = *config.speedup;
    if (!s.hasRange)
        return std::to_string(config.wall.n) + " verified repetition" +
               (config.wall.n == 1 ? "" : "s") + " (3 or more give an interval)";
    const bool excluded = claim.side == SpeedupClaim::Side::AtLeast ? s.low >= claim.threshold
                                                                    : s.high < claim.threshold;
    if (!excluded)
        return "its 95 % interval " + interval(s) + " reaches across " +
               format("%.2fx", claim.threshold);
    return std::nullopt;
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
