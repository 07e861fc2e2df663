// Placeholders of a lesson's explanation and its predictions, filled from what was measured.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>

#include "core/lessons/lesson.h"
#include "core/util/errors.h"

namespace coreduel {

std::optional<unsigned> lessonWorkers(const ExperimentResult& r, Model model,
                                      const std::string& workers) {
    std::vector<unsigned> measured;
    for (const ConfigSummary& c : r.analysis.configs) {
        if (c.model == model && c.wall.n > 0) measured.push_back(c.workers);
    }
    if (measured.empty()) return std::nullopt;
    std::sort(measured.begin(), measured.end());
    if (workers == "max") return measured.back();
    if (workers == "cores") {
        const unsigned cores = std::max(1u, r.environment.logicalCpus);
        std::optional<unsigned> best;
        for (unsigned n : measured) {
            if (n <= cores) best = n;
        }
        return best ? best : measured.front();
    }
    char* end = nullptr;
    const unsigned long n = std::strtoul(workers.c_str(), &end, 10);
    if (end == workers.c_str() || *end != '\0') return std::nullopt;
    return static_cast<unsigned>(n);
}

namespace {

std::string format(double v, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

}  // namespace

std::optional<double> lessonValue(const ExperimentResult& r, const std::string& quantity,
                                  Model model, const std::string& workers) {
    const auto n = lessonWorkers(r, model, workers);
    if (!n) return std::nullopt;
    const ConfigSummary* config = nullptr;
    for (const ConfigSummary& c : r.analysis.configs) {
        if (c.model == model && c.workers == *n && c.wall.n > 0) {
            config = &c;
            break;
        }
    }
    if (config == nullptr) return std::nullopt;
    if (quantity == "speedup") {
        if (isSequential(model)) return 1.0;
        return config->speedup ? std::optional<double>(config->speedup->value) : std::nullopt;
    }
    if (quantity == "efficiency") {
        if (isSequential(model)) return 100.0;
        return config->efficiency ? std::optional<double>(100 * config->efficiency->value)
                                  : std::nullopt;
    }
    if (quantity == "wall") return config->wall.median;
    if (quantity == "cpu") return config->cpu.median;
    // Per-run fields: the mean over that configuration's verified runs.
    double sum = 0;
    int count = 0;
    for (const RunResult& run : r.runs) {
        if (!run.ok || run.config.model != model || run.config.workers != *n) continue;
        if (quantity == "rss") {
            sum += static_cast<double>(run.enginePeakRssKib + run.workersPeakRssKib) / 1024.0;
        } else if (quantity == "startup") {
            sum += run.meanStartupSeconds * 1e3;
        } else if (quantity == "mib") {  // encoded bytes both ways: what the messages cost
            sum += static_cast<double>(run.bytesToWorkers + run.bytesFromWorkers) / 1048576.0;
        } else if ((quantity == "p50" || quantity == "p99") && run.latency) {  // convoy, ms
            sum += quantity == "p50" ? run.latency->p50Ms : run.latency->p99Ms;
        } else if (quantity == "launch" && run.mpi) {  // mpirun -> every rank ready, in ms
            sum += static_cast<double>(run.mpi->launchNs) / 1e6;
        } else {
            return std::nullopt;
        }
        ++count;
    }
    if (count == 0) return std::nullopt;
    return sum / count;
}

ExperimentResult onlyChunksize(const ExperimentResult& r, std::size_t chunksize) {
    ExperimentResult only = r;
    std::erase_if(only.analysis.configs, [&](const ConfigSummary& c) {
        return c.model != Model::Sequential && c.chunksize != chunksize;
    });
    std::erase_if(only.runs, [&](const RunResult& run) {
        return run.config.model != Model::Sequential && run.config.chunksize != chunksize;
    });
    return only;
}

std::optional<double> predictionValue(const Prediction& p, const ExperimentResult& r) {
    if (!p.chunksize) return lessonValue(r, "speedup", p.model, p.workers);
    return lessonValue(onlyChunksize(r, *p.chunksize), "speedup", p.model, p.workers);
}

namespace {

/// The summary of the first verified run of a configuration.
std::optional<std::string> runSummary(const ExperimentResult& r, Model model,
                                      const std::string& workers) {
    const auto n = lessonWorkers(r, model, workers);
    if (!n) return std::nullopt;
    for (const RunResult& run : r.runs) {
        if (run.ok && run.config.model == model && run.config.workers == *n) return run.summary;
    }
    return std::nullopt;
}

}  // namespace

std::string fillExplanation(const std::string& text, const std::vector<ExperimentResult>& parts) {
    static const std::regex placeholder(
        R"(\{([a-z][a-z0-9]*)(?:@([0-9]+))?(?::((?:py:)?[a-z_-]+)(?::([a-z0-9]+)(?::([0-9]{1,9}))?)?)?\})");
    std::string out;
    std::size_t last = 0;
    std::map<std::string, ExperimentResult> chunkViews;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder);
         it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        out += text.substr(last, static_cast<std::size_t>(m.position()) - last);
        last = static_cast<std::size_t>(m.position() + m.length());
        const std::string quantity = m[1];
        // At most a few digits: a longer number is no part of any lesson (and would overflow).
        const std::size_t part = !m[2].matched ? 1 : m[2].length() > 6 ? 0 : std::stoul(m[2]);
        if (part < 1 || part > parts.size()) {
            throw InvalidArgument("placeholder " + m.str() + ": no part " + std::to_string(part));
        }
        // {quantity:model:workers:chunksize}: the runs with that chunk size only.
        const ExperimentResult& r =
            m[5].matched
                ? chunkViews.try_emplace(m.str(), onlyChunksize(parts[part - 1], std::stoul(m[5])))
                      .first->second
                : parts[part - 1];
        if (!m[3].matched &&
            (quantity == "pywall" || quantity == "pycpu" || quantity == "pyspeedup")) {
            if (r.runs.size() != 1 || !r.runs.front().ok) {
                throw InvalidArgument("placeholder " + m.str() + ": part " + std::to_string(part) +
                                      " is not a finished Python part");
            }
            const RunResult& run = r.runs.front();
            if (quantity == "pywall") {
                out += format(run.wallSeconds, 2);
            } else if (quantity == "pycpu") {
                out += format(run.cpuUserSeconds + run.cpuSystemSeconds, 2);
            } else {
                // Against the first Python part: the sequential script by convention.
                const ExperimentResult* first = nullptr;
                for (const ExperimentResult& e : parts) {
                    if (e.runs.size() == 1 && e.runs.front().workload.rfind("python: ", 0) == 0) {
                        first = &e;
                        break;
                    }
                }
                if (first == nullptr || run.wallSeconds <= 0) {
                    throw InvalidArgument("placeholder " + m.str() + ": no Python baseline");
                }
                out += format(first->runs.front().wallSeconds / run.wallSeconds, 2);
            }
            continue;
        }
        if (!m[3].matched) {
            if (quantity == "cores") {
                out += std::to_string(r.environment.logicalCpus);
            } else if (quantity == "taskus") {
                // How long one task took on its own: the sequential run's median wall / tasks.
                const auto wall = lessonValue(r, "wall", Model::Sequential, "1");
                if (!wall || r.runs.empty() || r.runs.front().tasks == 0) {
                    throw InvalidArgument("placeholder " + m.str() + ": no sequential run");
                }
                out += format(*wall / static_cast<double>(r.runs.front().tasks) * 1e6,
                              *wall / static_cast<double>(r.runs.front().tasks) * 1e6 < 10 ? 1 : 0);
            } else if (quantity == "tasks") {
                out += r.runs.empty() ? std::string("?") : std::to_string(r.runs.front().tasks);
            } else {
                throw InvalidArgument("unknown placeholder " + m.str());
            }
            continue;
        }
        if (quantity == "param") {
            const auto p = r.experiment.params.find(m[3]);
            if (p == r.experiment.params.end()) {
                throw InvalidArgument("placeholder " + m.str() +
                                      ": the experiment does not set it");
            }
            out += p->second;
            continue;
        }
        Model model;
        try {
            model = parseModel(m[3]);
        } catch (const InvalidArgument&) {
            throw InvalidArgument("placeholder " + m.str() + ": unknown model");
        }
        if (quantity == "fit" || quantity == "predicted") {
            // Whether the law fits is itself a measured outcome (a busy machine can make
            // processes slower than sequential): said in words, not an error.
            const ModelScaling* s = nullptr;
            for (const ModelScaling& candidate : r.analysis.scaling)  // the first interpreter's
                if (candidate.model == model && s == nullptr) s = &candidate;
            if (s == nullptr) {
                throw InvalidArgument("placeholder " + m.str() + ": this model was not measured");
            }
            const bool usable =
                s->fit.valid && s->fit.serialFraction <= 1.0 && s->fit.serialFraction >= -0.05;
            const std::string why = s->note.empty() ? "too few worker counts" : s->note;
            if (quantity == "fit") {
                out +=
                    usable ? format(100 * s->fit.serialFraction, 1) + " %" : "no fit (" + why + ")";
            } else if (usable && !s->predicted.empty()) {
                out += format(s->predicted.front().second, 2) + "x on " +
                       std::to_string(s->predicted.front().first) + " cores";
            } else {
                out += "no prediction (" + why + ")";
            }
            continue;
        }
        const std::string workers = m[4].matched ? std::string(m[4]) : std::string("max");
        if (quantity == "summary") {
            const auto text = runSummary(r, model, workers);
            if (!text)
                throw InvalidArgument("placeholder " + m.str() + ": not measured in this run");
            out += *text;
            continue;
        }
        const auto v = lessonValue(r, quantity, model, workers);
        if (!v) throw InvalidArgument("placeholder " + m.str() + ": not measured in this run");
        const int decimals = quantity == "efficiency" || quantity == "rss" ? 0 : 2;
        out += format(*v, decimals);
    }
    out += text.substr(last);
    return out;
}

std::string fillExplanation(const std::string& text, const ExperimentResult& r) {
    return fillExplanation(text, std::vector<ExperimentResult>{r});
}

std::string comparePrediction(const Prediction& p, double predicted, const ExperimentResult& r) {
    const auto measured = predictionValue(p, r);
    std::string line = std::string(toString(p.model)) + " x" +
                       std::to_string(lessonWorkers(r, p.model, p.workers).value_or(0)) +
                       (p.chunksize ? ", chunksize " + std::to_string(*p.chunksize) : "") +
                       ": you predicted " + format(predicted, 2) + "x, ";
    if (!measured) return line + "not measured (the run failed or was left out)";
    line += "measured " + format(*measured, 2) + "x";
    if (*measured > 0) {
        const double off = 100.0 * (predicted - *measured) / *measured;
        line += " (" + std::string(off >= 0 ? "+" : "") + format(off, 0) + " %)";
    }
    return line;
}

}  // namespace coreduel
