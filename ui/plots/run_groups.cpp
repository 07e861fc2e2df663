#include "ui/plots/run_groups.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "ui/model_names.h"

namespace coreduel::ui {

double RunGroup::mean(const std::function<double(const RunResult&)>& field) const {
    if (runs.empty()) return 0;
    double sum = 0;
    for (const RunResult* r : runs) sum += field(*r);
    return sum / static_cast<double>(runs.size());
}

std::vector<RunGroup> groupRuns(const std::vector<RunResult>& runs) {
    std::set<std::size_t> chunks;
    for (const RunResult& r : runs) {
        if (!isSequential(r.config.model)) chunks.insert(r.config.chunksize);
    }
    // Each interpreter of the experiment's axis is a group of its own (RunConfig::python).
    auto key = [](const RunConfig& c) {
        return std::make_tuple(modelLabel(c), c.workers, c.chunksize, c.payloadBytes, c.python);
    };
    const bool severalInterpreters = interpreterCount(runs) > 1;
    std::vector<RunGroup> groups;
    for (const RunResult& r : runs) {
        if (r.config.warmup || !r.ok) continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const RunGroup& g) { return key(g.config) == key(r.config); });
        if (it == groups.end()) {
            RunGroup g;
            g.config = r.config;
            // The short name: an experiment has one start method and transport, and a long
            // "processes/spawn/pipe" would collide with its neighbours on the axis.
            g.label = QString::fromLatin1(toString(r.config.model));
            // "py:threads 3.13t": the version (and t for a free-threaded build) tells the
            // interpreters' groups apart on the axis; the full name is in the tooltip.
            if (severalInterpreters && isPython(r.config.model))
                g.label += QLatin1Char(' ') + interpreterTag(interpreterName(r))
                                                  .section(QLatin1Char(' '), 1, 1)
                                                  .remove(QLatin1Char(','));
            if (!isSequential(r.config.model)) {
                g.label += QStringLiteral("\n×%1").arg(r.config.workers);
                if (chunks.size() > 1) g.label += QStringLiteral(" c%1").arg(r.chunksize);
            }
            groups.push_back(std::move(g));
            it = std::prev(groups.end());
        }
        it->runs.push_back(&r);
    }
    // Runs come in a shuffled order (so that a drifting machine favours no model); bars are
    // model by model, worker counts rising, so that the category axis can group them under one
    // model label (sequential first, as in the table; then py:sequential and the
    // interpreter's models).
    auto order = [](const RunConfig& c) {
        // The interpreter's models after the engine's, its own baseline first among them.
        return std::make_tuple(isPython(c.model), c.interpreter, !isSequential(c.model),
                               static_cast<int>(c.model), c.workers, c.chunksize, c.payloadBytes);
    };
    std::stable_sort(groups.begin(), groups.end(), [&](const RunGroup& a, const RunGroup& b) {
        return order(a.config) < order(b.config);
    });
    return groups;
}

}  // namespace coreduel::ui
