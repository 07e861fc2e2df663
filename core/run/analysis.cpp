#include "core/run/analysis.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "core/run/result.h"
#include "core/run/scaling_fit.h"

namespace coreduel {

double minMeaningfulSeconds(double sampleHz) {
    // Two sampler periods, so the per-core view has something to show, and never below 50 ms:
    // scheduler slices (~3-4 ms) and a process's start-up (~1 ms) are then a few percent.
    return std::max(0.05, sampleHz > 0 ? 2.0 / sampleHz : 0.0);
}

Analysis analyze(const ExperimentResult& result) {
    Analysis a;
    using Key = std::tuple<int, unsigned, std::size_t>;
    std::map<Key, std::vector<const RunResult*>> groups;
    std::vector<Key> order;
    for (const auto& r : result.runs) {
        const auto key =
            Key(static_cast<int>(r.config.model), r.config.workers, r.config.chunksize);
        if (!groups.count(key)) order.push_back(key);
        groups[key].push_back(&r);
    }
    // Runs are interleaved in a shuffled order: list the configurations in display order.
    std::stable_sort(order.begin(), order.end(), [&](const Key& x, const Key& y) {
        return displayOrderLess(groups[x].front()->config, groups[y].front()->config);
    });
    for (const auto& key : order) {
        ConfigSummary c;
        c.model = static_cast<Model>(std::get<0>(key));
        c.workers = std::get<1>(key);
        c.chunksize = std::get<2>(key);
        std::vector<double> walls, cpus;
        for (const auto* r : groups[key]) {
            ++c.runs;
            if (!r->ok) {
                ++c.failed;
                continue;
            }
            walls.push_back(r->wallSeconds);
            cpus.push_back(r->cpuUserSeconds + r->cpuSystemSeconds);
        }
        c.wall = summarize(walls);
        c.cpu = summarize(cpus);
        a.configs.push_back(std::move(c));
    }
    // Each runtime against its own sequential: native runs against sequential, an
    // interpreter's against py:sequential.
    auto baselineFor = [&](Model m) -> const ConfigSummary* {
        for (const auto& c : a.configs)
            if (c.model == baselineOf(m) && c.wall.n > 0) return &c;
        return nullptr;
    };
    for (auto& c : a.configs) {
        const ConfigSummary* baseline = baselineFor(c.model);
        if (baseline == nullptr || c.wall.n == 0) continue;
        c.speedup = speedupInterval(baseline->wall, c.wall);
        if (result.experiment.weakScaling && !isSequential(c.model)) {
            // p times the work: the scaled speedup.
            c.speedup->value *= c.workers;
            c.speedup->low *= c.workers;
            c.speedup->high *= c.workers;
        }
        c.efficiency = Interval{c.speedup->value / c.workers, c.speedup->low / c.workers,
                                c.speedup->high / c.workers, c.speedup->hasRange};
        c.karpFlatt = karpFlatt(c.speedup->value, c.workers);
    }

    for (const auto& m : a.configs) {
        if (m.model != Model::GilThreads || !m.speedup) continue;
        for (const auto& p : a.configs) {
            if (p.model != Model::PyThreads || p.workers != m.workers || !p.speedup ||
                p.speedup->value <= 0)
                continue;
            // One row per worker count: the first chunksize of each, as the table lists them.
            const bool seen =
                std::any_of(a.modelVsReal.begin(), a.modelVsReal.end(),
                            [&](const ModelVsReal& x) { return x.workers == m.workers; });
            if (!seen)
                a.modelVsReal.push_back(
                    {m.workers, *m.speedup, *p.speedup, m.speedup->value / p.speedup->value});
        }
    }

    const unsigned cores =
        std::max(1u, result.environment.allowedCpus > 0 ? result.environment.allowedCpus
                                                        : result.environment.logicalCpus);
    a.scaling = fitScaling(result, a.configs, cores);

    for (const auto& c : a.configs) {
        for (const auto& w : c.wall.warnings) {
            std::string line =
                std::string(toString(c.model)) + " x" + std::to_string(c.workers) + ": " + w;
            if (std::find(a.warnings.begin(), a.warnings.end(), line) == a.warnings.end() &&
                w.find("too few") == std::string::npos)
                a.warnings.push_back(line);
        }
    }
    for (const auto& c : a.configs)
        if (c.failed > 0)
            a.warnings.push_back(std::string(toString(c.model)) + " x" + std::to_string(c.workers) +
                                 ": " + std::to_string(c.failed) + " of " + std::to_string(c.runs) +
                                 " runs failed; the statistics cover the others");
    bool tooFew = false;
    for (const auto& c : a.configs) tooFew = tooFew || (c.wall.n > 0 && c.wall.n < 3);
    if (tooFew)
        a.warnings.push_back(
            "fewer than 3 repetitions per configuration: no confidence intervals are shown, "
            "and differences of a few percent are not significant (repeat 5 times or more)");
    if (const double floor = minMeaningfulSeconds(result.experiment.sampleHz);
        result.baselineWallSeconds && *result.baselineWallSeconds < floor) {
        char line[400];
        std::snprintf(line, sizeof line,
                      "the sequential baseline took %.1f ms, below the %.0f ms floor where clock, "
                      "sampler (one sample every %.0f ms) and scheduler (time slices of a few "
                      "ms) resolution and worker start-up dominate: make the job larger",
                      *result.baselineWallSeconds * 1e3, floor * 1e3,
                      result.experiment.sampleHz > 0 ? 1e3 / result.experiment.sampleHz : 0.0);
        a.warnings.emplace_back(line);
    }
    unsigned most = 0;
    for (const auto& c : a.configs) most = std::max(most, c.workers);
    if (most > cores)
        a.warnings.push_back("oversubscribed: " + std::to_string(most) + " workers on " +
                             std::to_string(cores) +
                             " logical CPUs (fine for waiting, not for computing)");
    if (const MachineLoad& load = result.machineLoad;
        load.measured() && load.otherProgramsCpuPct > kBusyOtherProgramsPct) {
        char line[400];
        std::snprintf(line, sizeof line,
                      "other programs used %.0f %% of the CPUs during the experiment (the busiest "
                      "run %.0f %%): the workers shared the cores with them, so speedups are "
                      "lower than this machine can reach (close other programs and run again)",
                      load.otherProgramsCpuPct, load.peakRunOtherProgramsCpuPct);
        a.warnings.emplace_back(line);
    }
    if (result.environment.loadAverage1m > 0.5 * cores)
        a.warnings.push_back("the machine was busy before the experiment (1-minute load average " +
                             std::to_string(result.environment.loadAverage1m).substr(0, 4) +
                             " on " + std::to_string(cores) + " CPUs): timings may be skewed");
    return a;
}

}  // namespace coreduel
