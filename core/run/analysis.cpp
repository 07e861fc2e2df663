#include "core/run/analysis.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/run/result.h"

namespace coreduel {

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
    const ConfigSummary* baseline = nullptr;
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
        if (a.configs.back().model == Model::Sequential) baseline = nullptr;
    }
    for (const auto& c : a.configs)
        if (c.model == Model::Sequential && c.wall.n > 0) baseline = &c;

    for (auto& c : a.configs) {
        if (baseline == nullptr || c.wall.n == 0) continue;
        c.speedup = speedupInterval(baseline->wall, c.wall);
        if (result.experiment.weakScaling && c.model != Model::Sequential) {
            // p times the work: the scaled speedup.
            c.speedup->value *= c.workers;
            c.speedup->low *= c.workers;
            c.speedup->high *= c.workers;
        }
        c.efficiency = Interval{c.speedup->value / c.workers, c.speedup->low / c.workers,
                                c.speedup->high / c.workers};
        c.karpFlatt = karpFlatt(c.speedup->value, c.workers);
    }

    const unsigned cores =
        std::max(1u, result.environment.allowedCpus > 0 ? result.environment.allowedCpus
                                                        : result.environment.logicalCpus);
    for (auto m : allModels()) {
        if (m == Model::Sequential) continue;
        std::vector<double> p, s;
        unsigned largest = 0;
        const auto fitChunk =
            result.experiment.chunksizes.empty() ? 0 : result.experiment.chunksizes.front();
        unsigned beyondCores = 0;
        for (const auto& c : a.configs) {
            if (c.model != m || !c.speedup || c.chunksize != fitChunk) continue;
            // Amdahl's p is processors: with more workers than cores, workers share cores and
            // the flat tail would read as a large serial fraction. Fit the counts that fit.
            if (c.workers > cores && !result.experiment.weakScaling) {
                ++beyondCores;
                continue;
            }
            p.push_back(c.workers);
            s.push_back(c.speedup->value);
            largest = std::max(largest, c.workers);
        }
        if (p.empty()) continue;
        ModelScaling ms;
        ms.model = m;
        ms.weak = result.experiment.weakScaling;
        ms.fit = ms.weak ? fitGustafson(p, s) : fitAmdahl(p, s);
        if (ms.fit.valid && (ms.fit.serialFraction > 1.0 || ms.fit.serialFraction < -0.05)) {
            // A "serial fraction" outside [0, 1] means the model is not Amdahl-shaped here:
            // parallel runs slower than sequential is overhead, not a serial part.
            ms.note =
                ms.fit.serialFraction > 1.0
                    ? "slower than sequential: the cost is overhead (start-up, transfer, a lock), "
                      "not a serial "
                      "fraction; no prediction"
                    : "faster than linear (caches, measurement noise): no serial fraction to fit";
            ms.predicted.clear();
        } else if (ms.fit.valid) {
            for (unsigned q : {2 * cores, 4 * cores, 8 * cores, 16 * cores})
                if (q > largest)
                    ms.predicted.emplace_back(
                        q, ms.weak ? gustafson(ms.fit.serialFraction, q) : ms.fit.predict(q));
        }
        if (beyondCores > 0 && ms.note.empty()) {
            ms.note = "fitted over the worker counts up to the " + std::to_string(cores) +
                      " cores; " + std::to_string(beyondCores) +
                      " count(s) beyond them left out (those workers share cores)";
        }
        a.scaling.push_back(std::move(ms));
    }

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
            "fewer than 3 repetitions per configuration: differences of a few percent "
            "are not significant (use -r 5 or more)");
    unsigned most = 0;
    for (const auto& c : a.configs) most = std::max(most, c.workers);
    if (most > cores)
        a.warnings.push_back("oversubscribed: " + std::to_string(most) + " workers on " +
                             std::to_string(cores) +
                             " logical CPUs (fine for waiting, not for computing)");
    if (result.environment.loadAverage1m > 0.5 * cores)
        a.warnings.push_back("the machine was busy before the experiment (1-minute load average " +
                             std::to_string(result.environment.loadAverage1m).substr(0, 4) +
                             " on " + std::to_string(cores) + " CPUs): timings may be skewed");
    return a;
}

}  // namespace coreduel
