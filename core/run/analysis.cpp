#include "core/run/analysis.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "core/run/result.h"
#include "core/run/scaling_fit.h"
#include "core/util/errors.h"
#include "core/workloads/workload.h"

namespace coreduel {

double minMeaningfulSeconds(double sampleHz) {
    // Two sampler periods, so the per-core view has something to show, and never below 50 ms:
    // scheduler slices (~3-4 ms) and a process's start-up (~1 ms) are then a few percent.
    return std::max(0.05, sampleHz > 0 ? 2.0 / sampleHz : 0.0);
}

const ConfigSummary* Analysis::find(Model model, unsigned workers, std::size_t chunksize) const {
    for (const auto& c : configs)
        if (c.model == model && c.workers == workers && c.chunksize == chunksize) return &c;
    return nullptr;
}

const ConfigSummary* Analysis::find(Model model, unsigned workers, std::size_t chunksize,
                                    const std::string& python) const {
    for (const auto& c : configs)
        if (c.model == model && c.workers == workers && c.chunksize == chunksize &&
            c.python == python)
            return &c;
    return nullptr;
}

const ConfigSummary* Analysis::of(const RunConfig& config) const {
    return find(config.model, config.workers, config.chunksize, config.python);
}

std::vector<std::string> Analysis::interpreters() const {
    std::vector<std::pair<unsigned, std::string>> seen;
    for (const auto& c : configs)
        if (isPython(c.model) && std::none_of(seen.begin(), seen.end(),
                                              [&](const auto& s) { return s.second == c.python; }))
            seen.emplace_back(c.interpreter, c.python);
    std::sort(seen.begin(), seen.end());
    std::vector<std::string> out;
    for (auto& s : seen) out.push_back(std::move(s.second));
    return out;
}

std::string Analysis::name(const RunConfig& config, const std::string& base) const {
    if (!isPython(config.model) || interpreters().size() < 2) return base;
    const ConfigSummary* c = of(config);
    const std::string label = c != nullptr && !c->interpreterLabel.empty() ? c->interpreterLabel
                              : config.python.empty()                      ? std::string("python3")
                                                                           : config.python;
    return base + " \u00b7 " + label;
}

std::string Analysis::name(const ConfigSummary& c) const {
    RunConfig config;
    config.model = c.model;
    config.workers = c.workers;
    config.chunksize = c.chunksize;
    config.python = c.python;
    return name(config, toString(c.model));
}

std::string Analysis::name(const ModelScaling& s) const {
    for (const ConfigSummary& c : configs)
        if (c.model == s.model && c.python == s.python) return name(c);
    return toString(s.model);
}

namespace {

/// Whether the workload waits rather than computes: then p workers can gain p times on any
/// number of cores.
bool waits(const std::string& workload) {
    try {
        return findWorkloadInfo(workload).bound == Boundedness::Io;
    } catch (const InvalidArgument&) {
        return false;  // unknown to this build (an old file): judged as compute
    }
}

/// The upper end of a 95 % interval past what the configuration can reach is cut there: the
/// true speedup lies below it, so the cut interval covers it at least as often.
void capAtIdeal(ConfigSummary& c) {
    c.aboveIdeal = c.speedup->value > c.ideal * 1.02;
    const double cap = std::max(c.ideal, c.speedup->value);
    if (c.speedup->hasRange && c.speedup->high > cap) {
        c.speedup->high = cap;
        c.intervalCapped = true;
    }
}

/// A run's GIL as measured inside it; for files before that, as its interpreter's hello
/// line said ("..., GIL disabled"); nullopt when neither says.
std::optional<bool> gilOfRun(const RunResult& r) {
    if (r.gilEnabled) return r.gilEnabled;
    if (r.interpreter.find("GIL disabled") != std::string::npos) return false;
    if (r.interpreter.find("GIL enabled") != std::string::npos) return true;
    return std::nullopt;
}

/// What a configuration's runs say about their interpreter: its name, build and GIL.
void describeInterpreter(ConfigSummary& c, const std::vector<const RunResult*>& runs) {
    for (const auto* r : runs) {
        c.interpreter = r->config.interpreter;
        if (c.interpreterLabel.empty()) c.interpreterLabel = r->interpreterLabel;
        c.freeThreadedBuild = c.freeThreadedBuild || r->freeThreadedBuild;
        // Any run that had the GIL on makes the configuration one with a GIL.
        if (const auto gil = gilOfRun(*r)) c.gilEnabled = c.gilEnabled.value_or(false) || *gil;
    }
    // A free-threaded build whose GIL came back on though nobody asked (an extension module
    // that needs it): its name says so wherever it appears.
    const auto noGil = c.interpreterLabel.find(" (no GIL)");
    if (c.freeThreadedBuild && c.gilEnabled == true && noGil != std::string::npos)
        c.interpreterLabel.replace(noGil, std::string::npos, " (GIL came back on)");
}

/// One summary per (model, workers, chunksize), in display order.
std::vector<ConfigSummary> summarizeConfigs(const ExperimentResult& result) {
    std::vector<ConfigSummary> configs;
    using Key = std::tuple<int, unsigned, std::size_t, std::string>;
    std::map<Key, std::vector<const RunResult*>> groups;
    std::vector<Key> order;
    for (const auto& r : result.runs) {
        const auto key = Key(static_cast<int>(r.config.model), r.config.workers, r.config.chunksize,
                             r.config.python);
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
        c.python = std::get<3>(key);
        if (isPython(c.model)) describeInterpreter(c, groups[key]);
        std::vector<double> walls, cpus;
        for (const auto* r : groups[key]) {
            ++c.runs;
            if (r->cancelled) {
                ++c.stopped;
                continue;
            }
            if (!r->ok) {
                ++c.failed;
                continue;
            }
            walls.push_back(r->wallSeconds);
            cpus.push_back(r->cpuUserSeconds + r->cpuSystemSeconds);
        }
        c.wall = summarize(walls);
        c.cpu = summarize(cpus);
        configs.push_back(std::move(c));
    }
    return configs;
}

/// The configuration a model's speedup is measured against: sequential for the native
/// models, the same interpreter's py:sequential for the py: ones; nullptr when it has no runs.
const ConfigSummary* baselineOf(const Analysis& a, Model m, const std::string& python) {
    for (const auto& c : a.configs)
        if (c.model == coreduel::baselineOf(m) && (!isPython(m) || c.python == python) &&
            c.wall.n > 0)
            return &c;
    return nullptr;
}

/// Each configuration's speedup against its own runtime's baseline, cut at its ideal.
void setSpeedups(Analysis& a, const ExperimentResult& result) {
    // Each runtime against its own sequential: native runs against sequential, an
    // interpreter's against py:sequential.
    auto baselineFor = [&](const ConfigSummary& of) -> const ConfigSummary* {
        return baselineOf(a, of.model, of.python);
    };
    a.cores = std::max(1u, result.environment.allowedCpus > 0 ? result.environment.allowedCpus
                                                              : result.environment.logicalCpus);
    const bool waiting = waits(result.experiment.workload);
    for (auto& c : a.configs) {
        c.ideal = waiting ? c.workers : std::min(c.workers, a.cores);
        const ConfigSummary* baseline = baselineFor(c);
        if (baseline == nullptr || c.wall.n == 0) continue;
        c.speedup = speedupInterval(baseline->wall, c.wall);
        if (result.experiment.weakScaling && !isSequential(c.model)) {
            // p times the work: the scaled speedup.
            c.speedup->value *= c.workers;
            c.speedup->low *= c.workers;
            c.speedup->high *= c.workers;
        }
        if (!isSequential(c.model)) capAtIdeal(c);
        c.efficiency = Interval{c.speedup->value / c.workers, c.speedup->low / c.workers,
                                c.speedup->high / c.workers, c.speedup->hasRange};
        // p is the processors at work, not the workers: 4 workers on 2 cores reach 2x at best,
        // which is no serial part. A run slower than the baseline has no serial fraction (it
        // would be above 100 %): what it lost is overhead the workers added.
        const auto p = static_cast<unsigned>(c.ideal);
        if (c.workers < 2) continue;
        if (p < 2)
            c.karpFlattNote = "one CPU at work: nothing to share a serial part with";
        else if (c.speedup->value < 1)
            c.karpFlattNote =
                "slower than the baseline: the loss is overhead the workers add, not a serial "
                "fraction";
        else
            c.karpFlatt = karpFlatt(c.speedup->value, p);
    }
}

/// The name of an interpreter in sentences: its label, or its spec, or "the interpreter".
std::string nameOf(const ConfigSummary& c) {
    if (!c.interpreterLabel.empty()) return c.interpreterLabel;
    return c.python.empty() ? std::string("the interpreter") : c.python;
}

/// gil-threads against py:threads at each worker count, only for interpreters that had a
/// GIL (as measured): the model models a lock that an interpreter without one does not have.
void compareModelWithReal(Analysis& a) {
    std::vector<std::string> withoutGil;
    for (const auto& p : a.configs)
        if (p.model == Model::PyThreads && p.gilEnabled == false &&
            std::find(withoutGil.begin(), withoutGil.end(), nameOf(p)) == withoutGil.end())
            withoutGil.push_back(nameOf(p));
    a.pythonWithoutGil = !withoutGil.empty();
    for (const auto& m : a.configs) {
        if (m.model != Model::GilThreads || !m.speedup) continue;
        for (const auto& p : a.configs) {
            if (p.model != Model::PyThreads || p.workers != m.workers || !p.speedup ||
                p.speedup->value <= 0 || p.gilEnabled == false)
                continue;
            // One row per worker count and interpreter: the first chunksize of each.
            const bool seen =
                std::any_of(a.modelVsReal.begin(), a.modelVsReal.end(), [&](const ModelVsReal& x) {
                    return x.workers == m.workers && x.python == p.python;
                });
            if (!seen)
                a.modelVsReal.push_back({m.workers, p.python, p.interpreterLabel, *m.speedup,
                                         *p.speedup, m.speedup->value / p.speedup->value});
        }
    }
    const bool anyModel = std::any_of(a.configs.begin(), a.configs.end(), [](const auto& c) {
        return c.model == Model::GilThreads && c.speedup;
    });
    if (!anyModel || withoutGil.empty()) return;
    if (a.modelVsReal.empty()) {
        a.modelVsRealNote =
            "gil-threads is not compared with py:threads: the interpreter ran without a GIL "
            "(sys._is_gil_enabled() was false), so there is no lock for the model to match";
        return;
    }
    std::string names;
    for (const auto& n : withoutGil) names += (names.empty() ? "" : ", ") + n;
    a.modelVsRealNote =
        "gil-threads is compared only with the interpreters that had a GIL; not "
        "with " +
        names +
        ", which ran without one (sys._is_gil_enabled() was "
        "false): there is no lock there for the model to match";
}

/// The free-threaded build's single-thread cost: its py:sequential against a GIL build's
/// (the first of each in the experiment's order), by the one ratio estimator.
void measureFreeThreadedCost(Analysis& a, const ExperimentResult& result) {
    const ConfigSummary *ft = nullptr, *gil = nullptr;
    for (const auto& c : a.configs) {
        if (c.model != Model::PySequential || c.wall.n == 0) continue;
        if (ft == nullptr && c.freeThreadedBuild && c.gilEnabled == false) ft = &c;
        if (gil == nullptr && !c.freeThreadedBuild && c.gilEnabled != false) gil = &c;
    }
    if (ft == nullptr || gil == nullptr) return;
    // speedupInterval(base, x) is base / x: here the free-threaded wall over the GIL build's.
    a.freeThreadedCost = FreeThreadedCost{
        ft->python, gil->python, nameOf(*ft), nameOf(*gil), speedupInterval(ft->wall, gil->wall),
        {}};
    // One thread's time moves with what else runs (shared caches, a core lost for a while),
    // and the two builds did not run at the same moments: a busy machine can make the ratio.
    if (const MachineLoad& load = result.machineLoad;
        load.measured() && load.otherProgramsCpuPct > kBusyOtherProgramsPct)
        a.freeThreadedCost->caveat =
            "measured while other programs used " +
            std::to_string(static_cast<int>(load.otherProgramsCpuPct + 0.5)) +
            " % of the CPUs: not the builds' own ratio";
}

/// What a reader must know about single configurations: outliers, failures, impossible gains.
void warnAboutConfigs(Analysis& a, const ExperimentResult& result) {
    for (const auto& c : a.configs) {
        for (const auto& w : c.wall.warnings) {
            std::string line = a.name(c) + " x" + std::to_string(c.workers) + ": " + w;
            if (std::find(a.warnings.begin(), a.warnings.end(), line) == a.warnings.end() &&
                w.find("too few") == std::string::npos)
                a.warnings.push_back(line);
        }
    }
    for (const auto& c : a.configs) {
        const std::string who = a.name(c) + " x" + std::to_string(c.workers);
        if (c.failed > 0 && c.failed >= c.runs)
            a.warnings.push_back(who + ": every run failed (" + std::to_string(c.failed) +
                                 "): no statistics");
        else if (c.failed > 0)
            a.warnings.push_back(who + ": " + std::to_string(c.failed) + " of " +
                                 std::to_string(c.runs) +
                                 " runs failed; the statistics cover the others");
        if (c.aboveIdeal) {
            char line[400];
            std::snprintf(line, sizeof line,
                          "%s: a speedup of %.2fx is above the %.0fx that %u worker%s can reach "
                          "on %u CPU%s: not a gain of the model (the baseline was slowed, or "
                          "the runs are noisy); do not quote it",
                          who.c_str(), c.speedup->value, c.ideal, c.workers,
                          c.workers == 1 ? "" : "s", a.cores, a.cores == 1 ? "" : "s");
            a.warnings.emplace_back(line);
        }
    }
    std::size_t stopped = 0;
    for (const auto& c : a.configs) stopped += c.stopped;
    if (stopped > 0 || result.cancelled)
        a.warnings.push_back("the experiment was stopped: " + std::to_string(stopped) + " run" +
                             (stopped == 1 ? " was" : "s were") +
                             " cut short (not failures; not in the statistics)");
}

/// What a reader must know about the whole experiment: repetitions, baseline, machine.
void warnAboutRun(Analysis& a, const ExperimentResult& result) {
    const unsigned cores = a.cores;
    bool tooFew = false;
    for (const auto& c : a.configs) tooFew = tooFew || (c.wall.n > 0 && c.wall.n < 3);
    if (tooFew)
        a.warnings.push_back(
            "fewer than 3 repetitions per configuration: no confidence intervals are shown, "
            "and differences of a few percent are not significant (repeat 5 times or more)");
    // Each baseline a speedup is measured against: the engine's sequential and, for the py:
    // models (a Python function has no other), each interpreter's py:sequential.
    const double floor = minMeaningfulSeconds(result.experiment.sampleHz);
    auto tooShort = [&](const std::string& what, double seconds) {
        char line[400];
        std::snprintf(line, sizeof line,
                      "%s took %.1f ms, below the %.0f ms floor where clock, sampler (one sample "
                      "every %.0f ms) and scheduler (time slices of a few ms) resolution and "
                      "worker start-up dominate: make the job larger",
                      what.c_str(), seconds * 1e3, floor * 1e3,
                      result.experiment.sampleHz > 0 ? 1e3 / result.experiment.sampleHz : 0.0);
        a.warnings.emplace_back(line);
    };
    if (result.baselineWallSeconds && *result.baselineWallSeconds < floor)
        tooShort("the sequential baseline", *result.baselineWallSeconds);
    for (const auto& c : a.configs)
        if (c.model == Model::PySequential && c.wall.n > 0 && c.wall.median < floor)
            tooShort(a.name(c), c.wall.median);
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
}

}  // namespace

Analysis analyze(const ExperimentResult& result) {
    Analysis a;
    a.configs = summarizeConfigs(result);
    setSpeedups(a, result);
    compareModelWithReal(a);
    measureFreeThreadedCost(a, result);
    a.scaling = fitScaling(result, a.configs, a.cores);
    warnAboutConfigs(a, result);
    warnAboutRun(a, result);
    // The machine's load first: it is what every other number must be read against (the
    // window's strip shows the first warning, a report lists them in this order).
    std::stable_partition(a.warnings.begin(), a.warnings.end(), [](const std::string& w) {
        return w.rfind("other programs used", 0) == 0 || w.rfind("the machine was busy", 0) == 0;
    });
    return a;
}

void applyAnalysis(ExperimentResult& result) {
    result.analysis = analyze(result);
    for (auto& r : result.runs) {
        r.speedup.reset();
        r.efficiency.reset();
        const ConfigSummary* baseline =
            baselineOf(result.analysis, r.config.model, r.config.python);
        if (!r.ok || baseline == nullptr || r.wallSeconds <= 0) continue;
        // The configuration's own estimator, applied to this run alone.
        r.speedup = baseline->wall.mean / r.wallSeconds;
        if (result.experiment.weakScaling && !isSequential(r.config.model) && r.config.workers > 1)
            *r.speedup *= r.config.workers;
        r.efficiency = *r.speedup / r.config.workers;
    }
}

}  // namespace coreduel
