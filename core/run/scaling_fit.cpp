#include "core/run/scaling_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/run/result.h"
#include "core/workloads/workload.h"

namespace coreduel {

namespace {

std::string percent(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.0f %%", 100 * x);
    return b;
}

/// Why no law applies to this workload at all, or "" when one may.
std::string notCpuBound(const std::string& workload) {
    Boundedness bound = Boundedness::Cpu;
    try {
        bound = findWorkloadInfo(workload).bound;
    } catch (const InvalidArgument&) {
        return "";  // a workload this build does not know (an old file): judge by the points
    }
    switch (bound) {
        case Boundedness::Cpu:
            return "";
        case Boundedness::Io:
            return "" + workload +
                   " is I/O-bound; waiting does not occupy a core, so Amdahl's serial fraction "
                   "of compute does not describe it";
        case Boundedness::Memory:
            return "" + workload +
                   " is memory-bound; the shared memory bandwidth, not a serial part, limits it";
        case Boundedness::Overhead:
            return "" + workload +
                   " measures per-task overhead; its speedup is set by start-up and transfer "
                   "costs, not by a serial fraction";
    }
    return "";
}

/// Why no law is fitted on a busy machine (measured), or "".
std::string busyNote(const MachineLoad& load) {
    if (!load.measured() || load.otherProgramsCpuPct <= kBusyOtherProgramsPct) return "";
    char b[200];
    std::snprintf(b, sizeof b,
                  "the machine was busy: other programs used %.0f %% of the CPUs, so the points "
                  "measure that load, not a serial fraction (run again on a quiet machine)",
                  load.otherProgramsCpuPct);
    return b;
}

/// No law where the workload waits, nor where other programs shared the cores: the points
/// would measure the load, and "96 % serial" would be quoted for an embarrassingly parallel
/// job. "" when a law may be fitted.
std::string noLawNote(const ExperimentResult& result) {
    const std::string waits = notCpuBound(result.experiment.workload);
    return waits.empty() ? busyNote(result.machineLoad) : waits;
}

/// A law per model and, for the py: models, per interpreter of the experiment's axis: the
/// points of 3.11 and of 3.13t are two curves, never one fit.
std::vector<std::pair<Model, std::string>> seriesOf(const std::vector<ConfigSummary>& configs) {
    std::vector<std::pair<Model, std::string>> series;
    for (auto m : everyModel()) {
        if (isSequential(m)) continue;
        std::vector<std::string> pythons;
        for (const auto& c : configs)
            if (c.model == m &&
                std::find(pythons.begin(), pythons.end(), c.python) == pythons.end())
                pythons.push_back(c.python);
        if (pythons.empty()) pythons.emplace_back();
        for (const std::string& python : pythons) series.emplace_back(m, python);
    }
    return series;
}

}  // namespace

std::vector<ModelScaling> fitScaling(const ExperimentResult& result,
                                     const std::vector<ConfigSummary>& configs, unsigned cores) {
    std::vector<ModelScaling> out;
    const bool weak = result.experiment.weakScaling;
    const auto fitChunk =
        result.experiment.chunksizes.empty() ? 0 : result.experiment.chunksizes.front();
    const std::string workloadNote = noLawNote(result);
    for (const auto& [m, python] : seriesOf(configs)) {
        std::vector<double> p, s;
        unsigned interpreter = 0;
        std::vector<const ConfigSummary*> beyond;
        const ConfigSummary* noisy = nullptr;
        unsigned largest = 0;
        for (const auto& c : configs) {
            if (c.model != m || c.python != python || !c.speedup || c.chunksize != fitChunk)
                continue;
            interpreter = c.interpreter;
            // Amdahl's p is processors: with more workers than cores, workers share cores and
            // the flat tail would read as a large serial fraction. Fit the counts that fit;
            // those beyond are checked against the fit below.
            if (c.workers > cores && !weak) {
                beyond.push_back(&c);
                continue;
            }
            p.push_back(c.workers);
            s.push_back(c.speedup->value);
            largest = std::max(largest, c.workers);
            // A point whose interval spans more than kMaxFitSpread (low to high) cannot pin
            // a serial fraction: the law would be fitted to noise.
            if (c.workers > 1 && c.speedup->hasRange && c.speedup->low > 0 &&
                c.speedup->high / c.speedup->low > kMaxFitSpread &&
                (noisy == nullptr ||
                 c.speedup->high / c.speedup->low > noisy->speedup->high / noisy->speedup->low))
                noisy = &c;
        }
        if (p.empty() && beyond.empty()) continue;
        ModelScaling ms{.model = m, .python = python, .interpreter = interpreter, .weak = weak};
        ms.fit = weak ? fitGustafson(p, s) : fitAmdahl(p, s);
        // A fit dropped below keeps its numbers (JSON, curious readers) but not its validity:
        // nothing draws or quotes an invalid fit.
        auto reject = [&](std::string why) {
            ms.fit.valid = false;
            ms.predicted.clear();
            ms.note = std::move(why);
        };
        if (!workloadNote.empty()) {
            reject(workloadNote);
        } else if (!ms.fit.valid) {
            ms.note =
                "no measured worker count between 2 and the " + std::to_string(cores) + " cores";
        } else if (noisy != nullptr) {
            char b[200];
            std::snprintf(b, sizeof b,
                          "too noisy to fit: the 95 %% interval of %u workers spans %.2fx to "
                          "%.2fx (repeat on a quieter machine, or with more repetitions)",
                          noisy->workers, noisy->speedup->low, noisy->speedup->high);
            reject(b);
        } else if (ms.fit.serialFraction > 1.0) {
            reject(
                "slower than sequential; the cost is overhead (start-up, transfer, a "
                "lock), not a serial fraction");
        } else if (ms.fit.serialFraction < -0.05) {
            reject("faster than linear (caches, measurement noise); no serial fraction");
        } else {
            // Noise can put f a hair below zero: it is zero, not "-0.0 %".
            ms.fit.serialFraction = std::max(0.0, ms.fit.serialFraction);
            double worst = 0;
            for (std::size_t i = 0; i < ms.fit.residuals.size() && i < s.size(); ++i)
                if (p[i] > 1 && s[i] > 0)
                    worst = std::max(worst, std::abs(ms.fit.residuals[i]) / s[i]);
            // Beyond the cores the law caps the speedup at its value for the core count: a
            // point well above that cap is work that does not need a core per worker. The
            // measured value decides, not the top of its interval: a noisy point (wide
            // interval) does not contradict the law, it only fails to confirm it.
            const ConfigSummary* contradicts = nullptr;
            if (!weak) {
                const double cap = ms.fit.predict(cores);
                for (const auto* c : beyond)
                    if (c->speedup->value > cap * (1 + kMaxFitResidual)) contradicts = c;
            }
            if (worst > kMaxFitResidual) {
                reject("the points do not follow " +
                       std::string(weak ? "Gustafson's" : "Amdahl's") + " law (a residual of " +
                       percent(worst) + ", more than the " + percent(kMaxFitResidual) +
                       " allowed)");
            } else if (contradicts != nullptr) {
                char b[160];
                std::snprintf(b, sizeof b,
                              "%u workers measured %.2fx, above the %.2fx the fit allows "
                              "on %u cores",
                              contradicts->workers, contradicts->speedup->value,
                              ms.fit.predict(cores), cores);
                reject(b);
            } else {
                for (unsigned q : {2 * cores, 4 * cores, 8 * cores, 16 * cores})
                    if (q > largest)
                        ms.predicted.emplace_back(
                            q, weak ? gustafson(ms.fit.serialFraction, q) : ms.fit.predict(q));
                if (!beyond.empty())
                    ms.note = "fitted over the worker counts up to the " + std::to_string(cores) +
                              " cores; " + std::to_string(beyond.size()) +
                              " count(s) beyond them left out (those workers share cores)";
            }
        }
        out.push_back(std::move(ms));
    }
    return out;
}

}  // namespace coreduel
